// Over 400 lines (761, ~80 of them the element's documentation): the console's shell holds the session, the practice
// switcher, the URL state, the tabs, the Home view and the live hub. It grew with issue 11 and 12's panes; the next
// split moves practice selection and URL state into a ReactiveController beside the panes, as messages.ts did.
import type { Session, SessionInfo } from '@clocktree/client';
import type { ClientListItem, Invitation, MeResponse, PracticePublic, Role, ThreadSummary } from '@clocktree/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { emit } from '../shared/events.ts';
import { answerInvitation, invitationStyles, loadInvitations, renderInvitations } from '../shared/invitations.ts';
import { watchRingsFor } from '../ringing/rings.ts';
import { CLIENT_LIST_PARTS, type ClientSelectDetail } from './client-list.ts';
import { CLIENT_PROFILE_PARTS, type OpenThreadDetail } from './client-profile.ts';
import { explain, InboxHub, isAbort, type InboxContext } from './inbox-context.ts';
import { connectLive, type ConnectionState } from './inbox-live.ts';
import { LiveController } from '../shared/live.ts';
import styles from './inbox.styles.ts';
import { readConsoleView, writeConsoleView } from './console-url.ts';
import {
  APPOINTMENTS_PANE_PARTS,
  HOME_PANE_PARTS,
  loadPane,
  SETTINGS_PANE_PARTS,
  type LazyPane,
} from './lazy-panes.ts';
import { takeInviteToken } from '../shared/invite-form.ts';
import { SessionController } from '../shared/session-controller.ts';
import { SIGN_IN_PARTS } from './sign-in.ts';
import { renderTabPanel, renderTabs } from './tabs.ts';
import { THREAD_PANE_PARTS } from './thread-pane.ts';
// Each pane module defines its element as it loads; the imports above of their part lists load them all.
import { THREAD_QUEUE_PARTS } from './thread-queue.ts';

export type { CtAlertDetail } from '../shared/events.ts';

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox': CtInbox;
  }
}

type Tab = 'clients' | 'inbox' | 'appointments' | 'settings' | 'home';
const TABS: readonly string[] = ['clients', 'inbox', 'appointments', 'settings', 'home'] satisfies Tab[];

/**
 * What a professional of no practice works in: My Network only. Network threads name no practice, so the panes never
 * read this one's fields (threadTitle reads a practice's services for `service` threads alone).
 */
const NO_PRACTICE = { id: '', name: 'My Network', services: [] } as unknown as PracticePublic;

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Live updates off: reload to see new messages',
  refused: 'Live updates are not allowed on this website',
};

/** Every part a pane has, re-exported so `ct-inbox::part(…)` reaches into the panes as well. */
const exportparts = (parts: string[]) => parts.join(', ');

