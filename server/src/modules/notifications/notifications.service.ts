import { randomUUID } from 'node:crypto';
import { RESPONSE_WINDOW_MS } from '@clocktree/protocol';
import type { Types } from 'mongoose';
import type { ServiceBase } from '../../context.ts';
import { safeError } from '../../logger.ts';
import { emailOf } from '../auth/user-email.ts';
import type { ProspectLinks } from '../links/prospect-links.ts';
import { PROSPECT } from '../threads/recipients.ts';
import type { ThreadContent } from '../threads/thread-content.ts';
import type { MessageDoc, ThreadDoc } from '../threads/thread.model.ts';
import { mailTexts } from './mail-texts.ts';
import { SENDER_FIELDS, senderOf } from './practice-sender.ts';

const CLAIM_MS = 60_000;
const RELAY_BATCH = 100;
/** Mails in flight at once (the SMTP transport pools its connections). */
const SEND_CONCURRENCY = 8;
/** Messages whose mails went out, recorded done together; what a crash before that write would mail again. */
const DONE_GROUP = 10;
/** Admins are warned when this much of the 7-day window is left. */
export const WARN_BEFORE_MS = 2 * 24 * 3600_000;

/**
 * The relay turns pending notification entries (stored inside each message document) into e-mails. Entries are
 * claimed with a conditional update, so several nodes never send the same one; messages are recorded done in
 * groups of DONE_GROUP right after their mails, so a relay that dies mid-way resends at most one group's mails.
 */
