import { ApiError, createOutbox, type Outbox, type OutboxStore, type Session } from '@clocktree/client';
import type { ReactiveControllerHost } from 'lit';
import { Draft } from '../shared/draft.ts';
import { errorText, placeFields } from '../shared/error-text.ts';
import { tabOutbox } from '../shared/tab-outbox.ts';
import type { ThreadsController } from './threads.ts';
import { validator } from './validator.ts';

export interface WritingOptions {
  session: () => Session | undefined;
  practice: () => string;
  threads: ThreadsController;
  announce: (text: string) => void;
  /** `ct-message-sent`. */
  sent: (threadId: string) => void;
  /** Opens the thread just started. */
  open: (threadId: string) => void;
  /** Moves focus, once rendered, to what the selector finds. */
  focus: (selector: string) => Promise<void>;
}

/**
 * What <ct-messages> writes: a draft per thread and one for a new message (text, files, idempotency key), sent
 * through an outbox kept in the tab so a reload or a dropped network does not lose a reply.
 */
export class WritingController {
  readonly newDraft: Draft;
  private drafts = new Map<string, Draft>();
  private outbox: Outbox | undefined;
  private outboxStore: OutboxStore | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly o: WritingOptions,
  ) {
    this.newDraft = new Draft(() => host.requestUpdate());
  }

  get started(): boolean {
    return Boolean(this.outbox);
  }

  /**
   * Replies are kept in the tab until the service answers them: what an earlier page (a reload) or a dropped network
   * left unsent goes out now, each under its first key, and shows up through the thread's pushes and re-syncs.
   */
  start(userId: string): void {
    const session = this.o.session();
    if (!session) return;
    this.outboxStore = tabOutbox(userId);
    this.outbox = createOutbox({ api: session.api, ...(this.outboxStore ? { store: this.outboxStore } : {}) });
    void this.outbox.resume();
  }

  /** A session (another API's) was bound: its outbox is started on sign-in. */
  forget(): void {
    this.outbox = undefined;
  }

  resume(): void {
    void this.outbox?.resume();
  }

  /** Forgets every draft. */
  clear(): void {
    for (const draft of this.drafts.values()) draft.clear();
    this.drafts.clear();
    this.newDraft.clear();
  }

  /** Unsent replies are health information: they do not stay in the tab once nobody is signed in. */
  signedOut(): void {
    this.outboxStore?.clear();
    this.outboxStore = this.outbox = undefined;
  }

  draftFor(threadId: string): Draft {
    let draft = this.drafts.get(threadId);
    if (!draft) this.drafts.set(threadId, (draft = new Draft(() => this.host.requestUpdate())));
    return draft;
  }

  attach(draft: Draft, files: File[]): void {
    const session = this.o.session();
    if (!session || !files.length) return;
    draft.add(files, (file, options) => session.api.uploadAttachment(this.o.practice(), file, options));
  }

  async sendReply(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const thread = this.o.threads.thread;
    const outbox = this.outbox;
    if (!thread || !outbox) return;
    const draft = this.draftFor(thread.id);
    if (draft.sending) return;
    if (draft.uploading) {
      draft.error = 'Please wait until the files have finished uploading.';
      return this.o.focus('[part~="composer"] [part~="error"]');
    }
    const ids = draft.attachmentIds;
    let body = { body: draft.text, ...(ids.length ? { attachmentIds: ids } : {}) };
    const check = await validator();
    if (check) {
      const result = check.validateReply(body);
      if (!result.success) {
        draft.fieldErrors = { body: result.errors.body ?? Object.values(result.errors)[0] };
        draft.error = '';
        this.host.requestUpdate();
        return this.o.focus('[part~="reply-input"]');
      }
      body = result.data;
    }
    draft.fieldErrors = {};
    draft.error = '';
    draft.sending = true;
    this.host.requestUpdate();
    let sent = false;
    try {
      const message = await outbox.send(thread.id, body, { idempotencyKey: draft.keyFor(body) });
      draft.clear();
      this.o.threads.addOwnMessage(thread.id, message);
      this.o.announce('Your reply was sent.');
      this.o.sent(thread.id);
      sent = true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'thread_closed') {
        // The draft stays: the closed notice shows it so it can be copied.
        this.o.threads.markClosed(thread.id);
        await this.o.focus('[part~="closed-notice"]');
      } else {
        const { placed, other } = placeFields(error, ['body']);
        draft.fieldErrors = placed;
        draft.error = [errorText(error), ...other].join(' ') + ' Your reply is still here.';
        await this.o.focus('[part~="composer"] [part~="error"]');
      }
    } finally {
      draft.sending = false;
      this.host.requestUpdate();
    }
    // The send button was disabled while sending, which took focus away: back in the (now empty) reply box.
    if (sent && this.o.threads.thread?.id === thread.id) await this.o.focus('[part~="reply-input"]');
  }

  onReplyInput(event: Event): void {
    const thread = this.o.threads.thread;
    if (!thread) return;
    const draft = this.draftFor(thread.id);
    draft.text = (event.target as HTMLTextAreaElement).value;
    if (draft.fieldErrors.body) {
      draft.fieldErrors = {};
      this.host.requestUpdate();
    }
  }

  onNewInput(event: Event): void {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    const draft = this.newDraft;
    if (target.name === 'serviceId') draft.serviceId = target.value;
    else if (target.name === 'subject') draft.subject = target.value;
    else if (target.name === 'body') draft.text = target.value;
    else return;
    if (draft.fieldErrors[target.name]) draft.fieldErrors = { ...draft.fieldErrors, [target.name]: undefined };
    this.host.requestUpdate();
  }

  async sendNew(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const session = this.o.session();
    const draft = this.newDraft;
    if (!session || draft.sending) return;
    if (draft.uploading) {
      draft.error = 'Please wait until the files have finished uploading.';
      return this.o.focus('[part~="new-message-form"] [part~="error"]');
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
      this.host.requestUpdate();
      return this.o.focus('[part~="new-message-form"] [aria-invalid="true"]');
    }
    draft.sending = true;
    this.host.requestUpdate();
    try {
      // Not retried automatically: creating a thread carries no idempotency key, and a retry could make two.
      const { thread } = await session.api.createServiceThread(this.o.practice(), draft.serviceId, body);
      draft.clear();
      this.o.threads.addListed(thread);
      this.o.sent(thread.id);
      this.o.announce('Your message was sent.');
      this.o.open(thread.id);
    } catch (error) {
      const { placed, other } = placeFields(error, ['serviceId', 'subject', 'body']);
      draft.fieldErrors = placed;
      draft.error = [errorText(error), ...other].join(' ') + ' Your message is still here.';
      await this.o.focus('[part~="new-message-form"] [part~="error"]');
    } finally {
      draft.sending = false;
      this.host.requestUpdate();
    }
  }
}
