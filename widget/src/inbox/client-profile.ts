import { ApiError } from '@clocktree/client';
import type { ClientListItem, CreateThreadBody, ThreadSummary } from '@clocktree/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { explain, isAbort, type InboxContext } from './inbox-context.ts';
import type { BookedDetail } from './book-appointment.ts';
import { BOOK_FORM_PARTS, loadPane } from './lazy-panes.ts';
import { InboxPane } from './pane.ts';
import { renderTabPanel, renderTabs } from './tabs.ts';
import { renderThreadList, sortThreads, THREAD_LIST_PARTS } from './thread-list.ts';

export const CLIENT_PROFILE_PARTS = [
  'stack',
  'heading',
  'hint',
  'tabs',
  'tab',
  'tab-selected',
  'tab-panel',
  ...THREAD_LIST_PARTS,
  'actions',
  'button',
  'secondary-button',
  'send-message-button',
  'video-call-button',
  'compose-form',
  'field',
  'label',
  'input',
  'textarea',
  'field-error',
  'error',
  'status',
  ...BOOK_FORM_PARTS,
];

export interface OpenThreadDetail {
  threadId: string;
}

type ProfileTab = 'messages';

/**
 * A client's profile: their threads with this practice (the Messages tab) and "Send Message" to start a new one.
 *
 * @event ct-inbox-open - `{threadId}`: a thread was chosen or just started. Does not leave <ct-inbox>.
 */
export class CtInboxClient extends InboxPane {
  @property({ attribute: false }) accessor client: ClientListItem | undefined;
  @property({ attribute: false }) accessor selectedThreadId: string | undefined;
  @property({ attribute: false }) accessor alerted: ReadonlySet<string> = new Set();
  @state() accessor calling = false;
  /** Why a call could not start, or that the client is not online to hear it ring. */
  @state() accessor callNotice = '';

  @state() accessor threads: ThreadSummary[] | undefined;
  @state() accessor loadError = '';
  @state() accessor composing = false;
  @state() accessor sending = false;
  @state() accessor formError = '';
  @state() accessor bodyError = '';
  @state() accessor tab: ProfileTab = 'messages';
  /** The booking form is open (its chunk is fetched on the first "Book appointment"). */
  @state() accessor booking = false;
  @state() accessor bookNotice = '';

  protected override reloadOn: PropertyKey[] = ['client'];

