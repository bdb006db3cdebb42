import type { AddClientBody, Client, ClientListItem } from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceDeps } from '../../context.ts';
import { conflict } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import { emailFields, emailOf, userByEmail } from '../auth/user-email.ts';
import type { ClientLinkDoc } from './client.model.ts';

export function clientsService(deps: ServiceDeps, audit: AuditService) {
  const { models, clock, crypto } = deps;
  /** The name the practice knows its client by: sealed with the practice's data key, like message bodies. */
  const nameOf = (link: Pick<ClientLinkDoc, 'practiceId' | 'nameEnc'>) =>
    crypto.decryptText(link.practiceId, link.nameEnc);

  return {
    nameOf,

    /** Links a person to the practice as a client, creating a password-less account when they have none yet. */
    async add(practiceId: string, body: AddClientBody, actor: Actor): Promise<Client> {
      const pid = new Types.ObjectId(practiceId);
      let user = await userByEmail(deps, body.email);
      if (!user) {
        try {
          user = (
            await models.User.create({
              ...emailFields(crypto, body.email),
              name: body.name,
              kind: 'client',
              passwordHash: null,
              createdAt: clock.now(),
            })
          ).toObject();
        } catch (err) {
          if ((err as { code?: number }).code !== 11000) throw err;
          user = await userByEmail(deps, body.email);
        }
      }
      if (!user) throw conflict('That account changed while it was being added; try again.');
      if (await models.Practice.exists({ _id: pid, 'members.userId': user._id }))
        throw conflict('A member of the practice cannot also be its client.');
      try {
        await models.ClientLink.create({
          practiceId: pid,
          userId: user._id,
          nameEnc: await crypto.encryptText(pid, body.name),
          createdAt: clock.now(),
        });
      } catch (err) {
        if ((err as { code?: number }).code === 11000)
          throw conflict('That person is already a client of this practice.');
        throw err;
      }
      await audit.record(actor, { practiceId, action: 'client.add', target: `user:${user._id}` });
      return { id: String(user._id), email: emailOf(crypto, user), name: body.name };
    },

    async list(practiceId: string, actor: Actor): Promise<ClientListItem[]> {
      const pid = new Types.ObjectId(practiceId);
      const links = await models.ClientLink.find({ practiceId: pid }).lean();
      const [users, awaiting] = await Promise.all([
        models.User.find({ _id: { $in: links.map((l) => l.userId) } }, { emailEnc: 1 }).lean<UserDoc[]>(),
        models.Thread.distinct('clientId', {
          practiceId: pid,
          status: 'open',
          awaiting: true,
          clientId: { $ne: null },
        }),
      ]);
      const emails = new Map(users.map((u) => [String(u._id), emailOf(crypto, u)]));
      const needs = new Set(awaiting.map(String));
      await audit.record(actor, { practiceId, action: 'client.list', target: `practice:${practiceId}` });
      // Sorted here: the database holds only sealed names.
      const list = await Promise.all(
        links.map(async (l) => ({
          id: String(l.userId),
          name: await nameOf(l),
          email: emails.get(String(l.userId)) ?? '',
          needsResponse: needs.has(String(l.userId)),
        })),
      );
      return list.sort((a, b) => a.name.localeCompare(b.name));
    },

    async isClientOf(practiceId: string | Types.ObjectId, userId: string | Types.ObjectId): Promise<boolean> {
      return Boolean(await models.ClientLink.exists({ practiceId, userId }));
    },
  };
}

export type ClientsService = ReturnType<typeof clientsService>;
