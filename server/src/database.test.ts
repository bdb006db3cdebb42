import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mongoose, { type Connection } from 'mongoose';
import { createApp } from './app.ts';
import { ManualClock } from './clock.ts';
import { connectDatabase, isFerretDB, UnsafeDatabaseError } from './database.ts';
import { createLogger } from './logger.ts';

describe('the server’s database connection', () => {
  const uri = process.env.MONGODB_URI!;
  const dbName = `ct_conn_${randomBytes(4).toString('hex')}`;
  let db: Connection;
  let ferret = false;
  before(async () => {
    db = await connectDatabase(uri, { dbName });
    ferret = await isFerretDB(db);
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  const build = (conn: Connection) =>
    createApp({
      db: conn,
      clock: new ManualClock(new Date('2026-03-02T09:00:00Z')),
      logger: createLogger('silent'),
      mailer: { send: async () => {}, close: () => {} },
      masterKey: randomBytes(32),
      runJobs: false,
    });

  test('on FerretDB it is a single connection; on MongoDB the driver’s pool', () => {
    const pool = db.getClient().options.maxPoolSize;
    if (ferret) assert.equal(pool, 1);
    else assert.ok(pool > 1, `a pool on MongoDB, got ${pool}`);
  });

  test('over a connection pool the server refuses to start on FerretDB, and starts on MongoDB', async () => {
    const pooled = await mongoose.createConnection(uri, { dbName, maxPoolSize: 5 }).asPromise();
    try {
      if (ferret)
        await assert.rejects(build(pooled), (err: Error) => {
          assert.ok(err instanceof UnsafeDatabaseError);
          assert.match(err.message, /single connection \(maxPoolSize 1\), this one allows 5/);
          return true;
        });
      // MongoDB's updates are atomic across connections: the pool is what it should use.
      else await (await build(pooled)).close();
    } finally {
      await pooled.close();
    }
  });

  test('it starts over the connection connectDatabase opened', async () => {
    const app = await build(db);
    await app.close();
  });
});
