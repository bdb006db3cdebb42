import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { DEFAULT_LIMITS } from '../../server/src/app.ts';
import { redisStore } from '../../server/src/http/rate-limit.ts';
import { PASSWORD, practiceWithStaff, register } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { EASY_CHALLENGE, solve } from '../../server/src/testing/proof-of-work.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { needsRedis, REDIS_URL } from '../helpers/redis.ts';

describe(
  'limits hold across two server nodes sharing Redis',
  {
    skip: await needsRedis(),
  },
  () => {
    // Each run counts under its own prefix, removed afterwards, so runs and other users of this Redis never meet.
    const prefix = `ct-test-${randomBytes(6).toString('hex')}:`;
    let redis: Redis;
    let nodes: TestServer[] = [];
    let requests: Request[] = [];

    before(async () => {
      redis = new Redis(REDIS_URL, { enableOfflineQueue: false, lazyConnect: true });
      await redis.connect();
      const options = {
        masterKey: randomBytes(32),
        trustProxy: true,
        limitStore: redisStore(redis, prefix),
        limits: {
          auth: { ...DEFAULT_LIMITS.auth, loginPerIpPer10Min: 4 },
          contactUs: { perIpPer10Min: 3, perPracticePerHour: 4 },
          challenge: EASY_CHALLENGE,
        },
      };
      const first = await startTestServer(options);
      // The same database and master key: two nodes of one deployment.
      const second = await startTestServer({ ...options, dbName: first.db.name });
      nodes = [first, second];
      requests = nodes.map((node) => httpClient(node.url));
    });

    after(async () => {
      await nodes[1]?.close(true);
      await nodes[0]?.close();
      if (redis) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }
    });

    /** Requests alternate between the two nodes, as a load balancer would spread them. */
    const node = (i: number) => requests[i % 2]!;

    test('the per-address Contact Us limit counts what both nodes received', async () => {
      const { practiceId } = await practiceWithStaff(node(0));
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await node(i)('POST', `/api/v1/practices/${practiceId}/contact-us`, {
          body: { name: 'Robin', email: 'robin@example.test', body: `message ${i}` },
          headers: { 'x-forwarded-for': '198.51.100.1' },
        });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [201, 201, 201, 429]);
    });

    test("a practice's flood cap is shared, and a challenge spent on one node is refused on the other", async () => {
      const { practiceId } = await practiceWithStaff(node(0));
      const path = `/api/v1/practices/${practiceId}/contact-us`;
      const send = (i: number, extra: object = {}) =>
        node(i)('POST', path, {
          body: { name: 'Robin', email: 'robin@example.test', body: `message ${i}`, ...extra },
          headers: { 'x-forwarded-for': `198.51.100.${10 + i}` },
        });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await send(i)).status);
      assert.deepEqual(statuses, [201, 201, 201, 201, 428]);
      const asked = await send(5);
      const altcha = await solve(asked.body.error.challenge);
      assert.equal((await send(6, { altcha })).status, 201, 'node 0 accepts the solution');
      const replay = await send(7, { altcha });
      assert.equal(replay.status, 428, 'node 1 refuses it as used');
      assert.match(replay.body.error.message, /already used/);
    });

    test('an account that must wait after wrong passwords on one node waits on the other too', async () => {
      const account = await register(node(0), 'client');
      for (let i = 0; i < 6; i++) {
        const res = await node(i)('POST', '/api/v1/auth/login', {
          body: { email: account.email, password: `guess ${i}` },
          headers: { 'x-forwarded-for': `198.51.100.${100 + i}` },
        });
        assert.equal(res.status, 401);
      }
      for (const i of [0, 1]) {
        const res = await node(i)('POST', '/api/v1/auth/login', {
          body: { email: account.email, password: PASSWORD },
          headers: { 'x-forwarded-for': '198.51.100.200' },
        });
        assert.equal(res.status, 429, `node ${i}`);
        assert.equal(res.headers.get('retry-after'), '1');
      }
      const stored = await redis.keys(`${prefix}*`);
      assert.ok(stored.length > 0, 'the counters live in Redis');
      assert.equal(
        stored.some((key) => key.includes(account.email)),
        false,
        'no e-mail address in the keys',
      );
    });
  },
);
