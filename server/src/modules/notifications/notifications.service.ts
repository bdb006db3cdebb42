import { RESPONSE_WINDOW_MS } from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { ServiceDeps } from '../../context.ts';
import { newToken } from '../../crypto/tokens.ts';
import { safeError } from '../../logger.ts';
import { emailOf } from '../auth/user-email.ts';
import { PROSPECT } from '../threads/recipients.ts';
import type { ThreadContent } from '../threads/thread-content.ts';
import type { MessageDoc, ThreadDoc } from '../threads/thread.model.ts';
import { mailTexts } from './mail-texts.ts';

const CLAIM_MS = 60_000;
const LINK_TTL_MS = 72 * 3600_000;
/** Admins are warned when this much of the 7-day window is left. */
export const WARN_BEFORE_MS = 2 * 24 * 3600_000;

/**
 * The relay turns pending notification entries (stored inside each message document) into e-mails. Entries are
 * claimed one at a time with an atomic update, so several nodes never send the same one; each recipient is
 * recorded as done after its mail, so a relay that dies mid-way resends to nobody already handled.
 */
export function notificationsService(deps: ServiceDeps, content: ThreadContent) {
  const { models, clock, mailer, logger, publicUrl } = deps;

  async function linkFor(thread: ThreadDoc, recipient: string): Promise<{ to: string; link: string } | null> {
    if (recipient === PROSPECT) {
      const contact = await content.contact(thread);
      if (!contact) return null;
      const { token, hash } = newToken();
      await models.LinkToken.create({
        tokenHash: hash,
        threadId: thread._id,
        expiresAt: new Date(clock.now().getTime() + LINK_TTL_MS),
        usedAt: null,
      });
      // The token rides in the fragment: browsers never send it to a server, so it stays out of access logs.
      // The practice id names which practice's portal to show; the prospect already knows whom they wrote to.
      return { to: contact.email, link: `${publicUrl()}/messages/?practice=${thread.practiceId}#link=${token}` };
    }
    const user = await models.User.findById(recipient, { emailEnc: 1 }).lean();
    if (!user) return null;
    const member = await models.Practice.exists({ _id: thread.practiceId, 'members.userId': user._id });
    return { to: emailOf(deps.crypto, user), link: member ? `${publicUrl()}/console` : `${publicUrl()}/messages/` };
  }

  async function deliver(message: MessageDoc, thread: ThreadDoc, recipient: string): Promise<void> {
    // Someone who has already read this far (live, in the console or the widget) needs no e-mail about it.
    if (
      recipient !== PROSPECT &&
      (await models.ThreadRead.exists({
        threadId: thread._id,
        userId: new Types.ObjectId(recipient),
        seq: { $gte: message.seq },
      }))
    )
      return;
    const target = await linkFor(thread, recipient);
    if (target) await mailer.send(mailTexts.newMessage(target.to, target.link));
  }

  async function relayOne(id: Types.ObjectId): Promise<boolean> {
    const now = clock.now();
    const claimed = await models.Message.findOneAndUpdate(
      {
        _id: id,
        'notify.state': 'pending',
        $or: [{ 'notify.claimedUntil': null }, { 'notify.claimedUntil': { $lt: now } }],
      },
      { $set: { 'notify.claimedUntil': new Date(now.getTime() + CLAIM_MS) } },
      { returnDocument: 'after' },
    ).lean<MessageDoc>();
    if (!claimed?.notify) return false;
    const thread = await models.Thread.findById(claimed.threadId).lean<ThreadDoc>();
    for (const recipient of thread ? claimed.notify.recipients : []) {
      if (claimed.notify.done.includes(recipient)) continue;
      await deliver(claimed, thread!, recipient);
      await models.Message.updateOne({ _id: claimed._id }, { $addToSet: { 'notify.done': recipient } });
    }
    await models.Message.updateOne({ _id: claimed._id }, { $set: { 'notify.state': 'done' } });
    return true;
  }

  return {
    /** Sends every due notification; returns how many messages were handled. */
    async relayDue(): Promise<number> {
      const due = await models.Message.find(
        { 'notify.state': 'pending', 'notify.due': { $lte: clock.now() } },
        { _id: 1 },
      )
        .limit(100)
        .lean();
      let handled = 0;
      for (const { _id } of due) {
        try {
          if (await relayOne(_id)) handled++;
        } catch (err) {
          // Left pending: the claim expires and a later run (on any node) retries.
          logger.warn({ err: safeError(err), messageId: String(_id) }, 'notification not sent');
        }
      }
      return handled;
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
        const practice = await models.Practice.findById(thread.practiceId, { members: 1 }).lean();
        const adminIds = (practice?.members ?? []).filter((m) => m.role === 'admin').map((m) => m.userId);
        const admins = await models.User.find({ _id: { $in: adminIds } }, { emailEnc: 1 }).lean();
        for (const admin of admins)
          await mailer.send(mailTexts.responseDue(emailOf(deps.crypto, admin), `${publicUrl()}/console`));
        warned++;
      }
    },
  };
}

export type NotificationsService = ReturnType<typeof notificationsService>;
