import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ServerOptions } from 'socket.io';
import { within, type Cluster, type RedisWatch } from '../redis-watch.ts';

export type { Cluster };

/**
 * How long a dropped socket's rooms and missed events are kept for it (connection state recovery). Past that, or when
 * the node that held it died without saving it, the client re-syncs by `afterSeq` as after any reconnect.
 */
export const RECOVERY_WINDOW_MS = 2 * 60_000;

/** How long a push waits for Redis to take it before it goes to this node's sockets alone. */
const PUBLISH_WITHIN_MS = 2_000;

type StreamsAdapter = ReturnType<ReturnType<typeof createAdapter>>;

const localOnly = <T extends { flags?: object }>(opts: T): T => ({ ...opts, flags: { ...opts.flags, local: true } });

/**
 * The library's adapter waits for Redis to store a push before delivering it here, and its client queues commands
 * while Redis is away: a hung or dropped Redis would hold every push, even to this node's own sockets, and every
 * reconnecting socket's recovery. While the watch says Redis is away, or when Redis takes too long, pushes go to
 * this node's sockets alone (the adapter delivers here when publishing fails), socket lists are this node's, and a
 * session is not recovered (its client re-syncs instead).
 */
function degradeToLocal(adapter: StreamsAdapter, watch: RedisWatch): StreamsAdapter {
  const publish = adapter.doPublish.bind(adapter);
  adapter.doPublish = (message) =>
    watch.down ? Promise.reject(new Error('redis away')) : within(Promise.resolve(publish(message)), PUBLISH_WITHIN_MS);
  const fetchSockets = adapter.fetchSockets.bind(adapter);
  adapter.fetchSockets = (opts) => fetchSockets(watch.down ? localOnly(opts) : opts);
  const persist = adapter.persistSession.bind(adapter);
  adapter.persistSession = (session) => (watch.down ? undefined : persist(session));
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = (pid, offset) =>
    watch.down ? Promise.reject(new Error('redis away')) : within(restore(pid, offset), PUBLISH_WITHIN_MS);
  return adapter;
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
  const redis = cluster.redis.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
    // Unlike the node's client: without a command timeout, a stream read lost with its connection must be sent again
    // (or it would never settle and the reader would stop for good).
    autoResendUnfulfilledCommands: true,
  });
  // The adapter resumes its stream once Redis answers again; the watch says when Redis is away.
  redis.on('error', () => undefined);
  const streams = createAdapter(redis, {
    streamName: `${cluster.prefix}:socket.io`,
    channelPrefix: `${cluster.prefix}:socket.io`,
    sessionKeyPrefix: `${cluster.prefix}:socket.io:session:`,
    // Events are JSON (the protocol's schemas): no binary scan of each packet.
    onlyPlaintext: true,
    // Its reader wakes this often when idle; a closing server waits for it to let go of its connection.
    blockTimeInMs: 2_000,
  });
  // Socket.IO calls it with `new`: a function (not an arrow) that returns the adapter it made.
  const adapter = function (nsp: unknown) {
    return degradeToLocal(streams(nsp), cluster.watch);
  };
  return { options: { connectionStateRecovery, adapter }, close: () => redis.disconnect() };
}
