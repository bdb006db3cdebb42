// Over 400 lines: loading, read markers, replying and closing all act on the one open thread and its reader, and
// splitting them would pass that state around; the templates are in thread-reply.ts and shared/message-view.ts.
import { ApiError, createOutbox, createThreadReader, type Outbox, type ThreadReader } from '@clocktree/client';
import type { Attachment, Message, SendMessageBody, ThreadDetail, ThreadSummary } from '@clocktree/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { saveBlob } from '../shared/download.ts';
import { Draft, type Upload } from '../shared/draft.ts';
import { MESSAGE_PARTS, renderMessage } from '../shared/message-view.ts';
import { explain, isAbort, threadTitle, type InboxContext } from './inbox-context.ts';
import { InboxPane } from './pane.ts';
import { ConfirmDialog } from './confirm-dialog.ts';
import { renderReplyForm } from './thread-reply.ts';
import { timeLeft } from './time-left.ts';

export const THREAD_PANE_PARTS = [
  ...MESSAGE_PARTS,
  'stack',
  'heading',
  'meta',
  'notice',
  'closed-notice',
  'contact',
  'messages',
  'time-left',
  'time-left-ok',
  'time-left-urgent',
  'time-left-overdue',
  'reply-form',
  'field',
  'label',
  'textarea',
  'field-error',
  'file-input',
  'uploads',
  'upload',
  'upload-progress',
  'remove-upload-button',
  'error',
  'status',
  'actions',
  'button',
  'secondary-button',
  'danger-button',
  'back-button',
  'send-button',
  'close-button',
  'dialog',
  'confirm-close-button',
  'cancel-button',
  'empty',
];

const ROLE_LABEL = { client: 'Client', prospect: 'Prospective client', practice: 'Practice' } as const;
const KIND_LABEL = { 'contact-us': 'Contact Us', service: 'Message service', direct: 'Direct', network: 'My Network' };

/**
 * One thread: its messages (marked read as they are shown), Contact Us details where it is a Contact Us thread,
 * attachments, Reply and Close. A closed thread is read-only.
 *
 * @event ct-inbox-back - The member asked to go back to the list. Does not leave <ct-inbox>.
 *
 * @csspart messages - The thread's messages; `message` each one (also `message-own`, `message-practice`,
 *   `message-client`, `message-prospect`). The same message parts as <ct-messages>' (shared/message-view.ts).
 * @csspart message-meta - Author, role and time of a message: `message-author`, `message-role`, `message-time`.
 *   Deprecated, kept until the next release: `message-header` (now `message-meta`), `meta` (now `message-role` and
 *   `message-time`), `author`, `role`, `time`; `message-client` on a prospect's message (now `message-prospect`).
 * @csspart message-body - The text of a message.
 * @csspart attachments - A message's files; `attachment` the download button of one, `attachment-size` its size.
 */
export class CtInboxThread extends InboxPane {
  @property({ attribute: false }) accessor threadId: string | undefined;
  /** Text of the back button, e.g. "Back to clients". */
  @property({ attribute: false }) accessor backLabel = 'Back';

  @state() accessor thread: ThreadDetail | undefined;
  @state() accessor messages: Message[] = [];
  @state() accessor loadError = '';
  @state() accessor replyError = '';
  @state() accessor bodyError = '';
  @state() accessor sending = false;
  @state() accessor announcement = '';

  protected override reloadOn: PropertyKey[] = ['threadId'];
  private readonly closing = new ConfirmDialog<ThreadDetail>(this, 'close-dialog');

  /** The newest seq this member has been told about; read markers never move backwards. */
  private markedSeq = 0;
  /** Set when another thread is opened: focus goes to its heading once it is shown. */
  private focusHeading = false;
  /** Kept across retries of one reply, so a retry after a lost answer cannot post it twice. */
  /** The reply being written: its files (with the protocol's limits) and the idempotency key of its last send. */
  private readonly draft = new Draft(() => this.requestUpdate());
  private outbox: Outbox | undefined;
  /** The shown thread's messages, kept whole across out-of-order, repeated and lost pushes. */
  private reader: ThreadReader | undefined;
  private readerApi: InboxContext['api'] | undefined;

