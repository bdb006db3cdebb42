import type { Types } from 'mongoose';
import { ApiError } from '../../http/api-error.ts';
import type { Models } from '../../models.ts';

export const notConnected = () =>
  new ApiError('not_connected', 'You are not connected with that person in My Network (any more).');

/**
 * Who the two peers of a My Network connection are, as other modules ask it (modules/network owns the model): a
 * connection's id stands in for a practice's where `network` threads are sealed and their files uploaded.
 */
export function networkPeers(NetworkConnection: Models['NetworkConnection']) {
  return {
    /**
     * Whether `userId` is one of the connection's two peers, and whether the two are connected now or the
     * connection is removed (until they connect again); null for anyone else, or no such connection.
     */
    async standing(connectionId: Types.ObjectId, userId: Types.ObjectId): Promise<'connected' | 'removed' | null> {
      const found = await NetworkConnection.findOne({ _id: connectionId, peerIds: userId }, { removedAt: 1 }).lean();
      if (!found) return null;
      return found.removedAt ? 'removed' : 'connected';
    },
  };
}

export type NetworkPeers = ReturnType<typeof networkPeers>;
