// Overload and a missing database are answered 503 with Retry-After, never 500; what was sent with an
// Idempotency-Key goes through once when retried.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { practiceWithStaff } from '../testing/fixtures.ts';
import { httpClient, type Reply } from '../testing/http.ts';
import { startTestServer, useTestServer } from '../testing/test-server.ts';

describe('503 with Retry-After', () => {
  describe('past the requests-in-progress cap', () => {
    const t = useTestServer({ maxInFlight: 3 });

    test('a burst gets 503 + Retry-After instead of queueing; retried, each send is stored once', async () => {
      const s = await practiceWithStaff(t.request);
      const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
        token: s.colleague.token,
        body: { clientId: s.client.id, body: 'burst' },
      });
      const id = started.body.thread.id;
      const send = (n: number) =>
        t.request('POST', `/api/v1/threads/${id}/messages`, {
          token: s.client.token,
          body: { body: `burst ${n}` },
          headers: { 'idempotency-key': `key-burst-${String(n).padStart(4, '0')}` },
        });
      const first = await Promise.all(Array.from({ length: 30 }, (_, n) => send(n)));
      const statuses = first.map((r) => r.status);
      assert.ok(
        statuses.every((code) => code === 201 || code === 503),
        `statuses ${statuses.join(',')}`,
      );
      const shed = first.filter((r) => r.status === 503);
      assert.ok(shed.length > 0, 'some were shed');
      for (const r of shed) {
        assert.equal(r.body.error.code, 'unavailable');
        assert.equal(r.headers.get('retry-after'), '1');
      }
      // Clients retry what was shed, with the same keys, a few at a time.
      const retried: Reply[] = [];
      for (const [n, r] of first.entries()) if (r.status === 503) retried.push(await send(n));
      assert.ok(retried.every((r) => r.status === 201 || r.status === 200));
      const read = await t.request('GET', `/api/v1/threads/${id}`, { token: s.client.token });
      const bodies = read.body.messages.map((m: { body: string }) => m.body);
      assert.equal(bodies.length, 31, 'the first message and 30 sends, each once');
      assert.equal(new Set(bodies).size, 31);
    });
  });

  describe('a request that waited too long for the database connection', () => {
    const t = useTestServer();

    test('is shed alone with 503 Retry-After: 1; the next request is served', async () => {
      const s = await practiceWithStaff(t.request);
      const Practice = t.server.app.models.Practice;
      const findById = Practice.findById.bind(Practice);
      // What the driver throws when the single connection stays busy past waitQueueTimeoutMS.
      Practice.findById = (() => {
        Practice.findById = findById;
        throw Object.assign(new Error('Timed out while checking out a connection'), {
          name: 'MongoWaitQueueTimeoutError',
        });
      }) as unknown as typeof Practice.findById;
      const shed = await t.request('GET', `/api/v1/practices/${s.practiceId}`);
      assert.equal(shed.status, 503);
      assert.equal(shed.headers.get('retry-after'), '1');
      assert.equal(t.server.app.outage.down, false, 'busy is not an outage');
      assert.equal((await t.request('GET', `/api/v1/practices/${s.practiceId}`)).status, 200);
    });
  });

  test('without its database the server answers 503 + Retry-After, also when authenticating', async () => {
    const server = await startTestServer();
    const request = httpClient(server.url);
    const s = await practiceWithStaff(request);
    await server.db.dropDatabase();
    // The database goes away under the running server.
    await server.db.getClient().close(true);
    try {
      for (const [method, path, token] of [
        ['GET', '/api/v1/me', s.admin.token],
        ['GET', `/api/v1/practices/${s.practiceId}`, undefined],
        ['POST', '/api/v1/auth/login', undefined],
      ] as const) {
        const res = await request(method, path, {
          ...(token ? { token } : {}),
          ...(method === 'POST' ? { body: { email: s.admin.email, password: 'a long enough password' } } : {}),
        });
        assert.equal(res.status, 503, `${method} ${path}: ${res.status}`);
        assert.equal(res.body.error.code, 'unavailable');
        assert.equal(res.headers.get('retry-after'), '5');
      }
      assert.equal((await request('GET', '/healthz')).status, 503);
    } finally {
      await server.app.close();
    }
  });
});