/**
 * The practice console: a professional signs in and reads and answers the practice's messages. Clients (with a red
 * badge while one of their threads awaits a response), each client's threads, "Send Message" and "Book appointment",
 * the Contact Us and message-service threads with the time each has left under the 7-day rule, the practice's
 * appointments (today, this week) in its time zone, and, for admins, the practice's profile, colleagues and messaging
 * settings. Updates live. The selected practice, tab and client are kept in the page's URL fragment (ids only), so a
 * reload comes back to them.
 *
 * @summary Provider console: clients, threads, Contact Us and settings.
 *
 * @slot title - Replaces the heading of the console ("<practice> inbox").
 *
 * @event {CustomEvent<{threadId: string}>} ct-alert - A message arrived that this member is to be alerted of (assigned
 *   Contact Us, message service, or a thread they started). Hook for a sound or a desktop notification.
 *
 * @csspart header - The bar with the title, practice switcher, connection state and sign-out.
 * @csspart main - Everything under the header.
 * @csspart title - The console's heading.
 * @csspart practice-select - The practice switcher (only with several practices), in `practice-field`.
 * @csspart connection - The connection state (also `connection-live`, `connection-reconnecting`, …).
 * @csspart user - Who is signed in.
 * @csspart sign-out-button - The sign-out button.
 * @csspart home-button - Opens the Home view: a summary per practice (`practice-summary`) and My Network.
 * @csspart alert - The highlighted notice of a new message for this member (also `alert-button`).
 * @csspart tabs - A tab list (console sections; a client's profile). Also `tab`, `tab-selected`, `tab-panel`.
 * @csspart tab-count - The number of clients or threads awaiting a response, on a tab.
 * @csspart layout - The two columns of a section (also `list-column`, `detail-column`).
 * @csspart client - A client in the list (also `client-item`, `client-name`, `client-list`).
 * @csspart badge - The red "needs a response" badge of a client.
 * @csspart thread - A thread in a list (also `thread-item`, `thread-title`, `thread-list`, `thread-alerted`, `unread`,
 *   `new-label`).
 * @csspart time-left - Time left under the 7-day rule (also `time-left-ok`, `time-left-urgent`, `time-left-overdue`).
 * @csspart state-label - "Closed" on a thread in a list.
 * @csspart messages - The messages of a thread; each is `message` (also `message-own`, `message-practice`,
 *   `message-client`, `message-prospect`, `message-meta`, `message-author`, `message-role`, `message-time`,
 *   `message-body`), the same parts as <ct-messages>'. Deprecated: `message-header` (use `message-meta`).
 * @csspart attachment - An attachment's download button (in `attachments`; `attachment-size` its size).
 * @csspart file-input - The reply's file picker; each chosen file is an `upload` (in `uploads`) with its
 *   `upload-progress` bar while it uploads and a `remove-upload-button`.
 * @csspart contact - Contact details of a Contact Us thread.
 * @csspart reply-form - The reply form; also `compose-form`, `add-client-form`, `sign-in-form`.
 * @csspart closed-notice - The notice that a thread is closed and read-only.
 * @csspart dialog - Confirmations (closing a thread, cancelling an appointment, removing a colleague or a connection,
 *   deleting a service): `secondary-button` keeps, `danger-button` goes ahead, `error` says why it failed.
 * @csspart settings-section - A section of the admin settings; also `service`, `service-name`, `photo`,
 *   `photo-preview`, `remove-photo-button`, and each colleague's `member` (`member-name`, `member-status`).
 * @csspart preview - A Contact Us sender's first line in a thread list.
 * @csspart appointment - An appointment in the Appointments tab (also `appointment-time`, `appointment-cancelled`,
 *   `join-button`, `reschedule-button`, `cancel-button`, `range-heading`); `video-window` the dialog of its room.
 * @csspart book-form - The form that books or moves an appointment; `book-appointment-button` opens it.
 * @csspart field - A label with its control; also `label`, `input`, `textarea`, `select`, `checkbox`, `checkbox-label`,
 *   `field-error`, `hint`.
 * @csspart button - Every button; also `secondary-button`, `danger-button` and named ones such as `send-button`,
 *   `close-button`, `send-message-button`, `video-call-button`, `back-button`.
 * @csspart error - Why something failed. `status` says what succeeded; `notice` explains a state; `empty` an empty list.
 * @csspart heading - Headings of panes and forms; `meta` secondary text; `list`, `actions`, `stack` layout wrappers.
 *
 * @cssproperty --ct-font-family - Font of the whole console.
 * @cssproperty --ct-font-size - Base font size.
 * @cssproperty --ct-spacing - Base spacing unit.
 * @cssproperty --ct-radius - Corner radius.
 * @cssproperty --ct-color-text - Text colour.
 * @cssproperty --ct-color-muted - Secondary text.
 * @cssproperty --ct-color-surface - Background of the header and secondary buttons.
 * @cssproperty --ct-color-border - Border of inputs and secondary buttons.
 * @cssproperty --ct-color-border-subtle - Dividers.
 * @cssproperty --ct-color-primary - Buttons, the selected tab, focus ring by default.
 * @cssproperty --ct-color-primary-hover - Hovered buttons.
 * @cssproperty --ct-color-on-primary - Text on buttons.
 * @cssproperty --ct-color-focus - Focus ring.
 * @cssproperty --ct-color-hover - Background of a hovered row.
 * @cssproperty --ct-color-selected - Background of the selected row.
 * @cssproperty --ct-color-badge - The "needs a response" badge.
 * @cssproperty --ct-color-alert - Accent of an alerted thread and of the new-message notice.
 * @cssproperty --ct-color-alert-background - Background of an alerted thread and of the new-message notice.
 * @cssproperty --ct-color-danger - Errors, overdue threads, destructive buttons.
 * @cssproperty --ct-color-danger-background - Background of errors.
 * @cssproperty --ct-color-danger-text - Text of errors.
 * @cssproperty --ct-color-warning-background - Background of threads with under 2 days left.
 * @cssproperty --ct-color-warning-text - Text of threads with under 2 days left.
 * @cssproperty --ct-color-chip-background - Background of time-left and state labels.
 * @cssproperty --ct-color-message-background - A client's message.
 * @cssproperty --ct-color-own-message-background - A practice member's message.
 * @cssproperty --ct-color-link - Attachment links.
 * @cssproperty --ct-color-input-background - Background of inputs.
 * @cssproperty --ct-color-input-text - Text of inputs.
 * @cssproperty --ct-color-notice-background - Background of notices.
 */
