import { RESPONSE_WINDOW_MS } from '@clocktree/protocol';
import type { Types } from 'mongoose';
import type { Clock } from '../../clock.ts';
import type { Models } from '../../models.ts';
import type { MessageDoc, ThreadDoc } from './thread.model.ts';

type Id = Types.ObjectId | string;

/**
 * The one owner of threads, messages and read marks as other modules query them (modules/threads owns the models):
 * the 7-day rule, who awaits an answer, and the notification queue kept inside each message. Built before the
 * services that need it, as `members` and `clientLinks` are. Equality queries only (FerretDB, see README).
 */
export function threadQueries({
  models: { Thread, Message, ThreadRead },
  clock,
}: {
  models: Pick<Models, 'Thread' | 'Message' | 'ThreadRead'>;
  clock: Clock;
}) {
  /** Open threads whose newest message came from the client side. */
  const awaitingAnswer = { status: 'open' as const, awaiting: true };
  /** The 7-day rule in one place: open threads whose client side has waited longer than the window. */
  const overdueThreads = () => ({
    ...awaitingAnswer,
    awaitingSince: { $lt: new Date(clock.now().getTime() - RESPONSE_WINDOW_MS) },
  });
  /** When a thread awaiting since then becomes overdue (listed while now < that instant). */
  const deadline = (awaitingSince: Date | null): Date | null =>
    awaitingSince ? new Date(awaitingSince.getTime() + RESPONSE_WINDOW_MS) : null;

  return {
    findThread: (threadId: Id) => Thread.findById(threadId).lean<ThreadDoc>(),

    threadsByIds: (ids: Id[]) => Thread.find({ _id: { $in: ids } }).lean<ThreadDoc[]>(),

    /**
     * Makes `clientId` the client of a thread that has none yet (a prospect's first use of their link) and tells
     * whether the thread is theirs now. The guard on `clientId: null` in one single-document update means a
     * thread, once claimed, is never handed to a second account.
     */
    async claimForClient(threadId: Id, clientId: Types.ObjectId): Promise<boolean> {
      await Thread.updateOne({ _id: threadId, clientId: null }, { $set: { clientId } });
      const current = await Thread.findById(threadId, { clientId: 1 }).lean();
      return Boolean(current?.clientId?.equals(clientId));
    },

    /** Whether the practice has a thread overdue under the 7-day rule. */
    async hasOverdue(practiceId: Id): Promise<boolean> {
      return Boolean(await Thread.exists({ practiceId, ...overdueThreads() }));
    },

    /**
     * The 7-day rule as an instant, for the directory to keep (modules/directory): when the practice's oldest thread
     * awaiting its answer becomes overdue, or null while none awaits.
     */
    async listedUntil(practiceId: Id): Promise<Date | null> {
      const oldest = await Thread.findOne({ practiceId, ...awaitingAnswer }, { awaitingSince: 1 })
        .sort({ awaitingSince: 1 })
        .lean<Pick<ThreadDoc, 'awaitingSince'>>();
      return deadline(oldest?.awaitingSince ?? null);
    },

    /** `listedUntil` of every practice that has a thread awaiting its answer (the others': null). */
    async listedUntilAll(): Promise<Map<string, Date>> {
      const awaiting = await Thread.find(
        { practiceId: { $ne: null }, ...awaitingAnswer },
        { practiceId: 1, awaitingSince: 1 },
      ).lean<Pick<ThreadDoc, 'practiceId' | 'awaitingSince'>[]>();
      const until = new Map<string, Date>();
      for (const t of awaiting) {
        const at = deadline(t.awaitingSince);
        const key = String(t.practiceId);
        if (at && !(until.get(key)! <= at)) until.set(key, at);
      }
      return until;
    },

    /** Clients of the practice with an open thread awaiting the practice's answer. */
    awaitingClientIds: (practiceId: Id): Promise<Types.ObjectId[]> =>
      Thread.distinct('clientId', { practiceId, status: 'open', awaiting: true, clientId: { $ne: null } }),

    /** Claims the next open thread awaiting an answer since `threshold` and not warned about yet (one per call). */
    claimWarning: (threshold: Date, now: Date) =>
      Thread.findOneAndUpdate(
        { status: 'open', awaiting: true, awaitingSince: { $lte: threshold }, warnedAt: null },
        { $set: { warnedAt: now } },
        { returnDocument: 'after' },
      ).lean<ThreadDoc>(),

    /** How far each of `userIds` has read each of the threads, keyed `threadId:userId`. */
    async readUpTo(threadIds: Id[], userIds: Id[]): Promise<Map<string, number>> {
      const reads = await ThreadRead.find({ threadId: { $in: threadIds }, userId: { $in: userIds } }).lean();
      return new Map(reads.map((r) => [`${r.threadId}:${r.userId}`, r.seq]));
    },

    /**
     * The notification queue inside each message (modules/notifications relays it). Claims are per document and
     * conditional, so two nodes never claim the same message.
     */
    notifyQueue: {
      /** Claims up to `limit` messages whose notification is due, for `claimMs`, under the claim `claim`. */
      async claimDue(limit: number, claim: string, claimMs: number): Promise<{ due: number; claimed: MessageDoc[] }> {
        const now = clock.now();
        const claimable = {
          'notify.state': 'pending' as const,
          'notify.due': { $lte: now },
          $or: [{ 'notify.claimedUntil': null }, { 'notify.claimedUntil': { $lt: now } }],
        };
        const due = await Message.find(claimable, { _id: 1 }).limit(limit).lean();
        if (!due.length) return { due: 0, claimed: [] };
        const ids = due.map((d) => d._id);
        await Message.updateMany(
          { _id: { $in: ids }, ...claimable },
          { $set: { 'notify.claimedUntil': new Date(now.getTime() + claimMs), 'notify.claim': claim } },
        );
        const claimed = await Message.find({ _id: { $in: ids }, 'notify.claim': claim }).lean<MessageDoc[]>();
        return { due: due.length, claimed };
      },

      /** Records the recipients of a claimed message mailed so far (the rest stay pending). */
      recordMailed: (messageId: Types.ObjectId, claim: string | null | undefined, done: string[]) =>
        Message.updateOne({ _id: messageId, 'notify.claim': claim }, { $set: { 'notify.done': done } }),

      /** Records claimed messages whose mails all went out. */
      markDone: (ids: Types.ObjectId[], claim: string) =>
        Message.updateMany({ _id: { $in: ids }, 'notify.claim': claim }, { $set: { 'notify.state': 'done' } }),
    },
  };
}

export type ThreadQueries = ReturnType<typeof threadQueries>;
