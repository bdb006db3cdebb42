import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { connectDatabase } from '../../server/src/database.ts';
import { deleteKeys, REDIS_URL, testPrefix } from './redis.ts';

/**
 * What the server processes of one deployment share (startServerProcess): a new database on MONGODB_URI, a Redis
 * prefix of their own, one master key, one data folder. `remove()` deletes all of it afterwards. `redisUrl`: a Redis
 * the test owns (startOwnRedis) instead of the shared one.
 */
export function sharedDeployment(name: string, redisUrl = REDIS_URL) {
  const prefix = testPrefix();
  const uri = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/');
  uri.pathname = `/ct_test_${name}_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ct-${name}-`));
  return {
    env: {
      MONGODB_URI: uri.toString(),
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      CLOCKTREE_MASTER_KEY: randomBytes(32).toString('base64'),
      DATA_DIR: dataDir,
      // 'listening' is an info line: startServerProcess waits for it.
      LOG_LEVEL: 'info',
    },
    async remove(): Promise<void> {
      const redis = new Redis(redisUrl);
      await deleteKeys(redis, prefix);
      redis.disconnect();
      const db = await connectDatabase(uri.toString());
      await db.dropDatabase();
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