export class CtInbox extends LitElement {
  static override styles = [...styles, invitationStyles];

  /** Base URL of the API; defaults to the origin the SDK was loaded from. */
  @property() accessor api: string | undefined;

  /** The signed-in member; the sign-in form shows while there is none. */
  @state() accessor signedIn: SessionInfo | undefined;
  /** Focus went into the sign-in form: the sign-in that follows is the person's own doing. */
  private usedSignInForm = false;
  @state() accessor endedNotice = '';
  /** Practices waiting for this professional to accept joining them. */
  @state() accessor invitations: Invitation[] = [];
  @state() accessor answering: string | undefined;
  @state() accessor invitationsError = '';
  /** `#invite=TOKEN` of a colleague's invitation e-mail, until it is used. */
  @state() accessor inviteToken: string | undefined;
  @state() accessor me: MeResponse | undefined;
  @state() accessor practices: Record<string, PracticePublic> = {};
  @state() accessor practiceId: string | undefined;
  @state() accessor loadError = '';
  @state() accessor tab: Tab = 'clients';
  @state() accessor clients: ClientListItem[] | undefined;
  @state() accessor clientsError = '';
  @state() accessor selectedClientId: string | undefined;
  @state() accessor clientThreadId: string | undefined;
  @state() accessor inboxThreadId: string | undefined;
  @state() accessor awaitingCount: number | undefined;
  @state() accessor alerted: ReadonlySet<string> = new Set();
  @state() accessor alertThreadId: string | undefined;
  @state() accessor connection: ConnectionState = 'connecting';
  /** Lazy panes whose chunk has arrived (or could not). */
  @state() accessor loadedPanes: Partial<Record<LazyPane, 'ready' | 'failed'>> = {};

  private readonly sessions = new SessionController(this, {
    api: () => this.api,
    guarded: "your clients' messages",
    watchRings: watchRingsFor,
    onBind: () => this.onBind(),
    onSignedIn: (_user, session) => void this.onSignedIn(session.current!),
    onSignedOut: (_reason, notice) => this.onSignedOut(notice),
  });
  private readonly live = new LiveController(this, (session) =>
    connectLive(session, {
      state: (next) => (this.connection = next),
      messageNew: (payload) => {
        this.hub.emit('message:new', payload);
        if (payload.alert) this.raiseAlert(payload.threadId);
      },
      threadUpdated: (payload) => this.hub.emit('thread:updated', payload),
      resync: () => this.hub.emit('resync', {}),
    }),
  );
  private hub = new InboxHub();
  private ctx: InboxContext | undefined;
  private loading: AbortController | undefined;
  private clientsTimer: ReturnType<typeof setTimeout> | undefined;
  private awaitingTimer: ReturnType<typeof setTimeout> | undefined;
  private offHub: (() => void)[] = [];

