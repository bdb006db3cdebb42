import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { ManualClock } from '../clock.ts';
import { ApiError } from './api-error.ts';
import { inWords, RateLimiter, redisStore } from './rate-limit.ts';

const start = new Date('2026-03-02T09:00:00Z');

describe('rate limiter (rate-limiter-flexible, windows on the injected clock)', () => {
  test('lets `max` hits through in a window, refuses the next with 429 and Retry-After, and starts over in the next', async () => {
    const clock = new ManualClock(start);
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 3; i++) await limiter.hit('k', 3, 600_000);
    clock.advance(60_000);
    const refused = await limiter.hit('k', 3, 600_000).catch((e: unknown) => e);
    assert.ok(refused instanceof ApiError);
    assert.equal(refused.status, 429);
    assert.equal(refused.code, 'rate_limited');
    assert.deepEqual(refused.headers, { 'Retry-After': '540' });
    assert.equal(refused.message, 'Too many requests. Try again in 9 minutes.');
    assert.deepEqual(await limiter.count('other', 3, 600_000), { allowed: true, retryAfterSeconds: 540 });
    clock.advance(540_000);
    await limiter.hit('k', 3, 600_000);
  });

  test('counts concurrent hits exactly', async () => {
    const limiter = new RateLimiter(new ManualClock(start));
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.count('k', 20, 60_000)));
    assert.equal(results.filter((r) => r.allowed).length, 20);
  });

  test('a single-use mark is claimed once; numbers are remembered, recalled and forgotten', async () => {
    const limiter = new RateLimiter(new ManualClock(start));
    const claims = await Promise.all(Array.from({ length: 10 }, () => limiter.claimOnce('c', 60_000)));
    assert.deepEqual(
      claims.filter((c) => c),
      [true],
    );
    assert.equal(await limiter.recall('v'), 0);
    await limiter.remember('v', 1_772_442_000_000, 60_000);
    assert.equal(await limiter.recall('v'), 1_772_442_000_000);
    await limiter.forget('v');
    assert.equal(await limiter.recall('v'), 0);
  });

  test('with Redis unreachable, each node still limits, in its own memory', async () => {
    // A port that was free a moment ago: nothing answers there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const redis = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, lazyConnect: true });
    redis.on('error', () => {});
    try {
      const limiter = new RateLimiter(new ManualClock(start), redisStore(redis, 'ct-unreachable:'));
      for (let i = 0; i < 2; i++) await limiter.hit('k', 2, 60_000);
      await assert.rejects(limiter.hit('k', 2, 60_000), { code: 'rate_limited' });
    } finally {
      redis.disconnect();
    }
  });

  test('says the wait in seconds, then in whole minutes rounded up', () => {
    assert.equal(inWords(1), '1 second');
    assert.equal(inWords(1000), '1 second');
    assert.equal(inWords(1001), '2 seconds');
    assert.equal(inWords(119_000), '119 seconds');
    assert.equal(inWords(120_000), '2 minutes');
    assert.equal(inWords(899_500), '15 minutes');
  });
});
