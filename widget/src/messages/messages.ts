// First: zod (in the lazily loaded validator) must find jitless mode on before it builds a schema, or a strict CSP
// reports its eval probe. See shared/zod-jitless.ts.
import '../shared/zod-jitless.ts';
// Over 400 lines because of the element's documentation: the list of its parts and custom properties (about 85 lines)
// sits on the class, where the custom-elements manifest reads it. Reading, writing and the ways in are in
// threads.ts, writing.ts and getting-in.ts.
import { createClient, type LiveState, type Session, type SessionEndReason } from '@clocktree/client';
import type { Attachment, PracticePublic, User } from '@clocktree/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base.styles.ts';
import { saveBlob } from '../shared/download.ts';
import { errorText as explain } from '../shared/error-text.ts';
import { emit } from '../shared/events.ts';
import { formStyles } from '../shared/form.styles.ts';
import { linkButtonStyles } from '../shared/link-button.styles.ts';
import { watchRingsFor } from '../ringing/rings.ts';
import { invitationStyles } from '../shared/invitations.ts';
import { connectSocket, LiveController } from '../shared/live.ts';
import { SessionController } from '../shared/session-controller.ts';
import { SignInController } from '../shared/sign-in.ts';
import { AppointmentsController } from './appointments.ts';
import { GettingInController } from './getting-in.ts';
import { renderHeader } from './header.ts';
import './messages.events.ts';
import styles from './messages.styles.ts';
import { renderNewMessage } from './new-message.ts';
import { renderThreadList } from './thread-list.ts';
import { ThreadsController } from './threads.ts';
import { renderThreadView } from './thread-view.ts';
import { preloadValidation, validator } from './validator.ts';
import { WritingController } from './writing.ts';

type View = 'list' | 'thread' | 'new';