  private get sessionObj(): Session | undefined {
    return this.sessions.session;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.offHub = [
      this.hub.on('thread:updated', ({ thread }) => this.onThreadUpdated(thread)),
      this.hub.on('message:new', ({ message }) => {
        if (message.authorRole !== 'practice') this.scheduleClients();
      }),
      this.hub.on('resync', () => this.scheduleClients()),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.offHub) off();
    this.stop();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The view survives a reload: ids only in the address bar (console-url.ts).
    if (this.ctx && (changed.has('tab') || changed.has('selectedClientId') || changed.has('practiceId'))) {
      writeConsoleView({ practice: this.practiceId, tab: this.tab, client: this.selectedClientId });
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Follows the page's session for this API (shared with every other widget talking to it); the controller reports
    // a member still signed in, e.g. after a reload, and the console loads what they may see.
    if (!this.hasUpdated || changed.has('api')) this.sessions.bind();
  }

  /** Another session is followed (first connection, another API): nothing of the previous one stays. */
  private onBind() {
    this.stop();
    this.signedIn = undefined;
    this.inviteToken = takeInviteToken() ?? this.inviteToken;
  }

  private stop() {
    this.resetSignedIn();
    clearTimeout(this.clientsTimer);
    clearTimeout(this.awaitingTimer);
  }

  private onSignedOut(notice: string) {
    this.resetSignedIn();
    this.signedIn = undefined;
    this.endedNotice = notice;
  }

  private resetSignedIn() {
    this.live.close();
    this.loading?.abort();
    this.me = undefined;
    this.ctx = undefined;
    this.practiceId = undefined;
    this.practices = {};
    this.clients = undefined;
    this.invitations = [];
    this.selectedClientId = this.clientThreadId = this.inboxThreadId = this.alertThreadId = undefined;
    this.alerted = new Set();
    this.tab = 'clients';
    this.loadError = '';
  }

  private async onSignedIn(session: SessionInfo) {
    // Someone who used the form (not a session restored on load) continues at the console's heading.
    const fromForm = this.usedSignInForm;
    this.usedSignInForm = false;
    this.resetSignedIn();
    this.endedNotice = '';
    this.inviteToken = undefined;
    this.signedIn = session;
    await this.loadMe(session);
    if (!fromForm || !this.me) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="title"]')?.focus();
  }

  private async answer(invitation: Invitation, accept: boolean) {
    const api = this.sessionObj?.api;
    const session = this.signedIn;
    if (!api || !session || this.answering) return;
    this.answering = invitation.id;
    this.invitationsError = '';
    try {
      await answerInvitation(api, invitation, accept);
      this.invitations = this.invitations.filter((i) => i.id !== invitation.id);
      // Accepted: the practice is now one of theirs.
      if (accept) await this.loadMe(session);
    } catch (error) {
      this.invitationsError = explain(error);
    } finally {
      this.answering = undefined;
    }
  }

  private async signOut() {
    // The session tells every listener, this element included, which then shows the sign-in form.
    // Signing out leaves nothing of the console in the address: the next person starts afresh.
    writeConsoleView({});
    await this.sessionObj?.logout();
    await this.updateComplete;
    this.renderRoot.querySelector('ct-inbox-sign-in')?.renderRoot.querySelector<HTMLElement>('input')?.focus();
  }

