import type { RosterChangedEvent } from '@clocktree/protocol';
import type { Types } from 'mongoose';
import { safeError, type Logger } from '../../logger.ts';
import type { Fanout } from '../../realtime/fanout.ts';
import type { PracticesService } from './practices.service.ts';

export type RosterChange = Omit<RosterChangedEvent, 'practiceId' | 'invitationId'> & {
  practiceId: string | Types.ObjectId;
  invitationId?: string | null;
};

/** Tells the practice's signed-in members that one of its lists changed (`roster:changed`). */
export type RosterNews = (change: RosterChange) => Promise<void>;

/**
 * The members of the practice as it is after the change (someone removed hears nothing more; someone who just joined
 * hears their own arrival), on every node through the adapter. A change is made whether or not anyone hears of it:
 * a failure here is logged, never the change's failure, and consoles that missed it catch up on their next resync.
 */
export function rosterNews(
  practices: Pick<PracticesService, 'load'>,
  live: Pick<Fanout, 'rosterChanged'>,
  logger: Logger,
): RosterNews {
  return async ({ practiceId, invitationId, ...change }) => {
    try {
      const practice = await practices.load(String(practiceId));
      live.rosterChanged(
        practice.members.map((m) => m.userId),
        { ...change, practiceId: String(practice._id), invitationId: invitationId ?? null },
      );
    } catch (err) {
      logger.warn({ err: safeError(err), practiceId: String(practiceId) }, 'roster:changed not sent');
    }
  };
}
