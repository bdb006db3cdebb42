import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';

/**
 * How long a dropped socket's rooms and missed events are kept for it (connection state recovery). Past that, or when
 * the node that held it died without saving it, the client re-syncs by `afterSeq` as after any reconnect.
 */
export const RECOVERY_WINDOW_MS = 2 * 60_000;

/** What several nodes share: one Redis, under one deployment's key prefix. */
export interface Cluster {
  /** The node's Redis client (leases, limits); the adapter opens its own connections beside it. */
  redis: Redis;
  /** Every key, stream and channel of this deployment starts with it (default "clocktree"; tests use their own). */
  prefix: string;
}

/**
 * The Socket.IO options that depend on the fan-out: in-process on one node (no cluster), the Redis Streams adapter
 * across nodes. Either way a dropped socket is recovered with what it missed (and the handshake's checks are run
 * again: a recovered socket is not trusted on its old session). The adapter gets its own connection, queueing
 * commands while Redis is away, so its stream reader waits for Redis instead of spinning on errors.
 */
export function fanoutOptions(cluster: Cluster | undefined): { options: Partial<ServerOptions>; close(): void } {
  const connectionStateRecovery = { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false };
  if (!cluster) return { options: { connectionStateRecovery }, close() {} };
  const redis = cluster.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  // The adapter resumes its stream once Redis answers again; the server's own log says when Redis is away.
  redis.on('error', () => undefined);
  const adapter = createAdapter(redis, {
    streamName: `${cluster.prefix}:socket.io`,
    channelPrefix: `${cluster.prefix}:socket.io`,
    sessionKeyPrefix: `${cluster.prefix}:socket.io:session:`,
    // Events are JSON (the protocol's schemas): no binary scan of each packet.
    onlyPlaintext: true,
    // Its reader wakes this often when idle; a closing server waits for it to let go of its connection.
    blockTimeInMs: 2_000,
  });
  return { options: { connectionStateRecovery, adapter }, close: () => redis.disconnect() };
}
