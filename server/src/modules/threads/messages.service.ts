import type { AuthorRole, Message, SendMessageBody } from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import { ApiError, conflict } from '../../http/api-error.ts';
import type { Fanout } from '../../realtime/fanout.ts';
import { afterStored, type Outage } from '../../realtime/outage.ts';
import type { AttachmentsService } from '../attachments/attachments.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Users } from '../auth/users.ts';
import type { PracticeDoc } from '../practices/practice.model.ts';
import { readersOf, recipientsFor } from './recipients.ts';
import { keyOf, type ThreadContent } from './thread-content.ts';
import type { MessageDoc, ThreadDoc } from './thread.model.ts';
import { peerFor, toMessage, toThreadSummary } from './thread.views.ts';
import { isDuplicateKey } from '../../database.ts';

export interface Author {
  userId: Types.ObjectId | null;
  role: AuthorRole;
  name: string;
}

export interface Draft {
  body: string;
  attachmentIds?: string[] | undefined;
}

export const threadClosed = () =>
  new ApiError('thread_closed', 'This conversation is closed; the practice can no longer receive replies in it.');

/** How long a notification waits, so that someone reading live is not also e-mailed. */
export const DEFAULT_NOTIFY_DELAY_MS = 30_000;

export function messagesService({
  audit,
  content,
  attachments,
  live,
  outage,
  users,
  awaitingChanged,
  ...deps
}: ServiceBase<'Idempotency' | 'Message' | 'Thread'> & {
  notifyDelayMs: number;
  audit: AuditService;
  /** Names of a `network` thread's peers: each is shown the other in the thread's summary. */
  users: Pick<Users, 'namesOf'>;
  content: ThreadContent;
  attachments: AttachmentsService;
  live: Fanout;
  outage: Pick<Outage, 'suspect'>;
  /**
   * Told after a message in a practice's thread changed whether it awaits the practice's answer (`awaiting`,
   * `awaitingSince`): a client message to a thread not awaiting, a practice reply to one awaiting. The others change
   * neither, so the directory's deadline (modules/directory) cannot have moved and it is not told.
   */
  awaitingChanged?: (practiceId: Types.ObjectId) => Promise<void>;
}) {
  const { models, clock, logger } = deps;
  const settle = (what: string, ids: Record<string, string>, work: () => Promise<unknown>) =>
    afterStored(what, ids, work, outage, logger);

  async function buildMessage(
    thread: Pick<ThreadDoc, '_id' | 'practiceId' | 'connectionId'>,
    messageId: Types.ObjectId,
    author: Author,
    draft: Draft,
    recipients: string[],
  ) {
    const now = clock.now();
    const attached = await attachments.attach(draft.attachmentIds ?? [], {
      userId: String(author.userId),
      practiceId: String(keyOf(thread)),
      threadId: String(thread._id),
      messageId: String(messageId),
    });
    return {
      _id: messageId,
      threadId: thread._id,
      authorId: author.userId,
      authorRole: author.role,
      bodyEnc: await content.sealText(keyOf(thread), draft.body),
      attachments: attached,
      createdAt: now,
      notify: recipients.length
        ? {
            state: 'pending' as const,
            due: new Date(now.getTime() + deps.notifyDelayMs),
            claimedUntil: null,
            recipients,
            done: [],
          }
        : null,
    };
  }

  /**
   * Pushes a stored message to its live readers. Also run again when a retried send finds its message stored: the
   * first attempt may have died before its push, and readers drop a message they already hold (by id).
   */
  async function announce(thread: ThreadDoc, practice: PracticeDoc | null, message: MessageDoc, view: Message) {
    const alerted = new Set(message.notify?.recipients ?? []);
    await settle('push', { messageId: String(message._id) }, async () => {
      const summary = toThreadSummary(thread, await content.subject(thread), 0);
      const readers = readersOf(thread, practice);
      if (thread.kind !== 'network') return live.publish(readers, summary, { view, alerted });
      // Each of the two peers is told who the other is.
      const names = await users.namesOf(thread.peerIds);
      for (const reader of readers)
        await live.publish([reader], { ...summary, ...peerFor(thread, reader, names) }, { view, alerted });
    });
  }

  /** After the thread's write: a failure here must not fail the send (the directory's minute job repairs it). */
  const awaitingMoved = async ({ _id, practiceId }: Pick<ThreadDoc, '_id' | 'practiceId'>) => {
    if (practiceId && awaitingChanged)
      await settle('directory', { threadId: String(_id) }, () => awaitingChanged(practiceId));
  };

  /**
   * Takes the next sequence number and updates `awaiting` in one atomic update, refusing closed threads, and tells
   * whether that update changed `awaiting`/`awaitingSince` (`moved`): each update below either changes them on every
   * document it matches or on none, so which one matched, or the document as it was just before, says it.
   */
  async function allocate(
    threadId: Types.ObjectId,
    clientSide: boolean,
  ): Promise<{ thread: ThreadDoc; moved: boolean } | null> {
    const now = clock.now();
    const after = { returnDocument: 'after' as const };
    if (!clientSide) {
      const answered = { lastMessageAt: now, awaiting: false, awaitingSince: null, warnedAt: null };
      const before = await models.Thread.findOneAndUpdate(
        { _id: threadId, status: 'open' },
        { $inc: { seq: 1 }, $set: answered },
        { returnDocument: 'before' },
      ).lean<ThreadDoc>();
      if (!before) return null;
      // The thread as this update left it: the document just before it, with the update applied.
      const thread = { ...before, seq: before.seq + 1, ...answered };
      return { thread, moved: Boolean(before.awaiting || before.awaitingSince) };
    }
    // Already awaiting: keep the original awaitingSince, which is what the 7-day rule counts from.
    for (let attempt = 0; attempt < 3; attempt++) {
      const awaiting = await models.Thread.findOneAndUpdate(
        { _id: threadId, status: 'open', awaiting: true },
        { $inc: { seq: 1 }, $set: { lastMessageAt: now } },
        after,
      ).lean<ThreadDoc>();
      if (awaiting) return { thread: awaiting, moved: false };
      const started = await models.Thread.findOneAndUpdate(
        { _id: threadId, status: 'open', awaiting: false },
        { $inc: { seq: 1 }, $set: { lastMessageAt: now, awaiting: true, awaitingSince: now, warnedAt: null } },
        after,
      ).lean<ThreadDoc>();
      if (started) return { thread: started, moved: true };
      if (!(await models.Thread.exists({ _id: threadId, status: 'open' }))) return null;
    }
    throw conflict('The conversation changed while sending; try again.');
  }

  /**
   * Takes a sequence number on the open thread, then stores the message under it. The thread update is the moment
   * the message is accepted: a close either comes before it (the send is refused) or after it (the message counts
   * as sent before the close). A crash between the two leaves an unused seq, which readers skip after a re-sync.
   */
  async function store(threadId: Types.ObjectId, clientSide: boolean, doc: Awaited<ReturnType<typeof buildMessage>>) {
    const allocated = await allocate(threadId, clientSide);
    if (!allocated) throw threadClosed();
    const { thread: updated, moved } = allocated;
    const message = (await models.Message.create({ ...doc, seq: updated.seq })).toObject();
    return { updated, moved, message };
  }

  async function append(
    thread: ThreadDoc,
    practice: PracticeDoc | null,
    author: Author,
    draft: Draft,
    actor: Actor,
    messageId = new Types.ObjectId(),
  ): Promise<Message> {
    if (thread.status === 'closed') throw threadClosed();
    const clientSide = author.role !== 'practice';
    const recipients = recipientsFor(thread, practice, clientSide, author.userId);
    const doc = await buildMessage(thread, messageId, author, draft, recipients);
    let stored: { updated: ThreadDoc; moved: boolean; message: MessageDoc };
    try {
      stored = await store(thread._id, clientSide, doc);
    } catch (err) {
      // Nothing was stored: the uploads go back to their uploader, free to be attached again.
      await attachments.release(String(messageId));
      throw err;
    }
    // Stored: from here on the send has happened, whatever fails next (a 500 would make the client retry into a
    // replay; the push and the audit entry are what a database outage can still cost, and readers re-sync after it).
    const { updated, moved, message } = stored;
    if (moved) await awaitingMoved(updated);
    const shown = await sentView(message, keyOf(thread), draft.body, author);
    await settle('audit', { messageId: String(message._id) }, () =>
      audit.record(actor, {
        practiceId: thread.practiceId,
        action: 'message.create',
        target: `message:${message._id}`,
      }),
    );
    await announce(updated, practice, message, shown);
    return shown;
  }

  return {
    append,

    /**
     * Starts a thread with its first message. With no transactions, the message is written first under a
     * pre-chosen thread id: a thread is never visible without its message, and a message whose thread write
     * failed is deleted at once (the relay skips any such orphan left by a crash).
     */
    async start(
      fields: Omit<
        ThreadDoc,
        | '_id'
        | 'seq'
        | 'awaiting'
        | 'awaitingSince'
        | 'lastMessageAt'
        | 'createdAt'
        | 'status'
        | 'closedAt'
        | 'warnedAt'
        | 'connectionId'
        | 'peerIds'
      > &
        Partial<Pick<ThreadDoc, 'connectionId' | 'peerIds'>>,
      practice: PracticeDoc | null,
      author: Author,
      draft: Draft,
      actor: Actor,
    ): Promise<ThreadDoc> {
      const now = clock.now();
      const clientSide = author.role !== 'practice';
      const thread: ThreadDoc = {
        _id: new Types.ObjectId(),
        connectionId: null,
        peerIds: [],
        ...fields,
        status: 'open',
        awaiting: clientSide,
        awaitingSince: clientSide ? now : null,
        lastMessageAt: now,
        seq: 1,
        closedAt: null,
        warnedAt: null,
        createdAt: now,
      };
      const doc = await buildMessage(
        thread,
        new Types.ObjectId(),
        author,
        draft,
        recipientsFor(thread, practice, clientSide, author.userId),
      );
      const message = (await models.Message.create({ ...doc, seq: 1 })).toObject();
      try {
        await models.Thread.create(thread);
      } catch (err) {
        await models.Message.deleteOne({ _id: message._id });
        throw err;
      }
      // A thread starts awaiting only when the client side starts it.
      if (thread.awaiting) await awaitingMoved(thread);
      await settle('audit', { threadId: String(thread._id) }, () =>
        audit.record(actor, { practiceId: thread.practiceId, action: 'thread.create', target: `thread:${thread._id}` }),
      );
      await announce(thread, practice, message, await sentView(message, keyOf(thread), draft.body, author));
      return thread;
    },

    /**
     * A reply with an optional Idempotency-Key. The key's record is created first and names the message id, so
     * every retry — concurrent or after a crash — converges on one message: the same key with the same body
     * returns it (replayed), with another body it is a conflict.
     */
    async send(
      thread: ThreadDoc,
      practice: PracticeDoc | null,
      author: Author,
      draft: SendMessageBody,
      key: string | undefined,
      actor: Actor,
    ): Promise<{ message: Message; replayed: boolean }> {
      if (!key) return { message: await append(thread, practice, author, draft, actor), replayed: false };
      // Keyed: a plain hash would let a copy of the database confirm a guessed short message.
      const bodyHash = deps.crypto.digest('idempotency', JSON.stringify([draft.body, draft.attachmentIds ?? []]));
      // Replies always come from a signed-in user, so the key is scoped to that user.
      const userId = author.userId!;
      const messageId = new Types.ObjectId();
      const claimed = await models.Idempotency.create({
        userId,
        key,
        threadId: thread._id,
        bodyHash,
        messageId,
        createdAt: clock.now(),
      }).then(
        () => true,
        (err: unknown) => {
          if (isDuplicateKey(err)) return false;
          throw err;
        },
      );
      if (claimed) return { message: await append(thread, practice, author, draft, actor, messageId), replayed: false };
      const first = await models.Idempotency.findOne({ userId, key }).lean();
      if (!first || !first.threadId.equals(thread._id) || first.bodyHash !== bodyHash)
        throw conflict('That Idempotency-Key was already used for a different message.');
      const stored = await waitForMessage(first.messageId);
      if (stored) return { message: await replay(thread, stored, practice, author), replayed: true };
      // The first attempt died before storing its message: finish it under the same id.
      try {
        return { message: await append(thread, practice, author, draft, actor, first.messageId), replayed: false };
      } catch (err) {
        const raced = await models.Message.findById(first.messageId).lean<MessageDoc>();
        if (raced) return { message: await replay(thread, raced, practice, author), replayed: true };
        throw err;
      }
    },

    /** Scheduled delete: keys are kept at least 24 hours (FerretDB has no TTL indexes). */
    async sweepIdempotencyKeys(): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - 25 * 3600_000);
      return (await models.Idempotency.deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
    },
  };

  async function view(m: MessageDoc, thread: ThreadDoc, author: Author): Promise<Message> {
    return toMessage(m, await content.message(keyOf(thread), m), author.name);
  }

  /** The view of a message just stored: the body as sent, the attachments' names opened. */
  async function sentView(m: MessageDoc, keyId: unknown, body: string, author: Author): Promise<Message> {
    return toMessage(m, { ...(await content.message(keyId, m)), body }, author.name);
  }

  /** The stored message for a retried send, pushed again in case the first attempt died before its push. */
  async function replay(
    thread: ThreadDoc,
    m: MessageDoc,
    practice: PracticeDoc | null,
    author: Author,
  ): Promise<Message> {
    const shown = await view(m, thread, author);
    await announce(thread, practice, m, shown);
    return shown;
  }

  /** A concurrent first attempt is usually milliseconds from storing its message; wait briefly for it. */
  async function waitForMessage(id: Types.ObjectId): Promise<MessageDoc | null> {
    for (let i = 0; i < 60; i++) {
      const found = await models.Message.findById(id).lean<MessageDoc>();
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return null;
  }
}

export type MessagesService = ReturnType<typeof messagesService>;
