import type { LinkExchangeResult } from '@clocktree/protocol';
import type { Actor, ServiceDeps } from '../../context.ts';
import { hashToken } from '../../crypto/tokens.ts';
import { unauthenticated } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ThreadContent } from '../threads/thread-content.ts';
import type { ThreadDoc } from '../threads/thread.model.ts';
import { emailFields } from './user-email.ts';
import type { AuthService } from './auth.service.ts';

/**
 * A prospective client proves control of the e-mail address they wrote from by opening the single-use link we
 * mailed there. The first use signs them in as the (password-less, created if needed) account of that address,
 * which becomes the thread's client, so they can read and reply until the thread is closed.
 */
export function linkService(deps: ServiceDeps, auth: AuthService, content: ThreadContent, audit: AuditService) {
  const { models, clock } = deps;
  return {
    async exchange(token: string, actor: Actor): Promise<LinkExchangeResult> {
      const now = clock.now();
      const link = await models.LinkToken.findOneAndUpdate(
        { tokenHash: hashToken(token), usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { returnDocument: 'after' },
      ).lean();
      const thread = link ? await models.Thread.findById(link.threadId).lean<ThreadDoc>() : null;
      const contact = thread ? await content.contact(thread) : null;
      if (!thread || !contact) throw unauthenticated('This link has expired or was already used. Ask for a new one.');
      let user = await auth.findUserByEmail(contact.email);
      if (!user) {
        await models.User.create({
          ...emailFields(deps.crypto, contact.email),
          name: contact.name,
          kind: 'client',
          passwordHash: null,
          createdAt: now,
        }).catch((err: { code?: number }) => {
          if (err.code !== 11000) throw err;
        });
        user = (await auth.findUserByEmail(contact.email))!;
      }
      await models.Thread.updateOne({ _id: thread._id, clientId: null }, { $set: { clientId: user._id } });
      const current = await models.Thread.findById(thread._id, { clientId: 1 }).lean();
      if (!current?.clientId?.equals(user._id))
        throw unauthenticated('This link no longer gives access to that conversation.');
      await audit.record(
        { ...actor, userId: String(user._id) },
        { practiceId: thread.practiceId, action: 'auth.link', target: `thread:${thread._id}` },
      );
      return { ...(await auth.startSession(user, actor)), threadId: String(thread._id) };
    },

    async sweepLinks(): Promise<number> {
      return (await models.LinkToken.deleteMany({ expiresAt: { $lt: clock.now() } })).deletedCount;
    },
  };
}

export type LinkService = ReturnType<typeof linkService>;