  protected override liveHandlers() {
    return {
      'message:new': ({ threadId, message }: { threadId: string; message: Message }) => {
        const reader = this.reader;
        if (threadId !== this.threadId || !this.thread || !reader) return;
        // Out of order or twice: the reader holds each message once and fetches what a gap hides.
        const fresh = !reader.messages.some((m) => m.id === message.id);
        reader.add(message);
        this.thread = { ...this.thread, seq: Math.max(this.thread.seq, message.seq) };
        if (!fresh) return;
        if (message.authorRole !== 'practice') this.announcement = `New message from ${message.authorName}.`;
        void this.markRead();
      },
      'thread:updated': ({ thread }: { thread: ThreadSummary }) => {
        if (thread.id !== this.threadId || !this.thread) return;
        this.thread = { ...this.thread, ...thread };
        this.reader?.noteSeq(thread.seq);
      },
      resync: () => this.scheduleReload(0),
    };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.closeReader();
  }

  private closeReader() {
    this.reader?.close();
    this.reader = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('threadId')) {
      this.closeReader();
      this.thread = undefined;
      this.messages = [];
      this.loadError = this.replyError = this.bodyError = this.announcement = '';
      this.markedSeq = 0;
      this.draft.clear();
      this.focusHeading = this.threadId !== undefined;
    }
    super.willUpdate(changed);
  }

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    const tid = this.threadId;
    if (!tid) return;
    try {
      // Once the thread is shown, a reload (a reconnect, a re-sync) fetches only what follows the messages it holds.
      if (this.reader && this.readerApi === ctx.api && this.thread?.id === tid) {
        await this.reader.resync();
        return;
      }
      this.closeReader();
      this.readerApi = ctx.api;
      const reader = (this.reader = createThreadReader({
        api: ctx.api,
        threadId: tid,
        onMessages: (messages) => {
          if (this.reader === reader) this.messages = [...messages];
        },
        onThread: (thread) => {
          if (this.reader !== reader || !this.thread) return;
          this.thread = thread;
          void this.markRead();
        },
      }));
      const thread = await reader.load({ signal });
      if (tid !== this.threadId || this.reader !== reader) return;
      this.thread = thread;
      this.loadError = '';
      await this.updateComplete;
      if (this.focusHeading) {
        this.focusHeading = false;
        this.renderRoot.querySelector<HTMLElement>('#thread-heading')?.focus();
      }
      await this.markRead();
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  private readonly onVisibility = () => void this.markRead();

  /**
   * Tells the server this member has seen the thread up to its newest message. Only while the page is visible:
   * the marker is what stops a notification e-mail, so a message on a hidden tab must not count as seen.
   */
  private async markRead() {
    const ctx = this.ctx;
    const thread = this.thread;
    const seq = this.messages.at(-1)?.seq ?? 0;
    if (!ctx || !thread || document.visibilityState !== 'visible') return;
    if (seq <= this.markedSeq || seq <= thread.lastReadSeq) {
      this.markedSeq = Math.max(this.markedSeq, seq);
      return;
    }
    this.markedSeq = seq;
    try {
      await ctx.api.markRead(thread.id, seq);
      // Lists drop their "unread" mark without waiting for the server's own update.
      const current = this.thread;
      if (current?.id === thread.id) {
        ctx.hub.emit('thread:updated', {
          thread: toSummary({ ...current, lastReadSeq: Math.max(current.lastReadSeq, seq) }),
        });
      }
    } catch {
      // Worst case the member gets an e-mail about a message they saw; the next message marks it again.
      this.markedSeq = Math.min(this.markedSeq, thread.lastReadSeq);
    }
  }

  private async onReply(event: SubmitEvent) {
    event.preventDefault();
    const ctx = this.ctx;
    const thread = this.thread;
    if (!ctx || !thread || this.sending) return;
    const form = event.target as HTMLFormElement;
    const body = String(new FormData(form).get('body') ?? '');
    const attachmentIds = this.draft.attachmentIds;
    this.replyError = '';
    this.bodyError = body.trim() || attachmentIds.length ? '' : 'Reply must not be empty unless files are attached';
    if (this.draft.uploading) {
      this.replyError = 'Please wait until the files have finished uploading.';
    }
    if (this.bodyError || this.replyError) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(this.bodyError ? 'textarea' : '[part~="error"]')?.focus();
      return;
    }
    const payload: SendMessageBody = { body, ...(attachmentIds.length ? { attachmentIds } : {}) };
    this.outbox ??= createOutbox({
      api: ctx.api,
      onRetry: () => (this.announcement = 'Sending is taking longer than usual. Still trying…'),
    });
    this.sending = true;
    let sent = false;
    try {
      // The same draft sent again (after a failure) keeps its key: if the first attempt did arrive, it is not posted twice.
      const message = await this.outbox.send(thread.id, payload, { idempotencyKey: this.draft.keyFor(payload) });
      form.reset();
      this.draft.clear();
      this.reader?.add(message);
      // A reply from the practice is what clears "awaiting" (and the client's red badge).
      const current = this.thread ?? thread;
      this.thread = {
        ...current,
        awaiting: false,
        awaitingSince: null,
        respondBy: null,
        seq: Math.max(current.seq, message.seq),
        lastMessageAt: message.createdAt,
        lastReadSeq: Math.max(current.lastReadSeq, message.seq),
      };
      this.markedSeq = Math.max(this.markedSeq, message.seq);
      this.announcement = 'Reply sent.';
      ctx.hub.emit('thread:updated', { thread: toSummary(this.thread) });
      sent = true;
    } catch (error) {
      this.replyError = explain(error);
      if (error instanceof ApiError && error.code === 'thread_closed') {
        this.thread = { ...(this.thread ?? thread), status: 'closed' };
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~="error"]:not(:empty)')?.focus();
    } finally {
      this.sending = false;
    }
    if (!sent || thread.id !== this.threadId) return;
    // The send button was disabled while sending, which took focus away: back in the (now empty) reply box.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#reply-body')?.focus();
  }

  /** Uploads start as soon as files are chosen, so sending is quick; each shows its progress and can be removed. */
  private onFiles(event: Event) {
    const input = event.target as HTMLInputElement;
    const ctx = this.ctx;
    // A practice's thread stores files for the practice; a My Network thread for its connection.
    const practiceId = this.thread?.practiceId;
    const connectionId = this.thread?.connectionId;
    const owner = practiceId ?? (connectionId ? { connectionId } : undefined);
    const files = [...(input.files ?? [])];
    input.value = '';
    if (!ctx || !owner) return;
    this.draft.add(files, (file, options) => ctx.api.uploadAttachment(owner, file, options));
  }

  private removeUpload(upload: Upload) {
    this.draft.remove(upload.key);
    this.renderRoot.querySelector<HTMLElement>('#reply-files')?.focus();
  }

  private async closeThread(thread: ThreadDetail) {
    const ctx = this.ctx!;
    const result = await ctx.api.closeThread(thread.id);
    this.thread = { ...thread, ...result.thread };
    ctx.hub.emit('thread:updated', { thread: result.thread });
    // The reply form, and the button that opened the dialog with it, are gone.
    return '[part~="closed-notice"]';
  }

  private async download(attachment: Attachment) {
    const ctx = this.ctx;
    if (!ctx) return;
    try {
      saveBlob(this.renderRoot as ShadowRoot, await ctx.api.downloadAttachment(attachment.id), attachment.name);
    } catch (error) {
      this.replyError = explain(error);
    }
  }

  private back() {
    this.dispatchEvent(new CustomEvent('ct-inbox-back'));
  }

  private renderContact(thread: ThreadDetail) {
    // Contact details appear here and nowhere else: not in lists, tooltips or any URL (no mailto: or tel: links).
    const contact = thread.contact;
    if (!contact) return nothing;
    return html`<dl part="contact" aria-label="Contact details">
      <dt>Name</dt>
      <dd>${contact.name}</dd>
      <dt>E-mail</dt>
      <dd>${contact.email}</dd>
      ${
        contact.phone
          ? html`<dt>Phone</dt>
              <dd>${contact.phone}</dd>`
          : nothing
      }
    </dl>`;
  }

  private renderHeader(ctx: InboxContext, thread: ThreadDetail) {
    const left = thread.awaiting && thread.respondBy ? timeLeft(thread.respondBy) : undefined;
    return html`<div>
      <h2 part="heading" id="thread-heading" tabindex="-1">${threadTitle(thread, ctx.practice)}</h2>
      <p part="meta">
        ${KIND_LABEL[thread.kind]} ·
        ${thread.status === 'closed' ? 'Closed' : thread.awaiting ? 'Awaiting a response' : 'Open'}
        ${
          left
            ? html`·
                <span part="time-left time-left-${left.urgency}"
                  ><span aria-hidden="true">${left.text}</span><span class="visually-hidden">${left.label}</span></span
                >`
            : nothing
        }
      </p>
    </div>`;
  }

  protected override render() {
    const ctx = this.ctx;
    const thread = this.thread;
    const back = html`<button part="button secondary-button back-button" type="button" @click=${this.back}>
      ${this.backLabel}
    </button>`;
    if (!ctx || !this.threadId) return nothing;
    if (!thread) {
      return html`<div part="stack">
        ${back}
        ${
          this.loadError
            ? html`<p part="error" role="alert">${this.loadError}</p>`
            : html`<p part="empty">Loading the thread…</p>`
        }
      </div>`;
    }
    const closed = thread.status === 'closed';
    return html`<section part="stack" aria-labelledby="thread-heading">
      ${back} ${this.renderHeader(ctx, thread)} ${this.renderContact(thread)}
      <ol part="messages" aria-label="Messages">
        ${this.messages.map((m) =>
          renderMessage(m, {
            // The practice's side is told apart by `message-practice`, whoever of its members wrote.
            userId: undefined,
            sizeInButton: true,
            // Both sides of a My Network thread are professionals: "you" and "peer" tell them apart.
            roleLabel: (message) =>
              thread.kind !== 'network'
                ? ROLE_LABEL[message.authorRole]
                : message.authorId === ctx.session.user?.id
                  ? 'you'
                  : 'peer',
            onDownload: (attachment) => void this.download(attachment),
          }),
        )}
      </ol>
      <p part="status" role="status">${this.announcement}</p>
      ${
        closed
          ? html`<div part="stack">
              <p part="notice closed-notice" tabindex="-1">This thread is closed. It is read-only.</p>
              <div part="error" role="alert">${this.replyError || nothing}</div>
            </div>`
          : html`${renderReplyForm({
              draft: this.draft,
              bodyError: this.bodyError,
              error: this.replyError,
              sending: this.sending,
              // No practice owns a My Network thread, so none closes it (removing the connection ends new messages).
              closable: thread.kind !== 'network',
              onSubmit: (event) => void this.onReply(event),
              onFiles: (event) => this.onFiles(event),
              onRemove: (upload) => this.removeUpload(upload),
              onClose: () => void this.closing.ask(this.thread!),
            })}`
      }
      ${this.closing.render({
        heading: 'Close this thread?',
        text:
          'The client will no longer be able to reply in it, and it cannot be reopened. ' +
          'They can always write a new message.',
        danger: 'Close thread',
        dangerBusy: 'Closing…',
        keep: 'Cancel',
        keepPart: 'cancel-button',
        dangerPart: 'confirm-close-button',
        action: (thread) => this.closeThread(thread),
      })}
    </section>`;
  }
}

function toSummary(thread: ThreadDetail): ThreadSummary {
  const { contact: _contact, ...summary } = thread;
  return summary;
}

if (!customElements.get('ct-inbox-thread')) customElements.define('ct-inbox-thread', CtInboxThread);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-thread': CtInboxThread;
  }
}
