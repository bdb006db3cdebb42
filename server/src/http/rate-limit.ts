import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { ApiError } from './api-error.ts';

/** What RateLimiter asks of its store: a rate-limiter-flexible limiter's counting, setting, reading and deleting. */
export type Store = Pick<RateLimiterAbstract, 'penalty' | 'set' | 'get' | 'delete'>;

/** Makes one store; which kind backs it is decided once, at start. */
export type LimitStore = (options: { keyPrefix: string; points: number; duration: number }) => Store;

/** Counters in this process: enough for one node (the embedded default). */
export const memoryStore = (): LimitStore => (options) => new RateLimiterMemory(options);

/**
 * Counters in Redis, shared by every node (REDIS_URL). While Redis is unreachable (`down`: the watch's probe, so a
 * hung Redis is not waited for on each request; a command that fails meanwhile falls back too), each node counts in
 * its own memory instead of refusing everyone or letting everyone through, and returns to Redis once it is back.
 */
export const redisStore =
  (client: Redis, prefix = 'ct:', down: () => boolean = () => false): LimitStore =>
  (options) => {
    const local = new RateLimiterMemory(options);
    const shared = new RateLimiterRedis({
      ...options,
      keyPrefix: `${prefix}${options.keyPrefix}`,
      storeClient: client,
      rejectIfRedisNotReady: true,
      insuranceLimiter: local,
    });
    const pick = () => (down() ? local : shared);
    return {
      penalty: (...args) => pick().penalty(...args),
      set: (...args) => pick().set(...args),
      get: (...args) => pick().get(...args),
      delete: (...args) => pick().delete(...args),
    };
  };

export interface Count {
  allowed: boolean;
  /** Seconds until the window in which the hit was counted ends. */
  retryAfterSeconds: number;
}

/** "45 seconds", "3 minutes": what a person reads; Retry-After carries the exact seconds. */
export function inWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** 429 saying when to come back, in the header and in words (widgets show the message as it is). */
export const tooManyRequests = (retryAfterSeconds: number, why = 'Too many requests.') => {
  const seconds = Math.max(1, retryAfterSeconds);
  return new ApiError('rate_limited', `${why} Try again in ${inWords(seconds * 1000)}.`, undefined, {
    'Retry-After': String(seconds),
  });
};

/** Seconds for the store's expiry; a key may outlive its use by under a second, never the reverse. */
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Fixed-window counters, single-use marks and short-lived numbers, kept by rate-limiter-flexible in memory or Redis.
 * Windows are cut by the injected Clock (the window's number is part of the key), so tests move time by hand and all
 * nodes agree on windows; the store's own expiry (real time) only clears keys once they can no longer matter. Limits
 * are compared here rather than by the library, so one limiter serves every limit whatever its size.
 */
export class RateLimiter {
  readonly #store: Store;
  constructor(
    private readonly clock: Clock,
    store: LimitStore = memoryStore(),
  ) {
    this.#store = store({ keyPrefix: 'limits', points: Number.MAX_SAFE_INTEGER, duration: 60 });
  }

  /** Adds one to `key` (atomically, on every node), kept `ttlMs` from its first increment; resolves to the new value. */
  async increment(key: string, ttlMs: number): Promise<number> {
    return (await this.#store.penalty(key, 1, { customDuration: seconds(ttlMs) })).consumedPoints;
  }

  /** Counts one hit on `key` and tells whether it was among the first `max` of the current window. */
  async count(key: string, max: number, windowMs: number): Promise<Count> {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / windowMs);
    const hits = await this.increment(`${key}:${window}`, windowMs);
    return { allowed: hits <= max, retryAfterSeconds: Math.ceil(((window + 1) * windowMs - now) / 1000) };
  }

  /** Counts one hit on `key`; throws 429 with Retry-After once `max` hits fell in the current window. */
  async hit(key: string, max: number, windowMs: number): Promise<void> {
    const { allowed, retryAfterSeconds } = await this.count(key, max, windowMs);
    if (!allowed) throw tooManyRequests(retryAfterSeconds);
  }

  /** True for the first claim of `key` within `ttlMs` on any node, false for every later one. */
  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.increment(`once:${key}`, ttlMs)) === 1;
  }

  /** A number kept for `ttlMs`, e.g. a moment on the injected clock; `recall` answers 0 once it expired. */
  async remember(key: string, value: number, ttlMs: number): Promise<void> {
    await this.#store.set(key, value, seconds(ttlMs));
  }

  async recall(key: string): Promise<number> {
    return (await this.#store.get(key))?.consumedPoints ?? 0;
  }

  async forget(...keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.#store.delete(key)));
  }
}
