// First: zod (in the lazily loaded validator) must find jitless mode on before it builds a schema, or a strict CSP
// reports its eval probe. See shared/zod-jitless.ts.
import '../shared/zod-jitless.ts';
import {
  ApiError,
  connectLive,
  createClient,
  createOutbox,
  createThreadReader,
  type Live,
  type LiveState,
  type Outbox,
  type OutboxStore,
  type Session,
  type SessionEndReason,
  type ThreadReader,
} from '@clocktree/client';
import type {
  Attachment,
  Invitation,
  Message,
  PracticePublic,
  ThreadDetail,
  ThreadSummary,
  User,
} from '@clocktree/protocol';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base.styles.ts';
import { saveBlob } from '../shared/download.ts';
import { errorText, placeFields } from '../shared/error-text.ts';
import { emit } from '../shared/events.ts';
import { takeHashToken } from '../shared/hash-token.ts';
import { formStyles } from '../shared/form.styles.ts';
import { linkButtonStyles } from '../shared/link-button.styles.ts';
import { watchRingsFor } from '../ringing/rings.ts';
import { answerInvitation, invitationStyles, loadInvitations, renderInvitations } from '../shared/invitations.ts';
import {
  inviteBody,
  inviteFailure,
  renderInviteForm,
  takeInviteToken,
  type InviteField,
} from '../shared/invite-form.ts';
import { SessionController } from '../shared/session-controller.ts';
import { SignInController } from '../shared/sign-in.ts';
import { Draft } from '../shared/draft.ts';
import { tabOutbox } from '../shared/tab-outbox.ts';
import { byNewest } from './format.ts';
import './messages.events.ts';
import styles from './messages.styles.ts';
import { renderNewMessage } from './new-message.ts';
import { renderThreadList } from './thread-list.ts';
import { renderThreadView } from './thread-view.ts';

type View = 'list' | 'thread' | 'new';

// zod weighs more than the rest of this widget, so the validator is fetched once someone starts filling in a form.
let validation: Promise<typeof import('./messages.validation.ts')> | undefined;
const loadValidation = () =>
  (validation ??= import('./messages.validation.ts').catch((error: unknown) => {
    validation = undefined;
    throw error;
  }));
const preloadValidation = () => void loadValidation().catch(() => undefined);
/** The validator, or nothing when its chunk cannot be loaded: the server validates the same way in any case. */
const validator = () => loadValidation().catch(() => undefined);

const CONNECTION_LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  online: 'Live',
  offline: 'Offline, reconnecting…',
  'signed-out': 'Not connected',
};

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
const lastSeq = (messages: Message[]) => messages.at(-1)?.seq ?? 0;

