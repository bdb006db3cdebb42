import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { freePort } from './free-port.ts';
import { Redis } from 'ioredis';
import { unmet } from './prerequisites.ts';

export const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** Why Redis cannot be used, in words, or undefined when it answers PING. */
export async function redisProblem(url = REDIS_URL): Promise<string | undefined> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 2000, retryStrategy: () => null });
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

/** A redis-server of the test's own, on a port of its own, kept in memory only; the test stops, hangs and restarts it. */
export interface OwnRedis {
  url: string;
  /** SIGSTOP: its connections stay open and commands wait, as with a hung or overloaded Redis. */
  hang(): void;
  /** SIGCONT after `hang`. */
  resume(): void;
  /** SIGKILL, waiting until it is gone: connections drop and new ones are refused. */
  kill(): Promise<void>;
  /** A new, empty redis-server on the same port (after `kill`), once it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';

/** Why an own redis-server cannot be started (`describe`'s skip; a failure under `npm test`), or false. */
export const needsRedisServer = () =>
  unmet([[fs.existsSync(REDIS_SERVER), `${REDIS_SERVER} is not installed (apt-get install redis-server)`]]);

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;
  let exited: Promise<void>;
  const start = async () => {
    child = spawn(REDIS_SERVER, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const end = Date.now() + 10_000;
    while (await redisProblem(url)) {
      if (Date.now() > end) throw new Error(`redis-server on port ${port} did not answer`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const kill = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    hang: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    kill,
    restart: start,
    stop: kill,
  };
}
