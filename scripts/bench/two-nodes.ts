// The growth table on two nodes of one deployment: two services on one database sharing one Redis (fan-out, leases,
// limits), requests alternating between them as a load balancer spreads them.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { createApp, type App } from '../../server/src/app.ts';
import { systemClock } from '../../server/src/clock.ts';
import { connectDatabase } from '../../server/src/database.ts';
import { redisStore } from '../../server/src/http/rate-limit.ts';
import { createLogger } from '../../server/src/logger.ts';
import { watchRedis } from '../../server/src/redis-watch.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { deleteKeys, redisProblem, REDIS_URL } from '../../tests/helpers/redis.ts';
import { growthTable, type GrowthRow } from './growth.ts';

/** The rows, or why they could not be measured. */
export async function twoNodeGrowth(uri: string, sizes: number[], rounds: number): Promise<GrowthRow[] | string> {
  const problem = await redisProblem();
  if (problem) return `no Redis at ${REDIS_URL}: ${problem}`;
  const prefix = `ct-bench-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { enableOfflineQueue: false, lazyConnect: true });
  await redis.connect();
  const watch = watchRedis(redis, createLogger('silent'));
  const dbName = `ct_bench_${randomBytes(4).toString('hex')}`;
  const masterKey = randomBytes(32);
  const nodes: { db: Connection; app: App; request: Request }[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const db = await connectDatabase(uri, { dbName });
      const app = await createApp({
        db,
        clock: systemClock(),
        logger: createLogger('silent'),
        mailer: { send: async () => {}, close: () => {} },
        masterKey,
        runJobs: false,
        limitStore: redisStore(redis, `${prefix}:`),
        cluster: { redis, prefix, watch },
      });
      nodes.push({ db, app, request: httpClient(await app.listen(0)) });
    }
    let turn = 0;
    const alternating: Request = (...args) => nodes[turn++ % nodes.length]!.request(...args);
    return await growthTable(nodes[0]!.app, alternating, sizes, rounds);
  } finally {
    for (const { app } of nodes) await app.close();
    await nodes[0]?.db.dropDatabase();
    for (const { db } of nodes) await db.close();
    watch.stop();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}