const explain = (error: unknown) => errorText(error);

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
 *   `message-prospect`).
 * @csspart message-meta - Author, role and time of a message (`author`, `role`, `time`).
 * @csspart message-body - The text of a message.
 * @csspart attachments - A message's files; `attachment` the download button of one, `attachment-size` its size.
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

  @state() accessor practiceInfo: PracticePublic | undefined;
  @state() accessor user: User | undefined;
  /** A client of this practice may start threads; a prospect from an e-mail link only answers theirs. */
  @state() accessor canWrite = false;
  @state() accessor view: View = 'list';
  @state() accessor threads: ThreadSummary[] | undefined;
  @state() accessor listError = '';
  @state() accessor thread: ThreadDetail | undefined;
  @state() accessor messages: Message[] = [];
  @state() accessor threadError = '';
  @state() accessor connection: LiveState = 'signed-out';
  @state() accessor connectionRefused = false;
  @state() accessor notice = '';
  @state() accessor linking = false;
  /** A prospect's e-mail link that was used or had expired: it can still ask for a fresh one to the same address. */
  @state() accessor spentLink: string | undefined;
  @state() accessor renewing = false;
  /** This practice's invitation to the signed-in person, if it waits for an answer. */
  @state() accessor invitation: Invitation | undefined;
  @state() accessor invitationBusy = false;
  @state() accessor invitationError = '';
  /** The token of the invitation link this page was opened with (`#invite=`), until it is used. */
  @state() accessor inviteToken: string | undefined;
  @state() accessor invite: { busy: boolean; error: string; fieldErrors: Partial<Record<InviteField, string>> } = {
    busy: false,
    error: '',
    fieldErrors: {},
  };
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
  private outbox: Outbox | undefined;
  private outboxStore: OutboxStore | undefined;
  private live: Live | undefined;
  private liveRequested = false;
  private offLive: (() => void)[] = [];
  private threadId: string | undefined;
  private drafts = new Map<string, Draft>();
  private newDraft = new Draft(() => this.requestUpdate());
  private listLoad: AbortController | undefined;
  /** The open thread's messages, kept whole across out-of-order, repeated and lost pushes. */
  private reader: ThreadReader | undefined;
  private practiceLoad: AbortController | undefined;
  private listReloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Alerts for threads not in the list yet; raised once the list shows them to belong to this practice. */
  private pendingAlerts = new Set<string>();

  private get session(): Session | undefined {
    return this.sessions.session;
  }

  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.markRead();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisible);
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
    this.outbox = undefined;
    void this.loadPractice();
    this.inviteToken = takeInviteToken() ?? this.inviteToken;
    return this.consumeLink(session);
  }

  /**
   * Replies are kept in the tab until the service answers them: what an earlier page (a reload) or a dropped network
   * left unsent goes out now, each under its first key, and shows up through the thread's pushes and re-syncs.
   */
  private startOutbox(userId: string) {
    const session = this.session;
    if (!session) return;
    this.outboxStore = tabOutbox(userId);
    this.outbox = createOutbox({ api: session.api, ...(this.outboxStore ? { store: this.outboxStore } : {}) });
    void this.outbox.resume();
  }

  /** Stops what runs for the current session: the socket, loads, the open thread's reader. */
  private release() {
    this.closeLive();
    for (const load of [this.listLoad, this.practiceLoad]) load?.abort();
    this.closeReader();
    clearTimeout(this.listReloadTimer);
  }

  private signedIn(user: User) {
    const changed = this.user?.id !== user.id;
    if (changed && this.user) this.clearData();
    this.user = user;
    this.notice = '';
    this.spentLink = undefined;
    if (changed) emit(this, 'ct-signed-in', { userId: user.id });
    if (changed || !this.outbox) this.startOutbox(user.id);
    this.afterSignIn();
  }

  private afterSignIn() {
    void this.loadThreads();
    void this.loadCanWrite();
    void this.loadInvitation();
    this.openLive();
  }

  /** Someone with an account whom this practice added answers its invitation here, on the practice's own page. */
  private async loadInvitation() {
    const session = this.session;
    if (!session || !this.practice) return;
    try {
      const invitations = await loadInvitations(session.api);
      if (this.session === session) this.invitation = invitations.find((i) => i.practice.id === this.practice);
    } catch {
      // Without it the invitation stays in the e-mail's portal link; messages still work.
    }
  }

  private async answerInvitation(invitation: Invitation, accept: boolean) {
    const session = this.session;
    if (!session || this.invitationBusy) return;
    this.invitationBusy = true;
    this.invitationError = '';
    try {
      await answerInvitation(session.api, invitation, accept);
      this.invitation = undefined;
      this.announcement = accept ? `You are now a client of ${invitation.practice.name}.` : 'Invitation declined.';
      if (accept) this.afterSignIn();
    } catch (error) {
      this.invitationError = explain(error);
    } finally {
      this.invitationBusy = false;
    }
  }

  private signedOut(reason: SessionEndReason, notice: string) {
    const wasSignedIn = Boolean(this.user);
    const hadFocus = this.matches(':focus-within');
    this.clearData();
    // Unsent replies are health information: they do not stay in the tab once nobody is signed in.
    this.outboxStore?.clear();
    this.outboxStore = this.outbox = undefined;
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
    this.listLoad?.abort();
    this.closeReader();
    this.threads = undefined;
    this.thread = undefined;
    this.threadId = undefined;
    this.messages = [];
    this.listError = this.threadError = '';
    this.canWrite = false;
    this.invitation = undefined;
    for (const draft of this.drafts.values()) draft.clear();
    this.drafts.clear();
    this.newDraft.clear();
    this.pendingAlerts.clear();
    if (this.view !== 'list') this.view = 'list';
  }

  /** `#link=TOKEN` from a notification e-mail: exchanged once, removed from the address at once, thread opened. */
  private consumeLink(session: Session): boolean {
    const token = takeHashToken('link');
    if (!token) return false;
    this.linking = true;
    session.linkExchange(token).then(
      ({ threadId }) => {
        this.linking = false;
        void this.openThread(threadId);
      },
      (error: unknown) => {
        this.linking = false;
        const user = session.user;
        if (user) this.signedIn(user);
        const spent = error instanceof ApiError && error.code === 'unauthenticated';
        this.spentLink = spent ? token : undefined;
        this.notice = spent
          ? 'This link has expired or has already been used. Links from our e-mails work once, for 72 hours. We can send a new link to the address this one was sent to; or sign in if you have an account.'
          : `Your message could not be opened. ${explain(error)}`;
      },
    );
    return true;
  }

  /** A first-time client chose a password on the page their invitation e-mail opened: signed in, and linked. */
  private async onAcceptInvite(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const session = this.session;
    const token = this.inviteToken;
    if (!session || !token || this.invite.busy) return;
    if (!form.checkValidity()) return form.reportValidity();
    this.invite = { busy: true, error: '', fieldErrors: {} };
    try {
      const { practiceId } = await session.acceptInvite(inviteBody(form, token));
      this.inviteToken = undefined;
      this.invite = { busy: false, error: '', fieldErrors: {} };
      // The link names no practice: the portal opens on the one that invited them.
      if (practiceId !== this.practice) this.practice = practiceId;
      await this.focusAfterUpdate('[part~="threads-heading"]');
    } catch (error) {
      const failure = inviteFailure(error);
      const final = error instanceof ApiError && (error.code === 'unauthenticated' || error.code === 'conflict');
      // A used or expired link, or an address that has an account: the sign-in form is the way in now.
      if (final) this.inviteToken = undefined;
      this.notice = final ? failure.error : '';
      this.invite = { busy: false, ...(final ? { error: '', fieldErrors: {} } : failure) };
      await this.focusAfterUpdate('[aria-invalid="true"], [part~="error"]:not(:empty), [part~="notice"]');
    }
  }

  /** "Send me a new link": mailed to the address the spent link was for; the page never learns or shows it. */
  private async renewLink() {
    const session = this.session;
    const token = this.spentLink;
    if (!session || !token || this.renewing) return;
    this.renewing = true;
    try {
      await session.renewLink(token);
      this.spentLink = undefined;
      this.notice =
        'We have sent a new link to the address the old one was sent to. It works once, for 72 hours: open it from your most recent e-mail.';
    } catch (error) {
      this.notice = `A new link could not be sent. ${explain(error)}`;
    } finally {
      this.renewing = false;
    }
    this.announcement = this.notice;
    await this.focusAfterUpdate('[part~="notice"]');
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
    if (!session || !this.practice) return;
    try {
      const me = await session.me();
      if (this.session === session) this.canWrite = me.clientOf.includes(this.practice);
    } catch {
      // Without it, "New message" stays hidden; replies still work.
    }
  }

  private async loadThreads() {
    const session = this.session;
    if (!session || !this.user || !this.practice) return;
    this.listLoad?.abort();
    const load = (this.listLoad = new AbortController());
    try {
      const { threads } = await session.api.listThreads({ practiceId: this.practice }, { signal: load.signal });
      if (load.signal.aborted) return;
      this.threads = [...threads].sort(byNewest);
      this.listError = '';
      for (const id of this.pendingAlerts)
        if (threads.some((t) => t.id === id)) emit(this, 'ct-alert', { threadId: id });
      this.pendingAlerts.clear();
    } catch (error) {
      if (isAbort(error) || load.signal.aborted) return;
      // A list already shown stays; it is refreshed on the next reconnect.
      if (!this.threads) this.listError = explain(error);
    }
  }

  private scheduleListReload() {
    clearTimeout(this.listReloadTimer);
    this.listReloadTimer = setTimeout(() => void this.loadThreads(), 150);
  }

  private async openThread(threadId: string) {
    const session = this.session;
    if (!session) return;
    this.view = 'thread';
    this.dropActive = false;
    this.threadId = threadId;
    this.thread = undefined;
    this.messages = [];
    this.threadError = '';
    this.closeReader();
    const reader = (this.reader = createThreadReader({
      api: session.api,
      threadId,
      onMessages: (messages) => {
        if (this.reader === reader) this.messages = [...messages];
      },
      // Reads after the first (gap fills, re-syncs) also bring the thread's newest state.
      onThread: (thread) => {
        if (this.reader !== reader || !this.thread) return;
        this.thread = { ...thread, lastReadSeq: Math.max(thread.lastReadSeq, this.thread.lastReadSeq) };
        this.patchListed(thread);
        this.markRead();
      },
    }));
    try {
      const thread = await reader.load();
      if (this.reader !== reader) return;
      this.thread = thread;
      this.patchListed(thread);
      this.markRead();
      await this.focusAfterUpdate('[part~="thread-heading"]');
    } catch (error) {
      if (isAbort(error) || this.reader !== reader) return;
      this.threadError = explain(error);
      await this.focusAfterUpdate('[part~="thread-heading"]');
    }
  }

  private closeReader() {
    this.reader?.close();
    this.reader = undefined;
  }

  /** Moves the read marker to the newest message shown, while the page is visible. Best effort. */
  private markRead() {
    const thread = this.thread;
    const session = this.session;
    if (!thread || !session || document.visibilityState === 'hidden') return;
    const seq = Math.max(thread.seq, lastSeq(this.messages));
    if (seq <= thread.lastReadSeq) return;
    this.thread = { ...thread, lastReadSeq: seq };
    this.patchListed({ id: thread.id, lastReadSeq: seq });
    session.api.markRead(thread.id, seq).catch(() => undefined);
  }

  /** Applies a change to a thread in the list, keeping newest first. */
  private patchListed(patch: Partial<ThreadSummary> & { id: string }) {
    if (!this.threads) return;
    const { contact: _contact, ...fields } = patch as Partial<ThreadDetail> & { id: string };
    this.threads = this.threads.map((t) => (t.id === patch.id ? { ...t, ...fields } : t)).sort(byNewest);
  }

  // ---- live ----------------------------------------------------------------------------------------------------

  /** Socket.IO's client is fetched only now, after sign-in: a signed-out visitor never downloads it. */
  private openLive() {
    const session = this.session;
    if (!session || this.live || this.liveRequested) return;
    this.liveRequested = true;
    this.connection = 'connecting';
    connectLive({ session }).then(
      (live) => {
        if (this.session !== session || !this.liveRequested) return live.close();
        this.live = live;
        const show = (state: LiveState) => {
          this.connection = state;
          this.connectionRefused = live.refusal === 'forbidden';
        };
        show(live.state);
        this.offLive = [
          live.onState(show),
          live.onResync(() => this.resync()),
          live.on('message:new', (payload) => this.onMessageNew(payload)),
          live.on('thread:updated', ({ thread }) => this.onThreadUpdated(thread)),
        ];
      },
      () => {
        this.liveRequested = false;
        this.connection = 'offline';
      },
    );
  }

  private closeLive() {
    for (const off of this.offLive) off();
    this.offLive = [];
    this.live?.close();
    this.live = undefined;
    this.liveRequested = false;
  }

  private resync() {
    if (!this.user) return;
    void this.outbox?.resume();
    void this.loadThreads();
    if (this.view !== 'thread') return;
    if (this.thread) void this.reader?.resync();
    else if (this.threadId && this.threadError) void this.openThread(this.threadId);
  }

  private onMessageNew({ threadId, message, alert }: { threadId: string; message: Message; alert: boolean }) {
    const own = Boolean(message.authorId && message.authorId === this.user?.id);
    const listed = this.threads?.find((t) => t.id === threadId);
    if (listed) {
      this.patchListed({
        id: threadId,
        seq: Math.max(listed.seq, message.seq),
        lastMessageAt: message.createdAt,
        ...(own ? { lastReadSeq: Math.max(listed.lastReadSeq, message.seq) } : {}),
      });
    } else {
      // A thread the list does not have yet: possibly of this practice, possibly of another one the user is a client of.
      this.scheduleListReload();
    }
    if (alert) {
      if (listed || this.thread?.id === threadId) emit(this, 'ct-alert', { threadId });
      else this.pendingAlerts.add(threadId);
    }
    const shown = this.thread;
    if (shown?.id !== threadId || !this.reader) return;
    // Pushes may come out of order or twice; the reader holds each message once and fetches what a gap hides.
    const fresh = !this.reader.messages.some((m) => m.id === message.id);
    this.reader.add(message);
    this.thread = {
      ...shown,
      seq: Math.max(shown.seq, message.seq),
      lastMessageAt: message.seq >= shown.seq ? message.createdAt : shown.lastMessageAt,
      ...(own ? { lastReadSeq: Math.max(shown.lastReadSeq, message.seq) } : {}),
    };
    if (!own && fresh) {
      this.announcement = `New message from ${message.authorName}.`;
      this.markRead();
    }
  }

  private onThreadUpdated(thread: ThreadSummary) {
    if (thread.practiceId !== this.practice) return;
    if (this.threads && !this.threads.some((t) => t.id === thread.id)) this.threads = [...this.threads, thread];
    this.patchListed(thread);
    const shown = this.thread;
    if (shown?.id !== thread.id) return;
    this.thread = { ...shown, ...thread, lastReadSeq: Math.max(shown.lastReadSeq, thread.lastReadSeq) };
    if (shown.status === 'open' && thread.status === 'closed') this.announcement = 'This conversation was closed.';
    this.reader?.noteSeq(thread.seq);
  }

  // ---- writing -------------------------------------------------------------------------------------------------

  private draftFor(threadId: string): Draft {
    let draft = this.drafts.get(threadId);
    if (!draft) this.drafts.set(threadId, (draft = new Draft(() => this.requestUpdate())));
    return draft;
  }

  private attach(draft: Draft, files: File[]) {
    const session = this.session;
    if (!session || !files.length) return;
    draft.add(files, (file, options) => session.api.uploadAttachment(this.practice, file, options));
  }

  private async onSendReply(event: SubmitEvent) {
    event.preventDefault();
    const thread = this.thread;
    const outbox = this.outbox;
    if (!thread || !outbox) return;
    const draft = this.draftFor(thread.id);
    if (draft.sending) return;
    if (draft.uploading) {
      draft.error = 'Please wait until the files have finished uploading.';
      return this.focusAfterUpdate('[part~="composer"] [part~="error"]');
    }
    const ids = draft.attachmentIds;
    let body = { body: draft.text, ...(ids.length ? { attachmentIds: ids } : {}) };
    const check = await validator();
    if (check) {
      const result = check.validateReply(body);
      if (!result.success) {
        draft.fieldErrors = { body: result.errors.body ?? Object.values(result.errors)[0] };
        draft.error = '';
        this.requestUpdate();
        return this.focusAfterUpdate('[part~="reply-input"]');
      }
      body = result.data;
    }
    draft.fieldErrors = {};
    draft.error = '';
    draft.sending = true;
    this.requestUpdate();
    try {
      const message = await outbox.send(thread.id, body, { idempotencyKey: draft.keyFor(body) });
      draft.clear();
      this.addOwnMessage(thread.id, message);
      this.announcement = 'Your reply was sent.';
      emit(this, 'ct-message-sent', { threadId: thread.id });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'thread_closed') {
        // The draft stays: the closed notice shows it so it can be copied.
        this.thread = this.thread?.id === thread.id ? { ...this.thread, status: 'closed' } : this.thread;
        this.patchListed({ id: thread.id, status: 'closed' });
        await this.focusAfterUpdate('[part~="closed-notice"]');
      } else {
        const { placed, other } = placeFields(error, ['body']);
        draft.fieldErrors = placed;
        draft.error = [explain(error), ...other].join(' ') + ' Your reply is still here.';
        await this.focusAfterUpdate('[part~="composer"] [part~="error"]');
      }
    } finally {
      draft.sending = false;
      this.requestUpdate();
    }
  }

  private addOwnMessage(threadId: string, message: Message) {
    const shown = this.thread;
    if (shown?.id === threadId) {
      this.reader?.add(message);
      this.thread = {
        ...shown,
        seq: Math.max(shown.seq, message.seq),
        lastReadSeq: Math.max(shown.lastReadSeq, message.seq),
        lastMessageAt: message.createdAt,
      };
    }
    const listed = this.threads?.find((t) => t.id === threadId);
    if (listed) {
      const seq = Math.max(listed.seq, message.seq);
      this.patchListed({ id: threadId, seq, lastReadSeq: seq, lastMessageAt: message.createdAt });
    }
  }

  private onReplyInput(event: Event) {
    if (!this.thread) return;
    const draft = this.draftFor(this.thread.id);
    draft.text = (event.target as HTMLTextAreaElement).value;
    if (draft.fieldErrors.body) {
      draft.fieldErrors = {};
      this.requestUpdate();
    }
  }

  private onNewInput(event: Event) {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    const draft = this.newDraft;
    if (target.name === 'serviceId') draft.serviceId = target.value;
    else if (target.name === 'subject') draft.subject = target.value;
    else if (target.name === 'body') draft.text = target.value;
    else return;
    if (draft.fieldErrors[target.name]) draft.fieldErrors = { ...draft.fieldErrors, [target.name]: undefined };
    this.requestUpdate();
  }

  private async onSendNew(event: SubmitEvent) {
    event.preventDefault();
    const session = this.session;
    const draft = this.newDraft;
    if (!session || draft.sending) return;
    if (draft.uploading) {
      draft.error = 'Please wait until the files have finished uploading.';
      return this.focusAfterUpdate('[part~="new-message-form"] [part~="error"]');
    }
    const ids = draft.attachmentIds;
    let body = {
      ...(draft.subject.trim() ? { subject: draft.subject } : {}),
      body: draft.text,
      ...(ids.length ? { attachmentIds: ids } : {}),
    };
    const errors: Partial<Record<string, string>> = {};
    if (!draft.serviceId) errors.serviceId = 'must be chosen';
    const check = await validator();
    if (check) {
      const result = check.validateNewThread(body);
      if (result.success) body = result.data;
      else Object.assign(errors, result.errors);
    }
    draft.error = '';
    draft.fieldErrors = errors;
    if (Object.values(errors).some(Boolean)) {
      this.requestUpdate();
      return this.focusAfterUpdate('[part~="new-message-form"] [aria-invalid="true"]');
    }
    draft.sending = true;
    this.requestUpdate();
    try {
      // Not retried automatically: creating a thread carries no idempotency key, and a retry could make two.
      const { thread } = await session.api.createServiceThread(this.practice, draft.serviceId, body);
      draft.clear();
      this.threads = [thread, ...(this.threads ?? []).filter((t) => t.id !== thread.id)];
      emit(this, 'ct-message-sent', { threadId: thread.id });
      this.announcement = 'Your message was sent.';
      void this.openThread(thread.id);
    } catch (error) {
      const { placed, other } = placeFields(error, ['serviceId', 'subject', 'body']);
      draft.fieldErrors = placed;
      draft.error = [explain(error), ...other].join(' ') + ' Your message is still here.';
      await this.focusAfterUpdate('[part~="new-message-form"] [part~="error"]');
    } finally {
      draft.sending = false;
      this.requestUpdate();
    }
  }

  private async download(attachment: Attachment) {
    const session = this.session;
    if (!session) return;
    try {
      const blob = await session.api.downloadAttachment(attachment.id);
      saveBlob(this.renderRoot as ShadowRoot, blob, attachment.name);
    } catch (error) {
      this.threadError = `${attachment.name} could not be downloaded. ${explain(error)}`;
    }
  }

  // ---- navigation ----------------------------------------------------------------------------------------------

  private async showList() {
    const from = this.threadId;
    this.view = 'list';
    this.thread = undefined;
    this.threadId = undefined;
    this.messages = [];
    this.threadError = '';
    this.closeReader();
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

  private renderHeader() {
    const practice = this.practiceInfo;
    const phone = practice?.phone;
    const state = this.connectionRefused ? 'offline' : this.connection;
    const label = this.connectionRefused ? 'Live updates are not available on this site' : CONNECTION_LABELS[state];
    return html`<header part="header">
      <div>
        <h2 part="heading title">${practice?.name ?? 'Messages'}</h2>
        ${
          phone
            ? html`<p part="phone">
                Phone: <a part="phone-link" href="tel:${phone.replace(/[^0-9+]/g, '')}">${phone}</a>
              </p>`
            : nothing
        }
      </div>
      ${
        this.user
          ? html`<div part="account">
              <p part="user">Signed in as <strong>${this.user.name}</strong></p>
              <p part="connection connection-${state}"><span class="dot" aria-hidden="true"></span>${label}</p>
              <button part="button secondary-button sign-out-button" type="button" @click=${this.onSignOut}>
                Sign out
              </button>
            </div>`
          : nothing
      }
    </header>`;
  }

  private renderBody() {
    if (this.linking) return html`<p part="loading" role="status">Opening your message…</p>`;
    if (this.inviteToken) {
      return renderInviteForm({
        ...this.invite,
        heading: 'Welcome: choose your password',
        hint: 'From now on you sign in to your secure messages with your e-mail address and this password.',
        askName: false,
        onSubmit: (event) => void this.onAcceptInvite(event),
      });
    }
    if (!this.user) {
      return this.signIn.render();
    }
    if (this.view === 'thread') {
      const draft = this.draftFor(this.thread?.id ?? this.threadId ?? '');
      return renderThreadView({
        thread: this.thread,
        messages: this.messages,
        practice: this.practiceInfo,
        userId: this.user.id,
        error: this.threadError,
        draft,
        dropActive: this.dropActive,
        onBack: () => void this.showList(),
        onDownload: (attachment) => void this.download(attachment),
        onSend: (event) => void this.onSendReply(event),
        onInput: (event) => this.onReplyInput(event),
        onFiles: (files) => this.attach(draft, files),
        onDropActive: (active) => (this.dropActive = active),
        onFocus: preloadValidation,
      });
    }
    if (this.view === 'new') {
      return renderNewMessage({
        practice: this.practiceInfo,
        draft: this.newDraft,
        dropActive: this.dropActive,
        onBack: () => void this.showList(),
        onSubmit: (event) => void this.onSendNew(event),
        onInput: (event) => this.onNewInput(event),
        onFiles: (files) => this.attach(this.newDraft, files),
        onDropActive: (active) => (this.dropActive = active),
        onFocus: preloadValidation,
      });
    }
    const invitation = renderInvitations({
      invitations: this.invitation ? [this.invitation] : [],
      busy: this.invitationBusy ? this.invitation?.id : undefined,
      error: this.invitationError,
      level: 3,
      onAnswer: (answered, accept) => void this.answerInvitation(answered, accept),
    });
    return html`${invitation}${renderThreadList({
      threads: this.threads,
      practice: this.practiceInfo,
      error: this.listError,
      canWrite: this.canWrite,
      onOpen: (thread) => void this.openThread(thread.id),
      onNew: () => void this.showNew(),
    })}`;
  }

  protected override render() {
    return html`<div part="base">
      ${this.renderHeader()} ${this.notice ? html`<p part="notice" tabindex="-1">${this.notice}</p>` : nothing}
      ${
        this.spentLink && !this.user
          ? html`<button
              part="button renew-link-button"
              type="button"
              ?disabled=${this.renewing}
              @click=${() => void this.renewLink()}
            >
              ${this.renewing ? 'Sending…' : 'Send me a new link'}
            </button>`
          : nothing
      }
      ${this.renderBody()}
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
