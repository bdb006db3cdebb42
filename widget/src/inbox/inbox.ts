// Over 400 lines: about 90 are the element's documentation. Practice selection and the address state are in
// console-view.ts, the practice's clients in practice-clients.ts, the header and the two-column sections in
// console-header.ts and console-sections.ts; what stays is the session, invitations, alerts and the tabs.
import type { Session, SessionInfo } from '@clocktree/client';
import type { Invitation, PracticePublic } from '@clocktree/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { emit } from '../shared/events.ts';
import { answerInvitation, invitationStyles, loadInvitations, renderInvitations } from '../shared/invitations.ts';
import { watchRingsFor } from '../ringing/rings.ts';
import { explain, InboxHub, isAbort, type InboxContext } from './inbox-context.ts';
import { connectLive, type ConnectionState } from './inbox-live.ts';
import { LiveController } from '../shared/live.ts';
import styles from './inbox.styles.ts';
import { renderAlert, renderHeader } from './console-header.ts';
import { exportparts, renderClientsSection, renderInboxSection, type SectionOptions } from './console-sections.ts';
import { ConsoleView, type Tab } from './console-view.ts';
import { PracticeClients } from './practice-clients.ts';
import { APPOINTMENTS_PANE_PARTS, HOME_PANE_PARTS, SETTINGS_PANE_PARTS } from './lazy-panes.ts';
import { takeInviteToken } from '../shared/invite-form.ts';
import { SessionController } from '../shared/session-controller.ts';
import { SIGN_IN_PARTS } from './sign-in.ts';
import { renderTabPanel, renderTabs } from './tabs.ts';