  protected override liveHandlers() {
    return {
      'thread:updated': ({ thread }: { thread: ThreadSummary }) => {
        if (thread.clientId !== this.client?.id || thread.practiceId !== this.ctx?.practice.id) return;
        const others = (this.threads ?? []).filter((t) => t.id !== thread.id);
        this.threads = sortThreads([...others, thread]);
      },
      'message:new': ({ threadId }: { threadId: string }) => {
        if (this.threads?.some((t) => t.id === threadId)) this.scheduleReload();
      },
      resync: () => this.scheduleReload(),
    };
  }

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    const client = this.client;
    if (!client) return;
    if (this.threads && this.threads[0]?.clientId !== client.id) this.threads = undefined;
    try {
      const { threads } = await ctx.api.listThreads({ practiceId: ctx.practice.id, clientId: client.id }, { signal });
      this.threads = sortThreads(threads);
      this.loadError = '';
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('client') && changed.get('client')?.id !== this.client?.id) {
      this.threads = undefined;
      this.composing = this.booking = false;
      this.bookNotice = '';
    }
    super.willUpdate(changed);
  }

  private open(threadId: string) {
    this.dispatchEvent(new CustomEvent<OpenThreadDetail>('ct-inbox-open', { detail: { threadId } }));
  }

  /** Rings the client and opens the call window (start-call.ts, a chunk of its own: most visits make no call). */
  private async startCall(opener: HTMLElement) {
    const ctx = this.ctx;
    const client = this.client;
    if (!ctx || !client || this.calling) return;
    this.calling = true;
    this.callNotice = '';
    // Focus comes back to "Video call" when the window closes (the button is disabled, so unfocused, meanwhile).
    const { startCall } = await import('./start-call.ts').catch(() => ({ startCall: undefined }));
    this.callNotice = startCall
      ? await startCall(ctx, { practiceId: ctx.practice.id, clientId: client.id }, client.name, opener)
      : 'The call could not start: the page could not load its call code. Check the connection and try again.';
    this.calling = false;
  }

  private async startBooking() {
    this.bookNotice = '';
    try {
      await loadPane('book');
      this.booking = true;
    } catch {
      this.bookNotice = 'The booking form could not be loaded. Please reload the page.';
    }
  }

  private async stopBooking(detail?: BookedDetail) {
    this.booking = false;
    if (detail) this.bookNotice = `Appointment booked for ${detail.when}.`;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="book-appointment-button"]')?.focus();
  }

  private async startComposing() {
    this.composing = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#compose-subject')?.focus();
  }

  private async stopComposing() {
    this.composing = false;
    this.formError = this.bodyError = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="send-message-button"]')?.focus();
  }

  private async onSend(event: SubmitEvent) {
    event.preventDefault();
    const ctx = this.ctx;
    const client = this.client;
    if (!ctx || !client || this.sending) return;
    const data = new FormData(event.target as HTMLFormElement);
    const subject = String(data.get('subject') ?? '').trim();
    const body = String(data.get('body') ?? '');
    this.formError = '';
    this.bodyError = body.trim() ? '' : 'Message must not be empty';
    if (this.bodyError) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#compose-body')?.focus();
      return;
    }
    const payload: CreateThreadBody = { clientId: client.id, body, ...(subject ? { subject } : {}) };
    this.sending = true;
    try {
      const { thread } = await ctx.api.createThread(ctx.practice.id, payload);
      this.composing = false;
      this.threads = sortThreads([thread, ...(this.threads ?? []).filter((t) => t.id !== thread.id)]);
      ctx.hub.emit('thread:updated', { thread });
      this.open(thread.id);
    } catch (error) {
      this.formError = explain(error);
      const field = error instanceof ApiError ? error.fields.find((f) => f.path === 'body') : undefined;
      if (field) this.bodyError = `Message ${field.message}`;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~="error"]:not(:empty)')?.focus();
    } finally {
      this.sending = false;
    }
  }

  private renderCompose() {
    const client = this.client!;
    return html`<form part="compose-form" aria-labelledby="compose-heading" novalidate @submit=${this.onSend}>
      <h3 id="compose-heading">New message to ${client.name}</h3>
      <div part="field">
        <label part="label" for="compose-subject">Subject (optional)</label>
        <input part="input" id="compose-subject" name="subject" maxlength="200" autocomplete="off" />
      </div>
      <div part="field">
        <label part="label" for="compose-body">Message</label>
        <textarea
          part="textarea"
          id="compose-body"
          name="body"
          rows="5"
          maxlength="20000"
          required
          aria-invalid=${this.bodyError ? 'true' : 'false'}
          aria-describedby=${ifDefined(this.bodyError ? 'compose-body-error' : undefined)}
        ></textarea>
        ${this.bodyError ? html`<p part="field-error" id="compose-body-error">${this.bodyError}</p>` : nothing}
      </div>
      <div part="error" role="alert" tabindex="-1">${this.formError || nothing}</div>
      <div part="actions">
        <button part="button" type="submit" ?disabled=${this.sending}>${this.sending ? 'Sending…' : 'Send'}</button>
        <button part="button secondary-button" type="button" @click=${this.stopComposing}>Cancel</button>
      </div>
    </form>`;
  }

  private renderMessages() {
    const ctx = this.ctx!;
    if (this.loadError) return html`<p part="error" role="alert">${this.loadError}</p>`;
    if (!this.threads) return html`<p part="empty">Loading messages…</p>`;
    return renderThreadList({
      threads: this.threads,
      practice: ctx.practice,
      label: `Threads with ${this.client!.name}`,
      empty: 'No messages with this client yet.',
      selectedId: this.selectedThreadId,
      alerted: this.alerted,
      now: Date.now(),
      onOpen: (thread) => this.open(thread.id),
    });
  }

  protected override render() {
    const client = this.client;
    if (!client || !this.ctx) return nothing;
    return html`<section part="stack" aria-labelledby="profile-heading">
      <div>
        <h2 part="heading" id="profile-heading">${client.name}</h2>
        <p part="meta">${client.email}</p>
      </div>
      ${client.needsResponse ? html`<p part="hint">A thread with ${client.name} needs a response.</p>` : nothing}
      ${
        this.booking
          ? html`<ct-inbox-book
              exportparts=${BOOK_FORM_PARTS.join(', ')}
              .ctx=${this.ctx}
              .clientId=${client.id}
              .clientName=${client.name}
              @ct-inbox-booked=${(e: CustomEvent<BookedDetail>) => this.stopBooking(e.detail)}
              @ct-inbox-book-cancel=${() => this.stopBooking()}
            ></ct-inbox-book>`
          : this.composing
            ? this.renderCompose()
            : html`<div part="actions">
                  <button part="button send-message-button" type="button" @click=${this.startComposing}>
                    Send Message
                  </button>
                  <button
                    part="button video-call-button"
                    type="button"
                    ?disabled=${this.calling}
                    @click=${(event: Event) => void this.startCall(event.currentTarget as HTMLElement)}
                  >
                    Video call
                  </button>
                  <button
                    part="button secondary-button book-appointment-button"
                    type="button"
                    ?disabled=${client.status !== 'active'}
                    @click=${() => void this.startBooking()}
                  >
                    Book appointment
                  </button>
                </div>
                ${
                  client.status === 'active'
                    ? nothing
                    : html`<p part="hint">
                        Appointments can be booked once ${client.name} has accepted the invitation.
                      </p>`
                }
                ${this.bookNotice ? html`<p part="status" role="status">${this.bookNotice}</p>` : nothing}
                ${this.callNotice ? html`<p part="hint" role="status">${this.callNotice}</p>` : nothing}`
      }
      ${renderTabs<ProfileTab>({
        label: `${client.name}'s profile`,
        idPrefix: 'profile',
        tabs: [{ id: 'messages', label: 'Messages' }],
        selected: this.tab,
        onSelect: (tab) => (this.tab = tab),
      })}
      ${renderTabPanel('profile', this.tab, this.renderMessages())}
    </section>`;
  }
}

if (!customElements.get('ct-inbox-client')) customElements.define('ct-inbox-client', CtInboxClient);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-client': CtInboxClient;
  }
}
