import { createHmac } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../http/api-error.ts';
import { tooManyRequests, type RateLimiter } from '../../http/rate-limit.ts';

export interface LoginThrottleLimits {
  /** Wrong passwords in a row an account may have before each further one makes it wait. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure… */
  firstDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleLimits = {
  freeFailures: 5,
  firstDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
};

/** Failures are counted from the first one for this long (a person who mistyped twice today starts clean tomorrow). */
const FAILURES_KEPT_MS = 24 * 3600_000;

/** How long an account waits after its `failures`-th wrong password in a row. */
export function waitAfter(failures: number, limits: LoginThrottleLimits): number {
  const past = failures - limits.freeFailures;
  if (past <= 0) return 0;
  return Math.min(limits.maxDelayMs, limits.firstDelayMs * 2 ** Math.min(past - 1, 40));
}

/**
 * Growing waits per account, whichever addresses the attempts come from, on top of the per-address limit. The key is a
 * keyed hash of the address as typed, so an unknown address waits exactly like a known one (nothing tells whether an
 * account exists) and no e-mail address is stored in the shared counters. While an account waits, even the right
 * password is refused, unchecked: guesses spread over 60 addresses cannot be followed by a lucky one at once.
 */
export function loginThrottle(limiter: RateLimiter, clock: Clock, secret: Buffer, limits: LoginThrottleLimits) {
  const account = (email: string) => createHmac('sha256', secret).update(email).digest('base64url').slice(0, 24);

  return {
    async guard<T>(email: string, signIn: () => Promise<T>): Promise<T> {
      const id = account(email);
      const lockKey = `login:wait:${id}`;
      const failuresKey = `login:failures:${id}`;
      const waitUntil = await limiter.recall(lockKey);
      const now = clock.now().getTime();
      if (waitUntil > now)
        throw tooManyRequests(Math.ceil((waitUntil - now) / 1000), 'Too many wrong passwords for this e-mail address.');
      try {
        const result = await signIn();
        await limiter.forget(lockKey, failuresKey);
        return result;
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unauthenticated') {
          const wait = waitAfter(await limiter.increment(failuresKey, FAILURES_KEPT_MS), limits);
          const until = clock.now().getTime() + wait;
          // Concurrent failures each set a wait; the longest stands (a shorter one may win a race by a moment, and the
          // next failure sets a longer one again).
          if (wait > 0 && until > (await limiter.recall(lockKey))) await limiter.remember(lockKey, until, wait);
        }
        throw err;
      }
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