export type { CtAlertDetail } from '../shared/events.ts';

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox': CtInbox;
  }
}

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
  @state() accessor loadError = '';
  @state() accessor alerted: ReadonlySet<string> = new Set();
  @state() accessor alertThreadId: string | undefined;
  @state() accessor connection: ConnectionState = 'connecting';

  private readonly hub = new InboxHub();
  private readonly view = new ConsoleView(this, {
    session: () => this.sessionObj,
    hub: this.hub,
    onPractice: () => {
      this.alertThreadId = undefined;
      this.roster.reset();
      this.roster.load();
    },
  });
  private readonly roster = new PracticeClients(this, this.hub, () => this.view.ctx);
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
      rosterChanged: (payload) => this.hub.emit('roster:changed', payload),
      resync: () => this.hub.emit('resync', {}),
    }),
  );
  private loading: AbortController | undefined;

  private get sessionObj(): Session | undefined {
    return this.sessions.session;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
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
    this.roster.stop();
  }

  private onSignedOut(notice: string) {
    this.resetSignedIn();
    this.signedIn = undefined;
    this.endedNotice = notice;
  }

  private resetSignedIn() {
    this.live.close();
    this.loading?.abort();
    this.view.reset();
    this.roster.reset();
    this.alertThreadId = undefined;
    this.invitations = [];
    this.alerted = new Set();
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
    if (!fromForm || !this.view.me) return;
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
    this.view.forget();
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
      await this.view.open(me, session, signal);
      this.loadError = '';
      this.connect();
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  private connect() {
    this.connection = 'connecting';
    this.live.reopen(this.sessionObj!);
  }

  private raiseAlert(threadId: string) {
    const open = this.view.isOpen(threadId);
    emit(this, 'ct-alert', { threadId });
    // The thread on screen needs no highlight: the member is looking at the new message already.
    if (open) return;
    this.alerted = new Set([...this.alerted, threadId]);
    this.alertThreadId = threadId;
  }

  private openThread(tab: 'clients' | 'inbox', threadId: string) {
    this.view.openThread(tab, threadId);
    if (this.alerted.has(threadId)) {
      const rest = new Set(this.alerted);
      rest.delete(threadId);
      this.alerted = rest;
    }
    if (this.alertThreadId === threadId) this.alertThreadId = undefined;
  }

  /** From the new-message notice: the thread's kind decides where it opens. */
  private async openAlerted() {
    const ctx = this.view.ctx;
    const threadId = this.alertThreadId;
    if (!ctx || !threadId) return;
    try {
      // Only the summary is needed to know where the thread belongs: ask for no messages.
      const { thread } = await ctx.api.getThread(threadId, { afterSeq: Number.MAX_SAFE_INTEGER });
      const tab = thread.kind === 'contact-us' || thread.kind === 'service' ? 'inbox' : 'clients';
      this.view.selectTab(tab);
      if (tab === 'clients') this.view.selectClient(thread.clientId ?? undefined);
      this.openThread(tab, threadId);
    } catch (error) {
      this.loadError = explain(error);
    }
  }

  private async backFrom(tab: 'clients' | 'inbox') {
    this.view.openThread(tab, undefined);
    await this.updateComplete;
    // Back where the member came from: the thread's row in the list.
    const pane = this.renderRoot.querySelector(tab === 'clients' ? 'ct-inbox-client' : 'ct-inbox-queue');
    await pane?.updateComplete;
    const rows = pane?.renderRoot.querySelectorAll<HTMLElement>('[part~="thread"][aria-current="true"]');
    (rows?.[0] ?? pane?.renderRoot.querySelector<HTMLElement>('[part~="thread"]'))?.focus();
  }

  private sectionOptions(ctx: InboxContext): SectionOptions {
    return {
      ctx,
      view: this.view,
      roster: this.roster,
      alerted: this.alerted,
      onOpen: (tab, threadId) => this.openThread(tab, threadId),
      onBack: (tab) => void this.backFrom(tab),
    };
  }

  /** A summary per practice and My Network; a professional of no practice sees this alone. */
  private renderHome(ctx: InboxContext) {
    const practices = (this.view.me?.memberships ?? []).flatMap((m) => this.view.practices[m.practiceId] ?? []);
    return this.view.renderLazy(
      'home',
      () =>
        html`<ct-inbox-home
          exportparts=${exportparts(HOME_PANE_PARTS)}
          .ctx=${ctx}
          .practices=${practices}
          @ct-inbox-practice-select=${(e: CustomEvent<{ practiceId: string }>) => {
            this.view.selectPractice(e.detail.practiceId, this.signedIn);
            this.view.selectTab('clients');
          }}
        ></ct-inbox-home>`,
    );
  }

  private renderSignedIn(ctx: InboxContext) {
    // Home sits above the practice's sections: its summary's "Open" (or the practice switcher) leads back into them.
    const { tab } = this.view;
    if (tab === 'home') return this.renderHome(ctx);
    const needClients = this.roster.clients?.filter((c) => c.needsResponse).length ?? 0;
    const count = (n: number | undefined, what: string) =>
      n ? html` <span part="tab-count">${n}<span class="visually-hidden"> ${what}</span></span>` : nothing;
    const tabs = [
      { id: 'clients' as const, label: html`Clients${count(needClients, 'need a response')}` },
      { id: 'inbox' as const, label: html`Contact Us & services${count(this.roster.awaitingCount, 'awaiting')}` },
      { id: 'appointments' as const, label: 'Appointments' },
      ...(ctx.role === 'admin' ? [{ id: 'settings' as const, label: 'Settings' }] : []),
    ];
    const panel =
      tab === 'clients'
        ? renderClientsSection(this.sectionOptions(ctx))
        : tab === 'inbox'
          ? renderInboxSection(this.sectionOptions(ctx))
          : tab === 'appointments'
            ? this.view.renderLazy(
                'appointments',
                () =>
                  html`<ct-inbox-appointments
                    exportparts=${exportparts(APPOINTMENTS_PANE_PARTS)}
                    .ctx=${ctx}
                    .clients=${this.roster.clients}
                  ></ct-inbox-appointments>`,
              )
            : this.view.renderLazy(
                'settings',
                () =>
                  html`<ct-inbox-settings
                    exportparts=${exportparts(SETTINGS_PANE_PARTS)}
                    .ctx=${ctx}
                    @ct-inbox-practice-changed=${(e: CustomEvent<{ practice: PracticePublic }>) =>
                      this.view.practiceChanged(e.detail.practice)}
                  ></ct-inbox-settings>`,
              );
    return html`${renderTabs<Tab>({
      label: 'Console sections',
      idPrefix: 'console',
      tabs,
      selected: tab,
      onSelect: (next) => this.view.selectTab(next),
    })}
    ${renderTabPanel('console', tab, panel)}`;
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
    const { me, ctx } = this.view;
    if (!me) return html`<p part="empty">Loading…</p>`;
    const invitations = renderInvitations({
      invitations: this.invitations,
      busy: this.answering,
      error: this.invitationsError,
      level: 2,
      onAnswer: (invitation, accept) => void this.answer(invitation, accept),
    });
    if (!me.memberships.length) return html`${invitations}${ctx ? this.renderHome(ctx) : nothing}`;
    return html`${invitations}${ctx ? this.renderSignedIn(ctx) : nothing}`;
  }

  protected override render() {
    const header = renderHeader({
      view: this.view,
      connection: this.connection,
      userName: this.signedIn?.user.name,
      onPractice: (practiceId) => this.view.selectPractice(practiceId, this.signedIn),
      onSignOut: () => void this.signOut(),
    });
    const alert = renderAlert({
      shown: Boolean(this.alertThreadId),
      onOpen: () => void this.openAlerted(),
      onDismiss: () => (this.alertThreadId = undefined),
    });
    return html`${this.signedIn ? header : nothing}${alert}
      <div part="main">${this.renderBody()}</div>`;
  }
}

if (!customElements.get('ct-inbox')) customElements.define('ct-inbox', CtInbox);
