import type { Types } from 'mongoose';
import type { Models } from '../models.ts';

/**
 * The origin rule of DESIGN.md, in one place for REST and the socket handshake: the service's own origin, or an
 * origin that the practice concerned lists in `allowedOrigins`.
 */
export function originPolicy(models: Models, ownOrigin: () => string) {
  return {
    get ownOrigin() {
      return ownOrigin();
    },
    /** Is this origin allowed for practice `practiceId`, or (without one) for any practice at all? */
    async allowed(origin: string, practiceId?: string): Promise<boolean> {
      if (origin === ownOrigin()) return true;
      const filter: Record<string, unknown> = { allowedOrigins: origin };
      if (practiceId) filter._id = practiceId;
      return Boolean(await models.Practice.exists(filter));
    },
    /** May this user act from this origin: do they belong to, or are they a client of, a practice allowing it? */
    async allowedForUser(origin: string, userId: Types.ObjectId): Promise<boolean> {
      if (origin === ownOrigin()) return true;
      const links = await models.ClientLink.find({ userId }, { practiceId: 1 }).lean();
      const practice = await models.Practice.exists({
        allowedOrigins: origin,
        $or: [{ 'members.userId': userId }, { _id: { $in: links.map((l) => l.practiceId) } }],
      });
      return Boolean(practice);
    },
  };
}

export type OriginPolicy = ReturnType<typeof originPolicy>;