/**
 * The client's "Messages" tab for one practice: sign in, read and answer the practice's secure messages, write
 * through one of its message services. A prospective client arriving from a notification e-mail
 * (`…/messages/#link=TOKEN`) is signed in to their thread by the link itself.
 *
 * Sessions live in `sessionStorage` (this tab only) and end after the service's idle time without activity in the
 * widget; the widget then shows a notice and forgets everything it held, drafts included.
 *
 * @summary Secure messages between a client and a practice.
 *
 * @event {CustomEvent<{userId: string}>} ct-signed-in - Someone is signed in (signed in here, by an e-mail link, or
 *   still signed in after a reload of the tab).
 * @event {CustomEvent<{reason: 'signed-out' | 'idle' | 'unauthenticated'}>} ct-signed-out - The session ended.
 * @event {CustomEvent<{threadId: string}>} ct-message-sent - A reply or a new message was accepted.
 * @event {CustomEvent<{appointmentId: string, joinUrl: string}>} ct-join-appointment - "Join" on an appointment whose
 *   room is open. Cancelable: unless the page calls `preventDefault()` (to open the room its own way), `joinUrl`
 *   opens in a new tab.
 * @event {CustomEvent<{threadId: string}>} ct-alert - A message arrived that this user is notified of: a hook for a
 *   sound or a title badge on the host page.
 *
 * @csspart base - The whole widget.
 * @csspart header - Practice name, phone and the account bar.
 * @csspart heading - Every heading (also `title`, `sign-in-heading`, `threads-heading`, `thread-heading`, `new-heading`).
 * @csspart phone - The practice's phone line; `phone-link` the number.
 * @csspart account - Who is signed in, the connection state and the sign-out button.
 * @csspart user - "Signed in as …".
 * @csspart connection - The connection state (also `connection-connecting`, `-online`, `-offline`).
 * @csspart notice - Why the user was signed out, or why a link did not work; `renew-link-button` asks for a new link.
 * @csspart sign-in-form - The sign-in form, and the password-reset forms (also `reset-request-form`, `reset-sent`,
 *   `reset-form`).
 * @csspart link-button - A quiet action: `forgot-password-button`, `back-to-sign-in-button`.
 * @csspart status - What succeeded, e.g. that a reset link is on its way.
 * @csspart field - A label, its control and its error.
 * @csspart label - A field's label.
 * @csspart input - Text inputs (also `email-input`, `password-input`, `subject-input`).
 * @csspart select - The message service picker (also `service-select`).
 * @csspart textarea - Message boxes (also `reply-input`, `new-body-input`, `unsent`).
 * @csspart field-error - The problem with one field.
 * @csspart error - Why an action failed.
 * @csspart hint - Helper text.
 * @csspart button - Every button (also `secondary-button` and `sign-in-button`, `sign-out-button`,
 *   `new-message-button`, `back-button`, `send-button`, `attach-button`, `remove-button`).
 * @csspart threads - The thread list section; `toolbar` its heading row.
 * @csspart thread-list - The list; `thread-item` each entry.
 * @csspart thread - A thread's button (also `thread-unread`, `thread-closed`).
 * @csspart thread-title - Its title; `thread-meta` its date.
 * @csspart unread-badge - The "New" marker of an unread thread.
 * @csspart closed-label - The "Closed" marker.
 * @csspart empty - Shown instead of an empty list.
 * @csspart loading - Shown while loading.
 * @csspart conversation - The open thread.
 * @csspart messages - Its messages; `message` each one (also `message-own`, `message-practice`, `message-client`,
 *   `message-prospect`). The same message parts as the console's (shared/message-view.ts).
 * @csspart message-meta - Author, role and time of a message: `message-author`, `message-role`, `message-time`.
 *   Deprecated, kept until the next release: `author`, `role`, `time`, `meta`, `message-header`.
 * @csspart message-body - The text of a message.
 * @csspart attachments - A message's files; `attachment` the download button of one, `attachment-size` its size.
 * @csspart appointments - The client's upcoming appointments with this practice (`appointments-heading`); each is an
 *   `appointment` in `appointment-list`, with `appointment-time`, `appointment-duration` and `join-button`;
 *   `av-test-link` links to Test Audio / Video.
 * @csspart composer - The reply form.
 * @csspart closed-notice - Shown instead of the reply form once the thread is closed.
 * @csspart new-message - The "New message" section; `new-message-form` its form.
 * @csspart dropzone - A form files can be dropped on; `dropzone-active` while files are dragged over it.
 * @csspart attach - The attach button and drop hint.
 * @csspart uploads - The files of a draft; `upload` each (also `upload-uploading`, `upload-done`, `upload-failed`).
 * @csspart upload-name - A file's name and size.
 * @csspart upload-progress - The `<progress>` of an upload; `upload-status` ("Attached") and `upload-error` the outcome.
 *
 * @cssproperty --ct-font-family - Font of the whole widget.
 * @cssproperty --ct-font-size - Base font size.
 * @cssproperty --ct-spacing - Base spacing unit; gaps and paddings derive from it.
 * @cssproperty --ct-radius - Corner radius of inputs, buttons, notices and messages.
 * @cssproperty --ct-color-text - Text colour.
 * @cssproperty --ct-color-muted - Secondary text: dates, hints, roles.
 * @cssproperty --ct-color-border - Borders of inputs, lists and messages.
 * @cssproperty --ct-color-input-background - Background of inputs.
 * @cssproperty --ct-color-input-text - Text colour of inputs.
 * @cssproperty --ct-color-primary - Buttons, unread markers, default focus ring.
 * @cssproperty --ct-color-primary-hover - Hovered buttons.
 * @cssproperty --ct-color-on-primary - Text on primary buttons.
 * @cssproperty --ct-color-focus - Focus ring.
 * @cssproperty --ct-color-surface - Background of the practice's messages and the list.
 * @cssproperty --ct-color-own-message-background - Background of the user's own messages. (`--ct-color-own-message`
 *   still works until the next release; deprecated.)
 * @cssproperty --ct-color-danger - Field errors and invalid borders.
 * @cssproperty --ct-color-danger-background - Background of errors.
 * @cssproperty --ct-color-danger-text - Text of errors.
 * @cssproperty --ct-color-notice-background - Background of notices (closed thread, signed out).
 * @cssproperty --ct-color-online - The connection dot while live.
 * @cssproperty --ct-color-offline - The connection dot while offline.
 */
