import { randomUUID } from 'node:crypto';
import { RESPONSE_WINDOW_MS } from '@clocktree/protocol';
import type { Types } from 'mongoose';
import type { ServiceDeps } from '../../context.ts';
import { safeError } from '../../logger.ts';
import type { Users } from '../auth/users.ts';
import type { ProspectLinks } from '../links/prospect-links.ts';
import { PROSPECT } from '../threads/recipients.ts';
import type { ThreadContent } from '../threads/thread-content.ts';
import type { MessageDoc, ThreadDoc } from '../threads/thread.model.ts';
import type { ThreadQueries } from '../threads/thread-queries.ts';
import { mailTexts } from './mail-texts.ts';
import { senderOf } from './practice-sender.ts';
import type { PracticesService } from '../practices/practices.service.ts';

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
  users,
  threads: threadReads,
  practices: practiceReads,
  ...deps
}: Omit<ServiceDeps, 'models'> & {
  practices: Pick<PracticesService, 'mailFactsOf'>;
  content: ThreadContent;
  links: Pick<ProspectLinks, 'issue'>;
  users: Pick<Users, 'emailsOf'>;
  threads: Pick<ThreadQueries, 'threadsByIds' | 'readUpTo' | 'claimWarning' | 'notifyQueue'>;
}) {
  const { clock, mailer, logger, publicUrl } = deps;
  const queue = threadReads.notifyQueue;

  /** What a batch of claimed messages needs to know, read with one query per collection instead of per mail. */
  async function lookups(claimed: MessageDoc[]) {
    const threads = await threadReads.threadsByIds([...new Set(claimed.map((m) => m.threadId))]);
    const people = [...new Set(claimed.flatMap((m) => m.notify!.recipients.filter((r) => r !== PROSPECT)))];
    const [email, practices, readUpTo] = await Promise.all([
      users.emailsOf(people),
      practiceReads.mailFactsOf(threads.map((t) => t.practiceId)),
      threadReads.readUpTo(
        threads.map((t) => t._id),
        people,
      ),
    ]);
    const members = new Set(practices.flatMap((p) => p.members.map((m) => `${p._id}:${m.userId}`)));
    const byId = new Map(practices.map((p) => [String(p._id), p]));
    return {
      thread: new Map(threads.map((t) => [String(t._id), t])),
      /** Network threads have no practice: the neutral sender. */
      sender: (thread: ThreadDoc) => senderOf(thread.practiceId ? byId.get(String(thread.practiceId)) : null),
      email,
      isMember: (thread: ThreadDoc, userId: string) => members.has(`${thread.practiceId}:${userId}`),
      readUpTo,
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
        await queue.recordMailed(message._id, notify.claim, done);
        throw err;
      }
      done.push(recipient);
    }
  }

  /** Records messages whose mails all went out; a crash before this resends at most these (DONE_GROUP). */
  const markDone = (ids: Types.ObjectId[], claim: string) => (ids.length ? queue.markDone(ids, claim) : undefined);

  return {
    /**
     * Sends every due notification, a batch at a time: one query claims up to RELAY_BATCH messages (each claim is
     * still per document and conditional, so two nodes never claim the same one), a few more read what the mails
     * need, and SEND_CONCURRENCY mails are in flight at once. Returns how many messages were handled.
     */
    async relayDue(): Promise<number> {
      let handled = 0;
      for (;;) {
        const claim = randomUUID();
        const { due, claimed } = await queue.claimDue(RELAY_BATCH, claim, CLAIM_MS);
        if (!due) return handled;
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
        if (due < RELAY_BATCH || failed) return handled;
      }
    },

    /** Warns a practice's admins once per awaiting period, when a thread has 2 days left under the 7-day rule. */
    async warnDue(): Promise<number> {
      const now = clock.now();
      const threshold = new Date(now.getTime() - (RESPONSE_WINDOW_MS - WARN_BEFORE_MS));
      let warned = 0;
      for (;;) {
        const thread = await threadReads.claimWarning(threshold, now);
        if (!thread) return warned;
        const [practice] = await practiceReads.mailFactsOf([thread.practiceId]);
        const adminIds = (practice?.members ?? []).filter((m) => m.role === 'admin').map((m) => m.userId);
        const admins = await users.emailsOf(adminIds);
        for (const email of admins.values())
          await mailer.send({
            ...mailTexts.responseDue(email, `${publicUrl()}/console`),
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
