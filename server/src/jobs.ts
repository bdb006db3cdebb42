import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { safeError, type Logger } from './logger.ts';
import { within, type RedisWatch } from './redis-watch.ts';

type Job = () => Promise<unknown>;

/** A job and how often it runs: together, so a job cannot be listed without its interval. */
export interface ScheduledJob {
  every: number;
  run: Job;
  /** Work on this node's own state (its sockets): every node runs it, without a lease. */
  everyNode?: boolean;
}

/** Each job's run alone, as tests and the demo call them by hand. */
export const runners = <T extends Record<string, ScheduledJob>>(jobs: T) =>
  Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.run])) as { [K in keyof T]: T[K]['run'] };

/**
 * Who runs a job's tick when several nodes schedule it. Ticks are cut from real time (`floor(now / every)`), the same
 * on every node; each node asks for every tick, and one gets it.
 */
export interface JobLease {
  /** Resolves to the release of the run's lease, or null when another node has this tick or still runs the job. */
  claim(name: string, tick: number, every: number): Promise<(() => Promise<void>) | null>;
}

/** How long a run holds its job unless renewed; a node that dies holding it frees it after this. */
const LEASE_MS = 30_000;

// A tick is taken at most once (its mark lives two ticks), and never while another node's run of the job goes on.
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
// Only the holder renews or releases: a run that outlived its lease must not end another node's.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** How long a lease command may take: a hung Redis must not hold a job's timer (it would never run again). */
const LEASE_ANSWER_MS = 3_000;

/**
 * Leases in Redis (SET NX PX with a token per run, renewed while it runs, released only by its holder). Redis rather
 * than a lease document: several nodes need Redis anyway (the Socket.IO adapter), keys expire by themselves, and on
 * FerretDB a guarded findOneAndUpdate is not atomic across connections, while a lease insert per tick would add a
 * database write every few seconds per job and a sweep for the old ones (no TTL indexes there). One node needs none.
 *
 * While Redis is away (`watch`), or when a claim fails or does not answer, the tick is skipped on this node: no
 * node can know who runs it, and running it anyway could run it twice. The watch logs the outage once; a skipped
 * tick is not logged.
 */
export function redisLease(redis: Redis, prefix: string, watch?: Pick<RedisWatch, 'down'>): JobLease {
  const command = (script: string, keys: number, ...args: (string | number)[]) =>
    within(redis.eval(script, keys, ...args), LEASE_ANSWER_MS);
  // Releases that did not get through (the connection was down, or dropped before the answer) are sent again on the
  // next connection: the client does not send a lost command again by itself (`joinCluster`), and a Redis that stayed
  // up would otherwise keep the job held by nobody until the lease ends. Only the holder's token releases, so a late
  // release ends nothing else; one older than a lease has nothing left to end.
  let connections = 0;
  const unreleased = new Map<string, { running: string; until: number }>();
  const release = (running: string, token: string, until = Date.now() + LEASE_MS): Promise<void> => {
    if (until <= Date.now()) return Promise.resolve();
    const sentOn = connections;
    return command(RELEASE, 1, running, token).then(
      () => undefined,
      () => {
        // Lost with a connection that has been replaced meanwhile (it fails only at its timeout): send it now.
        if (connections !== sentOn && redis.status === 'ready') return release(running, token, until);
        for (const [old, held] of unreleased) if (held.until <= Date.now()) unreleased.delete(old);
        unreleased.set(token, { running, until });
      },
    );
  };
  redis.on('ready', () => {
    connections++;
    for (const [token, { running, until }] of unreleased) {
      unreleased.delete(token);
      void release(running, token, until);
    }
  });
  return {
    async claim(name, tick, every) {
      if (watch?.down) return null;
      const running = `${prefix}:job:${name}:running`;
      const token = randomUUID();
      const won = await command(
        CLAIM,
        2,
        running,
        `${prefix}:job:${name}:tick:${tick}`,
        token,
        LEASE_MS,
        2 * every,
      ).catch(() => {
        // A hung Redis carries out the claim once it resumes, and this release right after it (one connection keeps
        // their order): otherwise the job would stay held by nobody for a whole lease.
        void release(running, token);
        return 0;
      });
      if (won !== 1) return null;
      const renewal = setInterval(
        () => void command(RENEW, 1, running, token, LEASE_MS).catch(() => undefined),
        LEASE_MS / 3,
      );
      renewal.unref();
      return async () => {
        clearInterval(renewal);
        await release(running, token);
      };
    },
  };
}

export interface JobOptions {
  /** With several nodes: who runs each tick (`redisLease`). Without, this node runs every tick. */
  lease?: JobLease;
  /** Delay of the first run after start (1 s). */
  firstRunMs?: number;
  /** Real time, which cuts the ticks (tests may shift it). */
  now?: () => number;
}

/**
 * Runs each job on its own timer, never overlapping itself, and with a lease once per tick across nodes (jobs claim
 * their work with single-document updates too, but on FerretDB those are not atomic across connections, so running
 * each tick on one node is what keeps a reminder from going out twice). That is what replaces TTL indexes and a job
 * queue here. Stopping waits for the runs in progress, so a graceful stop never cuts a relay between a mail and its
 * record.
 */
export function startJobs(
  jobs: Record<string, ScheduledJob>,
  logger: Logger,
  { lease, firstRunMs = 1_000, now = Date.now }: JobOptions = {},
): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const timers = Object.entries(jobs).flatMap(([name, { every, run: job, everyNode }]) => {
    let busy = false;
    const leased = async () => {
      const release = lease && !everyNode ? await lease.claim(name, Math.floor(now() / every), every) : undefined;
      if (release === null || stopped) return release?.();
      try {
        await job();
      } finally {
        await release?.();
      }
    };
    const run = () => {
      if (busy || stopped) return;
      busy = true;
      const done = leased()
        .catch((err: unknown) => logger.warn({ err: safeError(err), job: name }, 'scheduled job failed'))
        .finally(() => {
          busy = false;
          running.delete(done);
        });
      running.add(done);
    };
    // Once right after start too: work that came due while no server ran (a restart, a deploy) goes out at once.
    const first = setTimeout(run, firstRunMs);
    const timer = setInterval(run, every);
    first.unref();
    timer.unref();
    return [first, timer];
  });
  return async () => {
    stopped = true;
    timers.forEach((t) => clearTimeout(t));
    await Promise.all(running);
  };
}
