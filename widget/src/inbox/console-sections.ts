import { html } from 'lit';
import { CLIENT_LIST_PARTS, type ClientSelectDetail } from './client-list.ts';
import { CLIENT_PROFILE_PARTS, type OpenThreadDetail } from './client-profile.ts';
import type { ConsoleView } from './console-view.ts';
import type { InboxContext } from './inbox-context.ts';
import type { PracticeClients } from './practice-clients.ts';
import { THREAD_PANE_PARTS } from './thread-pane.ts';
// Each pane module defines its element as it loads; the imports of their part lists load them all.
import { THREAD_QUEUE_PARTS } from './thread-queue.ts';

/** Every part a pane has, re-exported so `ct-inbox::part(…)` reaches into the panes as well. */
export const exportparts = (parts: string[]) => parts.join(', ');

export interface SectionOptions {
  ctx: InboxContext;
  view: ConsoleView;
  roster: PracticeClients;
  /** Threads with news for this member, highlighted until opened. */
  alerted: ReadonlySet<string>;
  onOpen: (tab: 'clients' | 'inbox', threadId: string) => void;
  onBack: (tab: 'clients' | 'inbox') => void;
}

/** A section's two columns: its list, and what is chosen in it. */
const columns = (list: unknown, detail: unknown) =>
  html`<div part="layout">
    <div part="list-column">${list}</div>
    <div part="detail-column">${detail}</div>
  </div>`;

/** A thread open in a section; Back returns to the section's list. */
const thread = (o: SectionOptions, tab: 'clients' | 'inbox', threadId: string, backLabel: string) =>
  html`<ct-inbox-thread
    exportparts=${exportparts(THREAD_PANE_PARTS)}
    .ctx=${o.ctx}
    .threadId=${threadId}
    .backLabel=${backLabel}
    @ct-inbox-back=${() => o.onBack(tab)}
  ></ct-inbox-thread>`;

/** Clients: the list with its badges, and the chosen client's profile or one of their threads. */
export function renderClientsSection(o: SectionOptions) {
  const { ctx, view, roster } = o;
  const { selectedClientId, clientThreadId } = view;
  const client = roster.clients?.find((c) => c.id === selectedClientId);
  let detail: unknown;
  if (clientThreadId) {
    detail = thread(o, 'clients', clientThreadId, client ? `Back to ${client.name}` : 'Back to the client');
  } else if (client) {
    detail = html`<ct-inbox-client
      exportparts=${exportparts(CLIENT_PROFILE_PARTS)}
      .ctx=${ctx}
      .client=${client}
      .alerted=${o.alerted}
      @ct-inbox-open=${(e: CustomEvent<OpenThreadDetail>) => o.onOpen('clients', e.detail.threadId)}
    ></ct-inbox-client>`;
  } else {
    detail = html`<p part="empty">Choose a client to see their messages.</p>`;
  }
  return columns(
    html`<ct-inbox-clients
      exportparts=${exportparts(CLIENT_LIST_PARTS)}
      .ctx=${ctx}
      .clients=${roster.clients}
      .selectedId=${selectedClientId}
      .loadError=${roster.error}
      @ct-inbox-select=${(e: CustomEvent<ClientSelectDetail>) => view.selectClient(e.detail.clientId)}
      @ct-inbox-client-added=${() => roster.loadClients()}
    ></ct-inbox-clients>`,
    detail,
  );
}

/** Contact Us and message services: the queue, and the chosen thread. */
export function renderInboxSection(o: SectionOptions) {
  const threadId = o.view.inboxThreadId;
  return columns(
    html`<ct-inbox-queue
      exportparts=${exportparts(THREAD_QUEUE_PARTS)}
      .ctx=${o.ctx}
      .selectedId=${threadId}
      .alerted=${o.alerted}
      .clientName=${o.roster.name}
      @ct-inbox-open=${(e: CustomEvent<OpenThreadDetail>) => o.onOpen('inbox', e.detail.threadId)}
    ></ct-inbox-queue>`,
    threadId ? thread(o, 'inbox', threadId, 'Back to the list') : html`<p part="empty">Choose a thread to read it.</p>`,
  );
}
