import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { unmet } from './prerequisites.ts';

export const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** Why Redis cannot be used, in words, or undefined when it answers PING. */
export async function redisProblem(): Promise<string | undefined> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, retryStrategy: () => null });
  let cause: Error | undefined;
  probe.on('error', (err: Error) => (cause ??= err));
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG' ? undefined : 'it did not answer PING with PONG';
  } catch (err) {
    // The socket's own error (ECONNREFUSED, ETIMEDOUT…) says more than ioredis's "Connection is closed".
    return (cause ?? (err as Error)).message;
  } finally {
    probe.disconnect();
  }
}

/** `describe`'s skip (or, under `npm test`, a failure) when there is no Redis to test against. */
export async function needsRedis(): Promise<string | false> {
  const problem = await redisProblem();
  return unmet([
    [
      !problem,
      `no Redis at ${REDIS_URL} (${problem}): these tests need one (machines of this kind run redis-server on ` +
        '127.0.0.1:6379; REDIS_TEST_URL points elsewhere)',
    ],
  ]);
}

/** A key prefix of this test run alone, so runs and other users of this Redis never meet. */
export const testPrefix = () => `ct-test-${randomBytes(6).toString('hex')}`;

/** Deletes every key under `prefix` (SCAN, so a shared Redis is not blocked). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