export class CtMessages extends LitElement {
  static override styles = [baseStyles, formStyles, linkButtonStyles, styles, invitationStyles];

  /** Id of the practice whose messages are shown. */
  @property() accessor practice = '';

  /** Base URL of the API; defaults to the origin the SDK was loaded from. */
  @property() accessor api: string | undefined;

  /** The practice's Test Audio / Video page, linked beside the appointments; defaults to the example site's. */
  @property({ attribute: 'av-test' }) accessor avTest: string | undefined;

  @state() accessor practiceInfo: PracticePublic | undefined;
  @state() accessor user: User | undefined;
  /** A client of this practice may start threads; a prospect from an e-mail link only answers theirs. */
  @state() accessor canWrite = false;
  @state() accessor view: View = 'list';
  @state() accessor connection: LiveState = 'signed-out';
  @state() accessor connectionRefused = false;
  @state() accessor notice = '';
  /** Read out by screen readers: new messages, sends, sign-outs. */
  @state() accessor announcement = '';
  @state() accessor dropActive = false;

  private readonly sessions = new SessionController(this, {
    api: () => this.api,
    guarded: 'your messages',
    watchRings: watchRingsFor,
    onBind: (session) => this.onBind(session),
    onSignedIn: (user) => this.signedIn(user),
    onSignedOut: (reason, notice) => this.signedOut(reason, notice),
  });
  private readonly signIn = new SignInController(this, {
    session: () => this.session,
    heading: () => 'Sign in to your messages',
    hint: () =>
      `Your secure messages with ${this.practiceInfo?.name ?? 'the practice'}. Use the e-mail address and password of your client account.`,
    validate: async (input) => (await validator())?.validateLogin(input),
    onFocus: preloadValidation,
    onSignedIn: () => {
      this.notice = '';
      void this.focusAfterUpdate('[part~="threads-heading"]');
    },
  });
  private readonly reading = new ThreadsController(this, {
    session: () => this.session,
    practice: () => this.practice,
    userId: () => this.user?.id,
    announce: (text) => (this.announcement = text),
    alert: (threadId) => emit(this, 'ct-alert', { threadId }),
  });
  private readonly writing = new WritingController(this, {
    session: () => this.session,
    practice: () => this.practice,
    threads: this.reading,
    announce: (text) => (this.announcement = text),
    sent: (threadId) => emit(this, 'ct-message-sent', { threadId }),
    open: (threadId) => void this.openThread(threadId),
    focus: (selector) => this.focusAfterUpdate(selector),
  });
  private readonly gettingIn = new GettingInController(this, {
    session: () => this.session,
    practice: () => this.practice,
    switchPractice: (practiceId) => (this.practice = practiceId),
    notify: (notice) => (this.notice = notice),
    announce: (text) => (this.announcement = text),
    signedIn: (user) => this.signedIn(user),
    openThread: (threadId) => void this.openThread(threadId),
    accepted: () => this.afterSignIn(),
    focus: (selector) => this.focusAfterUpdate(selector),
  });
  private readonly appointments = new AppointmentsController(this, {
    session: () => this.session,
    practice: () => this.practice,
    avTestHref: () =>
      this.avTest ??
      `${this.session?.baseUrl ?? ''}/examples/practice-site/av-test.html?practice=${encodeURIComponent(this.practice)}`,
  });
  private readonly live = new LiveController(this, (session) =>
    connectSocket(session, {
      state: (state, refusal) => {
        this.connection = state;
        this.connectionRefused = refusal === 'forbidden';
      },
      resync: () => this.resync(),
      messageNew: (payload) => this.reading.onMessageNew(payload),
      threadUpdated: ({ thread }) => this.reading.onThreadUpdated(thread),
      unavailable: () => {
        // Tried again on the next sign-in or practice change.
        this.live.close();
        this.connection = 'offline';
      },
    }),
  );
  private practiceLoad: AbortController | undefined;

