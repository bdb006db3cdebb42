import type { Session, SessionInfo } from '@clocktree/client';
import type { MeResponse, PracticePublic, Role } from '@clocktree/protocol';
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { readConsoleView, writeConsoleView } from './console-url.ts';
import type { InboxContext, InboxHub } from './inbox-context.ts';
import { loadPane, type LazyPane } from './lazy-panes.ts';

export type Tab = 'clients' | 'inbox' | 'appointments' | 'settings' | 'home';
const TABS: readonly string[] = ['clients', 'inbox', 'appointments', 'settings', 'home'] satisfies Tab[];

/**
 * What a professional of no practice works in: My Network only. Network threads name no practice, so the panes never
 * read this one's fields (threadTitle reads a practice's services for `service` threads alone).
 */
const NO_PRACTICE = { id: '', name: 'My Network', services: [] } as unknown as PracticePublic;

export interface ConsoleViewOptions {
  session: () => Session | undefined;
  hub: InboxHub;
  /** Another practice was chosen: what the shell holds of the previous one (its clients, counts) is stale. */
  onPractice: (ctx: InboxContext) => void;
}

/**
 * What the console shows the signed-in member: the practice they work in (and the context its panes work with), the
 * section, the client and the threads open in it, and which lazy panes have arrived. Kept in the address bar's
 * fragment (ids only, console-url.ts), so a reload comes back to it.
 */
export class ConsoleView implements ReactiveController {
  me: MeResponse | undefined;
  practices: Record<string, PracticePublic> = {};
  practiceId: string | undefined;
  tab: Tab = 'clients';
  selectedClientId: string | undefined;
  clientThreadId: string | undefined;
  inboxThreadId: string | undefined;
  /** Lazy panes whose chunk has arrived (or could not). */
  loadedPanes: Partial<Record<LazyPane, 'ready' | 'failed'>> = {};
  /** Everything a pane needs, a new object per practice; undefined while no one is signed in. */
  ctx: InboxContext | undefined;
  /** What the address says now, so it is written only when the view changes. */
  private written = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ConsoleViewOptions,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const view = { practice: this.practiceId, tab: this.tab, client: this.selectedClientId };
    const key = this.ctx ? JSON.stringify(view) : '';
    if (key === this.written) return;
    this.written = key;
    if (this.ctx) writeConsoleView(view);
  }

  private set(changes: Partial<ConsoleView>) {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }

  reset(): void {
    this.set({
      me: undefined,
      ctx: undefined,
      practiceId: undefined,
      practices: {},
      selectedClientId: undefined,
      clientThreadId: undefined,
      inboxThreadId: undefined,
      tab: 'clients',
    });
  }

  /** Signing out leaves nothing of the console in the address: the next person starts afresh. */
  forget(): void {
    writeConsoleView({});
  }

  get role(): Role | undefined {
    return this.me?.memberships.find((m) => m.practiceId === this.practiceId)?.role;
  }

  /** The member's practices, then the view the address names (if it is still theirs), else their first practice. */
  async open(me: MeResponse, session: SessionInfo, signal: AbortSignal): Promise<void> {
    const api = this.options.session()!.api;
    const profiles = await Promise.all(
      me.memberships.map((m) => api.getPractice(m.practiceId, { signal }).then((r) => r.practice)),
    );
    this.set({ practices: Object.fromEntries(profiles.map((p) => [p.id, p])), me });
    const view = readConsoleView();
    const saved = me.memberships.some((m) => m.practiceId === view.practice) ? view.practice : undefined;
    // With no practice, the console is My Network alone: never a dead end.
    if (!me.memberships.length) this.openNetworkOnly(session);
    // Home chosen while the practices were loading stays chosen (selecting a practice would leave it).
    const onHome = this.tab === 'home';
    this.selectPractice(saved ?? me.memberships[0]?.practiceId, session);
    if (onHome) this.selectTab('home');
    if (saved && TABS.includes(view.tab ?? '')) this.selectTab(view.tab as Tab);
    if (saved) this.set({ selectedClientId: view.client });
  }

  private openNetworkOnly(session: SessionInfo) {
    const api = this.options.session()!;
    const base = { api: api.api, session: api, user: session.user, hub: this.options.hub };
    this.set({ ctx: { ...base, practice: NO_PRACTICE, role: 'colleague' } });
    this.selectTab('home');
  }

  selectPractice(practiceId: string | undefined, session: SessionInfo | undefined): void {
    const practice = practiceId ? this.practices[practiceId] : undefined;
    const current = this.options.session();
    if (!practice || !session || !current) return;
    this.set({ practiceId, selectedClientId: undefined, clientThreadId: undefined, inboxThreadId: undefined });
    if (this.tab === 'home' || (this.tab === 'settings' && this.role !== 'admin')) this.tab = 'clients';
    this.selectTab(this.tab);
    const ctx = {
      api: current.api,
      session: current,
      user: session.user,
      practice,
      role: this.role!,
      hub: this.options.hub,
    };
    this.set({ ctx });
    this.options.onPractice(ctx);
  }

  selectTab(tab: Tab): void {
    this.set({ tab: tab === 'settings' && this.role !== 'admin' ? 'clients' : tab });
    const lazy = this.tab === 'clients' || this.tab === 'inbox' ? undefined : this.tab;
    if (lazy && this.loadedPanes[lazy] !== 'ready') {
      loadPane(lazy).then(
        () => this.set({ loadedPanes: { ...this.loadedPanes, [lazy]: 'ready' } }),
        () => this.set({ loadedPanes: { ...this.loadedPanes, [lazy]: 'failed' } }),
      );
    }
  }

  /** Home sits above the practice's sections; no thread stays open under it. */
  goHome(): void {
    this.selectTab('home');
    this.set({ clientThreadId: undefined, inboxThreadId: undefined });
  }

  selectClient(clientId: string | undefined): void {
    this.set({ selectedClientId: clientId, clientThreadId: undefined });
  }

  /** A thread opens in the section it belongs to: a client's (`clients`) or Contact Us and services (`inbox`). */
  openThread(tab: 'clients' | 'inbox', threadId: string | undefined): void {
    this.set(tab === 'clients' ? { clientThreadId: threadId } : { inboxThreadId: threadId });
  }

  isOpen(threadId: string): boolean {
    return threadId === this.clientThreadId || threadId === this.inboxThreadId;
  }

  /** Saved in Settings: the header, the appointments' time zone and every pane follow the new profile. */
  practiceChanged(practice: PracticePublic): void {
    this.set({ practices: { ...this.practices, [practice.id]: practice } });
    if (this.ctx?.practice.id === practice.id) this.set({ ctx: { ...this.ctx, practice } });
  }

  /** A pane of its own chunk, once the chunk has arrived. */
  renderLazy(pane: LazyPane, content: () => unknown): unknown {
    const state = this.loadedPanes[pane];
    if (state === 'ready') return content();
    if (state === 'failed')
      return html`<p part="error" role="alert">This section could not be loaded. Please reload the page.</p>`;
    return html`<p part="empty">Loading…</p>`;
  }
}