export function notificationsService({
  content,
  links,
  ...deps
}: ServiceBase<'Message' | 'Practice' | 'Thread' | 'ThreadRead' | 'User'> & {
  content: ThreadContent;
  links: Pick<ProspectLinks, 'issue'>;
}) {
  const { models, clock, mailer, logger, publicUrl } = deps;

  /** What a batch of claimed messages needs to know, read with one query per collection instead of per mail. */
  async function lookups(claimed: MessageDoc[]) {
    const threads = await models.Thread.find({ _id: { $in: [...new Set(claimed.map((m) => m.threadId))] } }).lean<
      ThreadDoc[]
    >();
    const people = [...new Set(claimed.flatMap((m) => m.notify!.recipients.filter((r) => r !== PROSPECT)))];
    const [users, practices, reads] = await Promise.all([
      models.User.find({ _id: { $in: people } }, { emailEnc: 1 }).lean(),
      models.Practice.find({ _id: { $in: threads.map((t) => t.practiceId) } }, { members: 1, ...SENDER_FIELDS }).lean(),
      models.ThreadRead.find({ threadId: { $in: threads.map((t) => t._id) }, userId: { $in: people } }).lean(),
    ]);
    const members = new Set(practices.flatMap((p) => p.members.map((m) => `${p._id}:${m.userId}`)));
    const byId = new Map(practices.map((p) => [String(p._id), p]));
    return {
      thread: new Map(threads.map((t) => [String(t._id), t])),
      /** Network threads have no practice: the neutral sender. */
      sender: (thread: ThreadDoc) => senderOf(thread.practiceId ? byId.get(String(thread.practiceId)) : null),
      email: new Map(users.map((u) => [String(u._id), emailOf(deps.crypto, u)])),
      isMember: (thread: ThreadDoc, userId: string) => members.has(`${thread.practiceId}:${userId}`),
      readUpTo: new Map(reads.map((r) => [`${r.threadId}:${r.userId}`, r.seq])),
    };
  }

  async function target(thread: ThreadDoc, recipient: string, known: Awaited<ReturnType<typeof lookups>>) {
    if (recipient === PROSPECT) {
      const contact = await content.contact(thread);
      if (!contact) return null;
      return { to: contact.email, link: await links.issue(thread) };
    }
    const to = known.email.get(recipient);
    if (!to) return null;
    // Practice members and My Network peers read in the console; clients in their Messages portal.
    const inConsole = thread.kind === 'network' || known.isMember(thread, recipient);
    return { to, link: inConsole ? `${publicUrl()}/console` : `${publicUrl()}/messages/` };
  }

  /**
   * Mails one claimed message's recipients. On a failure, those already mailed are recorded at once and the rest
   * stay pending; on success the caller records the message done (in groups: each write scans the whole
   * collection on FerretDB).
   */
  async function relayOne(message: MessageDoc, known: Awaited<ReturnType<typeof lookups>>): Promise<void> {
    const notify = message.notify!;
    const thread = known.thread.get(String(message.threadId));
    const done = [...notify.done];
    for (const recipient of thread ? notify.recipients : []) {
      if (done.includes(recipient)) continue;
      // Someone who has already read this far (live, in the console or the widget) needs no e-mail about it.
      const seen = (known.readUpTo.get(`${message.threadId}:${recipient}`) ?? 0) >= message.seq;
      try {
        const to = seen ? null : await target(thread!, recipient, known);
        if (to) await mailer.send({ ...mailTexts.newMessage(to.to, to.link), ...known.sender(thread!) });
      } catch (err) {
        await models.Message.updateOne(
          { _id: message._id, 'notify.claim': notify.claim },
          { $set: { 'notify.done': done } },
        );
        throw err;
      }
      done.push(recipient);
    }
  }

  /** Records messages whose mails all went out; a crash before this resends at most these (DONE_GROUP). */
  const markDone = (ids: Types.ObjectId[], claim: string) =>
    ids.length
      ? models.Message.updateMany({ _id: { $in: ids }, 'notify.claim': claim }, { $set: { 'notify.state': 'done' } })
      : undefined;

  return {
    /**
     * Sends every due notification, a batch at a time: one query claims up to RELAY_BATCH messages (each claim is
     * still per document and conditional, so two nodes never claim the same one), a few more read what the mails
     * need, and SEND_CONCURRENCY mails are in flight at once. Returns how many messages were handled.
     */
    async relayDue(): Promise<number> {
      let handled = 0;
      for (;;) {
        const now = clock.now();
        const claimable = {
          'notify.state': 'pending' as const,
          'notify.due': { $lte: now },
          $or: [{ 'notify.claimedUntil': null }, { 'notify.claimedUntil': { $lt: now } }],
        };
        const due = await models.Message.find(claimable, { _id: 1 }).limit(RELAY_BATCH).lean();
        if (!due.length) return handled;
        const claim = randomUUID();
        const ids = due.map((d) => d._id);
        await models.Message.updateMany(
          { _id: { $in: ids }, ...claimable },
          { $set: { 'notify.claimedUntil': new Date(now.getTime() + CLAIM_MS), 'notify.claim': claim } },
        );
        const claimed = await models.Message.find({ _id: { $in: ids }, 'notify.claim': claim }).lean<MessageDoc[]>();
        const known = await lookups(claimed);
        let failed = 0;
        let finished: Types.ObjectId[] = [];
        await eachLimited(claimed, SEND_CONCURRENCY, async (message) => {
          try {
            await relayOne(message, known);
            handled++;
            finished.push(message._id);
            if (finished.length >= DONE_GROUP) {
              const group = finished;
              finished = [];
              await markDone(group, claim);
            }
          } catch (err) {
            // Left pending: the claim expires and a later run (on any node) retries the recipients not done.
            failed++;
            logger.warn({ err: safeError(err), messageId: String(message._id) }, 'notification not sent');
          }
        });
        await markDone(finished, claim);
        // A short batch was the last; a failing one is left to the next run rather than retried at once.
        if (due.length < RELAY_BATCH || failed) return handled;
      }
    },

    /** Warns a practice's admins once per awaiting period, when a thread has 2 days left under the 7-day rule. */
    async warnDue(): Promise<number> {
      const now = clock.now();
      const threshold = new Date(now.getTime() - (RESPONSE_WINDOW_MS - WARN_BEFORE_MS));
      let warned = 0;
      for (;;) {
        const thread = await models.Thread.findOneAndUpdate(
          { status: 'open', awaiting: true, awaitingSince: { $lte: threshold }, warnedAt: null },
          { $set: { warnedAt: now } },
          { returnDocument: 'after' },
        ).lean<ThreadDoc>();
        if (!thread) return warned;
        const practice = await models.Practice.findById(thread.practiceId, { members: 1, ...SENDER_FIELDS }).lean();
        const adminIds = (practice?.members ?? []).filter((m) => m.role === 'admin').map((m) => m.userId);
        const admins = await models.User.find({ _id: { $in: adminIds } }, { emailEnc: 1 }).lean();
        for (const admin of admins)
          await mailer.send({
            ...mailTexts.responseDue(emailOf(deps.crypto, admin), `${publicUrl()}/console`),
            ...senderOf(practice),
          });
        warned++;
      }
    },
  };
}

export type NotificationsService = ReturnType<typeof notificationsService>;

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