  private get session(): Session | undefined {
    return this.sessions.session;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A late answer can still update a removed element; it must not subscribe or connect again.
    if (!this.isConnected) return;
    const rebound = this.sessions.bind();
    if (!rebound && changed.has('practice')) {
      void this.loadPractice();
      this.clearData();
      if (this.user) this.afterSignIn();
    }
  }

  // ---- session -------------------------------------------------------------------------------------------------

  /** A session (the first, or another API's) is followed: what belonged to the previous one goes. */
  private onBind(session: Session): boolean {
    this.release();
    this.writing.forget();
    void this.loadPractice();
    return this.gettingIn.bind(session);
  }

  /** Stops what runs for the current session: the socket, loads, the open thread's reader. */
  private release() {
    this.live.close();
    this.practiceLoad?.abort();
    this.reading.stop();
  }

  private signedIn(user: User) {
    const changed = this.user?.id !== user.id;
    if (changed && this.user) this.clearData();
    this.user = user;
    this.notice = '';
    this.gettingIn.signedIn();
    if (changed) emit(this, 'ct-signed-in', { userId: user.id });
    if (changed || !this.writing.started) this.writing.start(user.id);
    this.afterSignIn();
  }

  private afterSignIn() {
    void this.reading.loadThreads();
    void this.appointments.refresh();
    void this.loadCanWrite();
    void this.gettingIn.loadInvitation(this.sessions.signal);
    this.openLive();
  }

  private signedOut(reason: SessionEndReason, notice: string) {
    const wasSignedIn = Boolean(this.user);
    const hadFocus = this.matches(':focus-within');
    this.clearData();
    this.writing.signedOut();
    this.user = undefined;
    this.view = 'list';
    this.notice = notice;
    this.signIn.reset();
    this.announcement = this.notice;
    if (wasSignedIn) emit(this, 'ct-signed-out', { reason });
    if (hadFocus) void this.focusAfterUpdate('[part~="notice"]');
  }

  /** Forgets everything shown and typed: after sign-out nothing of the previous user may stay in the page. */
  private clearData() {
    this.reading.clear();
    this.appointments.clear();
    this.canWrite = false;
    this.gettingIn.clear();
    this.writing.clear();
    if (this.view !== 'list') this.view = 'list';
  }

  private async onSignOut() {
    await this.session?.logout();
  }

  // ---- loading -------------------------------------------------------------------------------------------------

  private async loadPractice() {
    this.practiceLoad?.abort();
    if (!this.practice || !this.session) return;
    const load = (this.practiceLoad = new AbortController());
    try {
      // Public, so asked without the token: looking at the header is not use of the session.
      const client = createClient({ baseUrl: this.session.baseUrl });
      const { practice } = await client.getPractice(this.practice, { signal: load.signal });
      if (!load.signal.aborted) this.practiceInfo = practice;
    } catch {
      // The header is a nicety: everything else works without the name and phone.
    }
  }

  private async loadCanWrite() {
    const session = this.session;
    const signal = this.sessions.signal;
    if (!session) return;
    try {
      const me = await session.me({ signal });
      if (signal.aborted) return;
      // A page that names no practice (the invitation's bare `/messages/#invite=` link, reloaded) opens on the
      // client's practice when there is only one; the change of `practice` loads its messages.
      if (!this.practice && me.clientOf.length === 1) this.practice = me.clientOf[0]!;
      else this.canWrite = Boolean(this.practice) && me.clientOf.includes(this.practice);
    } catch {
      // Without it, "New message" stays hidden; replies still work.
    }
  }

  private async openThread(threadId: string) {
    if (!this.session) return;
    this.view = 'thread';
    this.dropActive = false;
    await this.reading.openThread(threadId);
    if (this.reading.threadId === threadId) await this.focusAfterUpdate('[part~="thread-heading"]');
  }

  // ---- live ----------------------------------------------------------------------------------------------------

