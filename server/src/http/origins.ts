import type { Types } from 'mongoose';
import type { Models } from '../models.ts';

/**
 * What a caller acting from a practice's website may touch: the records of the practices that list that origin in
 * `allowedOrigins`, and nothing else — whatever other practices the person belongs to or is a client of.
 */
export interface PracticeScope {
  origin: string;
  practiceIds: Types.ObjectId[];
}

/**
 * The origin rule of DESIGN.md, in one place for REST and the socket handshake: the service's own origin may do
 * anything its session may; any other origin only what the practice concerned allows.
 */
export function originPolicy(models: Models, ownOrigin: () => string) {
  return {
    get ownOrigin() {
      return ownOrigin();
    },

    /** CORS: is this origin allowed for practice `practiceId`, or (without one) for any practice at all? */
    async allowed(origin: string, practiceId?: string): Promise<boolean> {
      if (origin === ownOrigin()) return true;
      const filter: Record<string, unknown> = { allowedOrigins: origin };
      if (practiceId) filter._id = practiceId;
      return Boolean(await models.Practice.exists(filter));
    },

    /**
     * The scope of a caller whose session is bound to `origin`: undefined (no limit beyond the session's own rights)
     * for our own origin and for sessions no browser page signed in; otherwise the practices listing the origin,
     * read afresh on every call so that removing an origin takes effect at once.
     */
    async scopeFor(origin: string | null | undefined): Promise<PracticeScope | undefined> {
      if (!origin || origin === ownOrigin()) return undefined;
      const listing = await models.Practice.find({ allowedOrigins: origin }, { _id: 1 }).lean();
      return { origin, practiceIds: listing.map((p) => p._id) };
    },
  };
}

export type OriginPolicy = ReturnType<typeof originPolicy>;

export const inScope = (scope: PracticeScope | undefined, practiceId: unknown): boolean =>
  !scope || (practiceId != null && scope.practiceIds.some((id) => String(id) === String(practiceId)));
