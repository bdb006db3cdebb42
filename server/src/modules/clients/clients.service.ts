import type { ClientListItem } from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import { conflict } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { Users } from '../auth/users.ts';
import type { ClientLinkDoc } from './client.model.ts';
import { clientLinks } from './client-links.ts';
import { isDuplicateKey } from '../../database.ts';
import type { Members } from '../practices/members.ts';
import type { ThreadQueries } from '../threads/thread-queries.ts';

export function clientsService({
  audit,
  practices,
  users,
  threads,
  ...deps
}: ServiceBase<'ClientLink' | 'FormerClient'> & {
  audit: AuditService;
  practices: Pick<Members, 'isMember'>;
  users: Pick<Users, 'emailsOf'>;
  threads: Pick<ThreadQueries, 'awaitingClientIds'>;
}) {
  const { models, clock, crypto } = deps;
  /** The name the practice knows its client by: sealed with the practice's data key, like message bodies. */
  const nameOf = (link: Pick<ClientLinkDoc, 'practiceId' | 'nameEnc'>) =>
    crypto.decryptText(link.practiceId, link.nameEnc);

  return {
    ...clientLinks(models.ClientLink),
    nameOf,

    /**
     * Links `user` to the practice as a client known by `name` (an accepted invitation); linking again is no change.
     * A member of the practice cannot also be its client.
     */
    async link(practiceId: string, user: UserDoc, name: string, actor: Actor): Promise<void> {
      const pid = new Types.ObjectId(practiceId);
      if (await practices.isMember(pid, user._id))
        throw conflict('A member of the practice cannot also be its client.');
      try {
        await models.ClientLink.create({
          practiceId: pid,
          userId: user._id,
          nameEnc: await crypto.encryptText(pid, name),
          createdAt: clock.now(),
        });
      } catch (err) {
        if (isDuplicateKey(err)) return;
        throw err;
      }
      await models.FormerClient.deleteOne({ practiceId: pid, userId: user._id });
      await audit.record(actor, { practiceId, action: 'client.add', target: `user:${user._id}` });
    },

    /**
     * Ends the client link of `userId`; false when they are not a client. The former-client record is written
     * first, so that a crash in between leaves the person unable to read rather than able to.
     */
    async unlink(practiceId: string, userId: string): Promise<boolean> {
      const filter = { practiceId: new Types.ObjectId(practiceId), userId: new Types.ObjectId(userId) };
      if (!(await models.ClientLink.exists(filter))) return false;
      await models.FormerClient.create({ ...filter, removedAt: clock.now() }).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err; // unlinked before, and linked again since
      });
      await models.ClientLink.deleteOne(filter);
      return true;
    },

    /** Practices that unlinked `userId`: their conversations there are no longer theirs to read. */
    async formerPracticesOf(userId: Types.ObjectId): Promise<Types.ObjectId[]> {
      return (await models.FormerClient.find({ userId }, { practiceId: 1 }).lean()).map((f) => f.practiceId);
    },

    async wasUnlinked(practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<boolean> {
      return Boolean(await models.FormerClient.exists({ practiceId, userId }));
    },

    async list(practiceId: string, actor: Actor): Promise<ClientListItem[]> {
      const pid = new Types.ObjectId(practiceId);
      const links = await models.ClientLink.find({ practiceId: pid }).lean();
      const [emails, awaiting] = await Promise.all([
        users.emailsOf(links.map((l) => l.userId)),
        threads.awaitingClientIds(pid),
      ]);
      const needs = new Set(awaiting.map(String));
      await audit.record(actor, { practiceId, action: 'client.list', target: `practice:${practiceId}` });
      // Sorted here: the database holds only sealed names.
      const list = await Promise.all(
        links.map(async (l) => ({
          id: String(l.userId),
          name: await nameOf(l),
          email: emails.get(String(l.userId)) ?? '',
          needsResponse: needs.has(String(l.userId)),
          status: 'active' as const,
        })),
      );
      return list.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

export type ClientsService = ReturnType<typeof clientsService>;