  /** Socket.IO's client is fetched only now, after sign-in: a signed-out visitor never downloads it. */
  private openLive() {
    const session = this.session;
    if (!session || this.live.isOpen) return;
    this.connection = 'connecting';
    this.live.open(session);
  }

  private resync() {
    if (!this.user) return;
    this.writing.resume();
    this.reading.resync(this.view === 'thread');
  }

  private async download(attachment: Attachment) {
    const session = this.session;
    if (!session) return;
    try {
      const blob = await session.api.downloadAttachment(attachment.id);
      saveBlob(this.renderRoot as ShadowRoot, blob, attachment.name);
    } catch (error) {
      this.reading.threadError = `${attachment.name} could not be downloaded. ${explain(error)}`;
      this.requestUpdate();
    }
  }

  // ---- navigation ----------------------------------------------------------------------------------------------

  private async showList() {
    const from = this.reading.threadId;
    this.view = 'list';
    this.reading.closeThread();
    this.dropActive = false;
    await this.focusAfterUpdate(from ? `[data-thread-id="${from}"]` : '[part~="threads-heading"]');
  }

  private async showNew() {
    this.view = 'new';
    this.dropActive = false;
    await this.focusAfterUpdate('[part~="new-heading"]');
  }

  private async focusAfterUpdate(selector: string) {
    await this.updateComplete;
    (this.renderRoot.querySelector<HTMLElement>(selector) ?? this.renderRoot.querySelector<HTMLElement>('h3'))?.focus();
  }

  // ---- rendering -----------------------------------------------------------------------------------------------

  private renderBody() {
    const gate = this.gettingIn.renderGate();
    if (gate) return gate;
    if (!this.user) {
      return this.signIn.render();
    }
    const { reading, writing } = this;
    if (this.view === 'thread') {
      const draft = writing.draftFor(reading.thread?.id ?? reading.threadId ?? '');
      return renderThreadView({
        thread: reading.thread,
        messages: reading.messages,
        practice: this.practiceInfo,
        userId: this.user.id,
        error: reading.threadError,
        draft,
        dropActive: this.dropActive,
        onBack: () => void this.showList(),
        onDownload: (attachment) => void this.download(attachment),
        onSend: (event) => void writing.sendReply(event),
        onInput: (event) => writing.onReplyInput(event),
        onFiles: (files) => writing.attach(draft, files),
        onDropActive: (active) => (this.dropActive = active),
        onFocus: preloadValidation,
      });
    }
    if (this.view === 'new') {
      return renderNewMessage({
        practice: this.practiceInfo,
        draft: writing.newDraft,
        dropActive: this.dropActive,
        onBack: () => void this.showList(),
        onSubmit: (event) => void writing.sendNew(event),
        onInput: (event) => writing.onNewInput(event),
        onFiles: (files) => writing.attach(writing.newDraft, files),
        onDropActive: (active) => (this.dropActive = active),
        onFocus: preloadValidation,
      });
    }
    return html`${this.gettingIn.renderInvitation()}${this.appointments.render()}${renderThreadList({
      threads: reading.threads,
      practice: this.practiceInfo,
      error: reading.listError,
      canWrite: this.canWrite,
      onOpen: (thread) => void this.openThread(thread.id),
      onNew: () => void this.showNew(),
    })}`;
  }

  protected override render() {
    return html`<div part="base">
      ${renderHeader({
        practice: this.practiceInfo,
        user: this.user,
        connection: this.connection,
        refused: this.connectionRefused,
        onSignOut: () => void this.onSignOut(),
      })}
      ${this.notice ? html`<p part="notice" tabindex="-1">${this.notice}</p>` : nothing}
      ${this.user ? nothing : this.gettingIn.renderRenew()} ${this.renderBody()}
      <div class="visually-hidden" role="status">${this.announcement}</div>
    </div>`;
  }
}

if (!customElements.get('ct-messages')) customElements.define('ct-messages', CtMessages);

declare global {
  interface HTMLElementTagNameMap {
    'ct-messages': CtMessages;
  }
}
