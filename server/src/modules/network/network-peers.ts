import type { Types } from 'mongoose';
import type { Models } from '../../models.ts';

/**
 * Who the two peers of a My Network connection are, as other modules ask it (modules/network owns the model): a
 * connection's id stands in for a practice's where `network` threads are sealed and their files uploaded.
 */
export function networkPeers(NetworkConnection: Models['NetworkConnection']) {
  return {
    async isPeer(connectionId: Types.ObjectId, userId: Types.ObjectId): Promise<boolean> {
      return Boolean(await NetworkConnection.exists({ _id: connectionId, peerIds: userId }));
    },
  };
}

export type NetworkPeers = ReturnType<typeof networkPeers>;
