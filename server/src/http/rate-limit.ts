import type { Clock } from '../clock.ts';
import { ApiError } from './api-error.ts';

/**
 * Fixed-window counters in memory: enough for one node. Several nodes will share counters through Redis
 * (REDIS_URL) once that adapter exists; until then each node limits on its own.
 */
export class RateLimiter {
  #windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly clock: Clock) {}

  /** Counts one hit on `key`; throws 429 with Retry-After once `max` hits fell in the current window. */
  hit(key: string, max: number, windowMs: number): void {
    const now = this.clock.now().getTime();
    let w = this.#windows.get(key);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
      if (this.#windows.size > 50_000) this.#prune(now, windowMs);
    }
    if (++w.count > max) {
      const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
      throw new ApiError('rate_limited', 'Too many requests; try again later.', undefined, {
        'Retry-After': String(retryAfter),
      });
    }
  }

  #prune(now: number, windowMs: number) {
    for (const [k, w] of this.#windows) if (now - w.start >= windowMs) this.#windows.delete(k);
  }
}
