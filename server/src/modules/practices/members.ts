import type { Role } from '@clocktree/protocol';
import { isValidObjectId, type Types } from 'mongoose';
import type { Models } from '../../models.ts';

type Id = Types.ObjectId | string;

/**
 * The one owner of "who is a member of which practice" as queries: every other module asks through these (via the
 * practices service) instead of querying `members.userId` itself. Equality queries only (FerretDB, see README).
 */
export function members(Practice: Models['Practice']) {
  const ids = (practiceIds: Id[] | undefined) => (practiceIds ? { _id: { $in: practiceIds } } : {});
  return {
    async isMember(practiceId: Id, userId: Id): Promise<boolean> {
      if (!isValidObjectId(practiceId)) return false;
      return Boolean(await Practice.exists({ _id: practiceId, 'members.userId': userId }));
    },

    async isAdmin(practiceId: Id, userId: Id): Promise<boolean> {
      if (!isValidObjectId(practiceId)) return false;
      const practice = await Practice.findOne({ _id: practiceId, 'members.userId': userId }, { members: 1 }).lean();
      return practice?.members.some((m) => m.userId.equals(userId) && m.role === 'admin') ?? false;
    },

    /** The practices `userId` is a member of; `within`: only among these. */
    async memberPracticeIds(userId: Id, within?: Id[]): Promise<Types.ObjectId[]> {
      const found = await Practice.find({ 'members.userId': userId, ...ids(within) }, { _id: 1 }).lean();
      return found.map((p) => p._id);
    },

    /** `userId`'s role in each practice they are a member of; `within`: only among these. */
    async memberships(userId: Id, within?: Id[]): Promise<{ practiceId: string; role: Role }[]> {
      const found = await Practice.find({ 'members.userId': userId, ...ids(within) }, { members: 1 }).lean();
      return found.map((p) => ({
        practiceId: String(p._id),
        role: p.members.find((m) => m.userId.equals(userId))!.role,
      }));
    },

    /** Whether two people are members of one practice together. */
    async shareAPractice(userId: Id, otherId: Id): Promise<boolean> {
      return Boolean(await Practice.exists({ $and: [{ 'members.userId': userId }, { 'members.userId': otherId }] }));
    },
  };
}

export type Members = ReturnType<typeof members>;