  private async loadMe(session: SessionInfo) {
    const api = this.sessionObj?.api;
    if (!api) return;
    this.loading?.abort();
    const { signal } = (this.loading = new AbortController());
    try {
      const [me, invitations] = await Promise.all([
        this.sessionObj!.me({ signal }),
        loadInvitations(api, signal).catch(() => [] as Invitation[]),
      ]);
      this.invitations = invitations;
      const profiles = await Promise.all(
        me.memberships.map((m) => api.getPractice(m.practiceId, { signal }).then((r) => r.practice)),
      );
      this.practices = Object.fromEntries(profiles.map((p) => [p.id, p]));
      this.me = me;
      this.loadError = '';
      this.connect();
      const view = readConsoleView();
      const saved = me.memberships.some((m) => m.practiceId === view.practice) ? view.practice : undefined;
      // With no practice, the console is My Network alone: never a dead end.
      if (!me.memberships.length) this.openNetworkOnly(session);
      this.selectPractice(saved ?? me.memberships[0]?.practiceId, session);
      if (saved && TABS.includes(view.tab ?? '')) this.selectTab(view.tab as Tab);
      if (saved) this.selectedClientId = view.client;
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  private openNetworkOnly(session: SessionInfo) {
    const base = { api: this.sessionObj!.api, session: this.sessionObj!, user: session.user, hub: this.hub };
    this.ctx = { ...base, practice: NO_PRACTICE, role: 'colleague' };
    this.selectTab('home');
  }

  private connect() {
    this.connection = 'connecting';
    this.live.reopen(this.sessionObj!);
  }

  private raiseAlert(threadId: string) {
    const open = threadId === this.clientThreadId || threadId === this.inboxThreadId;
    emit(this, 'ct-alert', { threadId });
    // The thread on screen needs no highlight: the member is looking at the new message already.
    if (open) return;
    this.alerted = new Set([...this.alerted, threadId]);
    this.alertThreadId = threadId;
  }

  private currentRole(): Role | undefined {
    return this.me?.memberships.find((m) => m.practiceId === this.practiceId)?.role;
  }

  private selectPractice(practiceId: string | undefined, session = this.signedIn) {
    const practice = practiceId ? this.practices[practiceId] : undefined;
    const api = this.sessionObj?.api;
    if (!practice || !session || !api) return;
    this.practiceId = practiceId;
    this.selectedClientId = this.clientThreadId = this.inboxThreadId = this.alertThreadId = undefined;
    this.clients = undefined;
    this.awaitingCount = undefined;
    if (this.tab === 'home') this.tab = 'clients';
    if (this.tab === 'settings' && this.currentRole() !== 'admin') this.tab = 'clients';
    this.selectTab(this.tab);
    this.ctx = {
      api,
      session: this.sessionObj!,
      user: session.user,
      practice,
      role: this.currentRole()!,
      hub: this.hub,
    };
    void this.loadClients();
    void this.loadAwaitingCount();
  }

  private scheduleClients() {
    clearTimeout(this.clientsTimer);
    this.clientsTimer = setTimeout(() => {
      void this.loadClients();
      void this.loadAwaitingCount();
    }, 150);
  }

  private async loadClients() {
    const ctx = this.ctx;
    if (!ctx) return;
    try {
      const path = `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}/clients`;
      const { clients } = await ctx.api.request<{ clients: ClientListItem[] }>('GET', path);
      if (ctx !== this.ctx) return;
      this.clients = [...clients].sort((a, b) => a.name.localeCompare(b.name));
      this.clientsError = '';
    } catch (error) {
      if (ctx === this.ctx) this.clientsError = explain(error);
    }
  }

  /** For the count on the Contact Us tab; the tab's own pane loads the lists themselves. */
  private async loadAwaitingCount() {
    const ctx = this.ctx;
    if (!ctx) return;
    try {
      const counts = await Promise.all(
        (['contact-us', 'service'] as const).map(async (kind) => {
          const { threads } = await ctx.api.listThreads({ practiceId: ctx.practice.id, kind, status: 'open' });
          return threads.filter((t) => t.awaiting).length;
        }),
      );
      if (ctx === this.ctx) this.awaitingCount = counts.reduce((a, b) => a + b, 0);
    } catch {
      // Only a count on a tab; the pane shows the error if the lists cannot be loaded.
    }
  }

  /** Keeps the red badges right without a round trip where the answer is certain. */
  private onThreadUpdated(thread: ThreadSummary) {
    if (thread.practiceId !== this.practiceId) return;
    if (thread.kind === 'contact-us' || thread.kind === 'service') this.scheduleAwaitingCount();
    const client = thread.clientId ? this.clients?.find((c) => c.id === thread.clientId) : undefined;
    if (!client) {
      if (thread.clientId) this.scheduleClients();
      return;
    }
    if (thread.awaiting && !client.needsResponse) {
      this.clients = this.clients!.map((c) => (c === client ? { ...c, needsResponse: true } : c));
    } else if (!thread.awaiting && client.needsResponse) {
      // Another of the client's threads may still be awaiting: only the server knows.
      this.scheduleClients();
    }
  }

  private scheduleAwaitingCount() {
    clearTimeout(this.awaitingTimer);
    this.awaitingTimer = setTimeout(() => void this.loadAwaitingCount(), 150);
  }

  private selectTab(tab: Tab) {
    this.tab = tab === 'settings' && this.currentRole() !== 'admin' ? 'clients' : tab;
    const lazy = this.tab === 'clients' || this.tab === 'inbox' ? undefined : this.tab;
    if (lazy && this.loadedPanes[lazy] !== 'ready') {
      loadPane(lazy).then(
        () => (this.loadedPanes = { ...this.loadedPanes, [lazy]: 'ready' }),
        () => (this.loadedPanes = { ...this.loadedPanes, [lazy]: 'failed' }),
      );
    }
  }

  /** A pane of its own chunk, once the chunk has arrived. */
  private renderLazy(pane: LazyPane, content: () => unknown) {
    const state = this.loadedPanes[pane];
    if (state === 'ready') return content();
    if (state === 'failed')
      return html`<p part="error" role="alert">This section could not be loaded. Please reload the page.</p>`;
    return html`<p part="empty">Loading…</p>`;
  }

  /** Saved in Settings: the header, the appointments' time zone and every pane follow the new profile. */
  private onPracticeChanged(practice: PracticePublic) {
    this.practices = { ...this.practices, [practice.id]: practice };
    if (this.ctx?.practice.id === practice.id) this.ctx = { ...this.ctx, practice };
  }

  private onSelectClient(event: CustomEvent<ClientSelectDetail>) {
    this.selectedClientId = event.detail.clientId;
    this.clientThreadId = undefined;
  }

  private openThread(tab: 'clients' | 'inbox', threadId: string) {
    if (tab === 'clients') this.clientThreadId = threadId;
    else this.inboxThreadId = threadId;
    if (this.alerted.has(threadId)) {
      const rest = new Set(this.alerted);
      rest.delete(threadId);
      this.alerted = rest;
    }
    if (this.alertThreadId === threadId) this.alertThreadId = undefined;
  }

  /** From the new-message notice: the thread's kind decides where it opens. */
  private async openAlerted() {
    const ctx = this.ctx;
    const threadId = this.alertThreadId;
    if (!ctx || !threadId) return;
    try {
      // Only the summary is needed to know where the thread belongs: ask for no messages.
      const { thread } = await ctx.api.getThread(threadId, { afterSeq: Number.MAX_SAFE_INTEGER });
      if (thread.kind === 'contact-us' || thread.kind === 'service') {
        this.tab = 'inbox';
        this.openThread('inbox', threadId);
      } else {
        this.tab = 'clients';
        this.selectedClientId = thread.clientId ?? undefined;
        this.openThread('clients', threadId);
      }
    } catch (error) {
      this.loadError = explain(error);
    }
  }

  private async backFrom(tab: 'clients' | 'inbox') {
    if (tab === 'clients') this.clientThreadId = undefined;
    else this.inboxThreadId = undefined;
    await this.updateComplete;
    // Back where the member came from: the thread's row in the list.
    const pane = this.renderRoot.querySelector(tab === 'clients' ? 'ct-inbox-client' : 'ct-inbox-queue');
    await pane?.updateComplete;
    const rows = pane?.renderRoot.querySelectorAll<HTMLElement>('[part~="thread"][aria-current="true"]');
    (rows?.[0] ?? pane?.renderRoot.querySelector<HTMLElement>('[part~="thread"]'))?.focus();
  }

  private clientName = (clientId: string) => this.clients?.find((c) => c.id === clientId)?.name;

  private renderHeader() {
    const practice = this.practiceId ? this.practices[this.practiceId] : undefined;
    const memberships = this.me?.memberships ?? [];
    // Not a <header> landmark: the element may sit in a page that has its own banner.
    return html`<div part="header">
      <h1 part="title" tabindex="-1">
        <slot name="title">${practice ? `${practice.name} inbox` : 'Practice inbox'}</slot>
      </h1>
      ${
        memberships.length > 1
          ? html`<div part="field practice-field">
              <label part="label" for="practice-select">Practice</label>
              <select
                part="select practice-select"
                id="practice-select"
                @change=${(e: Event) => this.selectPractice((e.target as HTMLSelectElement).value)}
              >
                ${memberships.map(
                  (m) =>
                    html`<option value=${m.practiceId} ?selected=${m.practiceId === this.practiceId}>
                      ${this.practices[m.practiceId]?.name ?? m.practiceId}
                    </option>`,
                )}
              </select>
            </div>`
          : nothing
      }
      <p part="connection connection-${this.connection}" role="status">
        <span class="dot" aria-hidden="true"></span>${CONNECTION_TEXT[this.connection]}
      </p>
      ${
        this.me?.memberships.length
          ? html`<button
              part="button secondary-button home-button"
              type="button"
              aria-pressed=${this.tab === 'home' ? 'true' : 'false'}
              @click=${this.goHome}
            >
              Home &amp; My Network
            </button>`
          : nothing
      }
      <p part="user">${this.signedIn?.user.name}</p>
      <button part="button secondary-button sign-out-button" type="button" @click=${this.signOut}>Sign out</button>
    </div>`;
  }

  /** The button keeps the focus; the view under it changes. */
  private goHome() {
    this.selectTab('home');
    this.clientThreadId = this.inboxThreadId = undefined;
  }

  private renderAlert() {
    if (!this.alertThreadId) return nothing;
    return html`<div part="alert" role="alert">
      <span>A new message arrived for you.</span>
      <button part="button alert-button" type="button" @click=${this.openAlerted}>Open it</button>
      <button
        part="button secondary-button"
        type="button"
        aria-label="Dismiss the new message notice"
        @click=${() => (this.alertThreadId = undefined)}
      >
        Dismiss
      </button>
    </div>`;
  }

  private renderClientsTab(ctx: InboxContext) {
    const client = this.clients?.find((c) => c.id === this.selectedClientId);
    let detail: unknown;
    if (this.clientThreadId) {
      detail = html`<ct-inbox-thread
        exportparts=${exportparts(THREAD_PANE_PARTS)}
        .ctx=${ctx}
        .threadId=${this.clientThreadId}
        .backLabel=${client ? `Back to ${client.name}` : 'Back to the client'}
        @ct-inbox-back=${() => this.backFrom('clients')}
      ></ct-inbox-thread>`;
    } else if (client) {
      detail = html`<ct-inbox-client
        exportparts=${exportparts(CLIENT_PROFILE_PARTS)}
        .ctx=${ctx}
        .client=${client}
        .alerted=${this.alerted}
        @ct-inbox-open=${(e: CustomEvent<OpenThreadDetail>) => this.openThread('clients', e.detail.threadId)}
      ></ct-inbox-client>`;
    } else {
      detail = html`<p part="empty">Choose a client to see their messages.</p>`;
    }
    return html`<div part="layout">
      <div part="list-column">
        <ct-inbox-clients
          exportparts=${exportparts(CLIENT_LIST_PARTS)}
          .ctx=${ctx}
          .clients=${this.clients}
          .selectedId=${this.selectedClientId}
          .loadError=${this.clientsError}
          @ct-inbox-select=${this.onSelectClient}
          @ct-inbox-client-added=${() => this.loadClients()}
        ></ct-inbox-clients>
      </div>
      <div part="detail-column">${detail}</div>
    </div>`;
  }

  private renderInboxTab(ctx: InboxContext) {
    return html`<div part="layout">
      <div part="list-column">
        <ct-inbox-queue
          exportparts=${exportparts(THREAD_QUEUE_PARTS)}
          .ctx=${ctx}
          .selectedId=${this.inboxThreadId}
          .alerted=${this.alerted}
          .clientName=${this.clientName}
          @ct-inbox-open=${(e: CustomEvent<OpenThreadDetail>) => this.openThread('inbox', e.detail.threadId)}
        ></ct-inbox-queue>
      </div>
      <div part="detail-column">
        ${
          this.inboxThreadId
            ? html`<ct-inbox-thread
                exportparts=${exportparts(THREAD_PANE_PARTS)}
                .ctx=${ctx}
                .threadId=${this.inboxThreadId}
                .backLabel=${'Back to the list'}
                @ct-inbox-back=${() => this.backFrom('inbox')}
              ></ct-inbox-thread>`
            : html`<p part="empty">Choose a thread to read it.</p>`
        }
      </div>
    </div>`;
  }

  /** A summary per practice and My Network; a professional of no practice sees this alone. */
  private renderHome(ctx: InboxContext) {
    const practices = (this.me?.memberships ?? []).flatMap((m) => this.practices[m.practiceId] ?? []);
    return this.renderLazy(
      'home',
      () =>
        html`<ct-inbox-home
          exportparts=${exportparts(HOME_PANE_PARTS)}
          .ctx=${ctx}
          .practices=${practices}
          @ct-inbox-practice-select=${(e: CustomEvent<{ practiceId: string }>) => {
            this.selectPractice(e.detail.practiceId);
            this.selectTab('clients');
          }}
        ></ct-inbox-home>`,
    );
  }

  private renderSignedIn(ctx: InboxContext) {
    // Home sits above the practice's sections: its summary's "Open" (or the practice switcher) leads back into them.
    if (this.tab === 'home') return this.renderHome(ctx);
    const needClients = this.clients?.filter((c) => c.needsResponse).length ?? 0;
    const count = (n: number | undefined, what: string) =>
      n ? html` <span part="tab-count">${n}<span class="visually-hidden"> ${what}</span></span>` : nothing;
    const tabs = [
      { id: 'clients' as const, label: html`Clients${count(needClients, 'need a response')}` },
      { id: 'inbox' as const, label: html`Contact Us & services${count(this.awaitingCount, 'awaiting')}` },
      { id: 'appointments' as const, label: 'Appointments' },
      ...(ctx.role === 'admin' ? [{ id: 'settings' as const, label: 'Settings' }] : []),
    ];
    const panel =
      this.tab === 'clients'
        ? this.renderClientsTab(ctx)
        : this.tab === 'inbox'
          ? this.renderInboxTab(ctx)
          : this.tab === 'appointments'
            ? this.renderLazy(
                'appointments',
                () =>
                  html`<ct-inbox-appointments
                    exportparts=${exportparts(APPOINTMENTS_PANE_PARTS)}
                    .ctx=${ctx}
                    .clients=${this.clients}
                  ></ct-inbox-appointments>`,
              )
            : this.renderLazy(
                'settings',
                () =>
                  html`<ct-inbox-settings
                    exportparts=${exportparts(SETTINGS_PANE_PARTS)}
                    .ctx=${ctx}
                    @ct-inbox-practice-changed=${(e: CustomEvent<{ practice: PracticePublic }>) =>
                      this.onPracticeChanged(e.detail.practice)}
                  ></ct-inbox-settings>`,
              );
    return html`${renderTabs<Tab>({
      label: 'Console sections',
      idPrefix: 'console',
      tabs,
      selected: this.tab,
      onSelect: (tab) => this.selectTab(tab),
    })}
    ${renderTabPanel('console', this.tab, panel)}`;
  }

  private renderBody() {
    if (!this.signedIn) {
      return html`<ct-inbox-sign-in
        exportparts=${exportparts(SIGN_IN_PARTS)}
        .session=${this.sessionObj}
        .notice=${this.endedNotice}
        .inviteToken=${this.inviteToken}
        @focusin=${() => (this.usedSignInForm = true)}
        @ct-inbox-invite-spent=${(event: CustomEvent<{ reason: string }>) => {
          this.inviteToken = undefined;
          this.endedNotice = event.detail.reason;
        }}
      ></ct-inbox-sign-in>`;
    }
    if (this.loadError) return html`<p part="error" role="alert">${this.loadError}</p>`;
    if (!this.me) return html`<p part="empty">Loading…</p>`;
    const invitations = renderInvitations({
      invitations: this.invitations,
      busy: this.answering,
      error: this.invitationsError,
      level: 2,
      onAnswer: (invitation, accept) => void this.answer(invitation, accept),
    });
    if (!this.me.memberships.length) return html`${invitations}${this.ctx ? this.renderHome(this.ctx) : nothing}`;
    return html`${invitations}${this.ctx ? this.renderSignedIn(this.ctx) : nothing}`;
  }

  protected override render() {
    return html`${this.signedIn ? this.renderHeader() : nothing}${this.renderAlert()}
      <div part="main">${this.renderBody()}</div>`;
  }
}

if (!customElements.get('ct-inbox')) customElements.define('ct-inbox', CtInbox);
