import { Redis } from 'ioredis';
import { safeError, type Logger } from './logger.ts';

/** How often Redis is asked whether it answers, and how long an answer may take before it counts as away. */
const PROBE_EVERY_MS = 1_000;
const ANSWER_WITHIN_MS = 1_500;
const FIRST_PROBE_LATEST_MS = 6_000;

/**
 * Whether this node's Redis answers. Limits, job leases and the Socket.IO fan-out ask it before each use, so that
 * while Redis is away (dropped, or hung: its TCP connection stays open and commands simply wait) they go local at
 * once instead of each waiting for a command to time out. The log says it once each way, never per request.
 */
export interface RedisWatch {
  readonly down: boolean;
  /** Hears each change (true: Redis went away; false: it answers again). */
  onChange(listener: (down: boolean) => void): void;
  stop(): void;
}

/** `promise`, or a rejection once `ms` passed without it settling. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function watchRedis(redis: Redis, logger: Logger, { everyMs = PROBE_EVERY_MS } = {}): RedisWatch {
  let down = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners: ((down: boolean) => void)[] = [];

  const turn = (now: boolean, err?: unknown) => {
    if (now === down || stopped) return;
    down = now;
    if (down)
      logger.warn(
        { err: safeError(err) },
        'redis unreachable: limits counted per node, leased jobs skip their ticks, pushes stay on this node',
      );
    else logger.warn('redis answers again: shared limits, jobs and cross-node pushes resume');
    for (const listener of listeners) listener(down);
  };
  const probe = () => {
    timer = undefined;
    within(redis.ping(), ANSWER_WITHIN_MS)
      .then(
        () => turn(false),
        (err: unknown) => turn(true, err),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(probe, everyMs).unref();
      })
      .catch(() => undefined);
  };
  // A client that has not connected yet answers nothing: probing starts once it is ready, or once it had as long
  // as a connection may take (then a Redis that is unreachable from the start is reported too).
  let started = false;
  const start = () => {
    if (started || stopped) return;
    started = true;
    clearTimeout(timer);
    probe();
  };
  if (redis.status === 'ready') start();
  else {
    redis.once('ready', start);
    timer = setTimeout(start, FIRST_PROBE_LATEST_MS).unref();
  }

  return {
    get down() {
      return down;
    },
    onChange: (listener) => void listeners.push(listener),
    stop() {
      stopped = true;
      clearTimeout(timer);
      redis.off('ready', start);
    },
  };
}

/** Everything that several nodes share through one Redis. */
export interface Cluster {
  /** The node's Redis client (leases, limits); the adapter opens its own connections beside it. */
  redis: Redis;
  /** Every key, stream and channel of this deployment starts with it (default "clocktree"; tests use their own). */
  prefix: string;
  watch: RedisWatch;
}

/**
 * The node's Redis client and its watch. Commands fail at once while the connection is down (no offline queue) and
 * after `commandTimeout` while Redis hangs, so no request waits on Redis for longer than that; ioredis reconnects by
 * itself, for as long as it takes.
 *
 * A command still unanswered when the connection drops is not sent again on the next one (ioredis would by default):
 * its caller was told it failed (`commandTimeout`) and went on without it. Carried out later anyway, a job's claim
 * would hold that job on the new connection's Redis (one restarted empty) for a whole lease with a token nobody
 * releases, so no node ran it meanwhile; a rate-limit hit would be counted twice.
 */
export function joinCluster(url: string, prefix: string, logger: Logger): Cluster & { close(): void } {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: 2_000,
    connectTimeout: 5_000,
  });
  // Every reconnect attempt emits an error: the watch says it once instead.
  redis.on('error', (err: Error) => logger.debug({ err: safeError(err) }, 'redis connection error'));
  const watch = watchRedis(redis, logger);
  return {
    redis,
    prefix,
    watch,
    close() {
      watch.stop();
      redis.disconnect();
    },
  };
}
