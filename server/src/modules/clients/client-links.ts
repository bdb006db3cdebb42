import { isValidObjectId, type Types } from 'mongoose';
import type { Models } from '../../models.ts';
import type { ClientLinkDoc } from './client.model.ts';

type Id = Types.ObjectId | string;

/**
 * The one owner of "who is a client of which practice" as queries: every other module asks through these (via the
 * clients service, or this object where it is built before that service) instead of reading `ClientLink` itself.
 * Equality queries only (FerretDB, see README).
 */
export function clientLinks(ClientLink: Models['ClientLink']) {
  return {
    async isClientOf(practiceId: Id, userId: Id): Promise<boolean> {
      if (!isValidObjectId(practiceId)) return false;
      return Boolean(await ClientLink.exists({ practiceId, userId }));
    },

    /** The practices `userId` is a client of; `within`: only among these. */
    async practiceIdsOfClient(userId: Id, within?: Id[]): Promise<Types.ObjectId[]> {
      const found = await ClientLink.find(
        { userId, ...(within ? { practiceId: { $in: within } } : {}) },
        { practiceId: 1 },
      ).lean();
      return found.map((l) => l.practiceId);
    },

    /** The link of `userId` to the practice (its sealed name: `clients.nameOf`), or null. */
    linkOf(practiceId: Id, userId: Id): Promise<ClientLinkDoc | null> {
      return ClientLink.findOne({ practiceId, userId }).lean<ClientLinkDoc>();
    },

    /** The links of those of `userIds` who are clients of the practice. */
    linksAmong(practiceId: Id, userIds: Id[]): Promise<Pick<ClientLinkDoc, 'practiceId' | 'userId' | 'nameEnc'>[]> {
      return ClientLink.find({ practiceId, userId: { $in: userIds } }, { practiceId: 1, userId: 1, nameEnc: 1 }).lean();
    },
  };
}

export type ClientLinks = ReturnType<typeof clientLinks>;
