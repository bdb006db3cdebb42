import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { register } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { TOUCH_EVERY_MS } from './auth.service.ts';

describe('session last use', () => {
  const t = useTestServer();

  test('is written at most once a minute, and the idle logoff still comes within the idle time', async () => {
    const user = await register(t.request, 'client');
    const me = () => t.request('GET', '/api/v1/me', { token: user.token });
    const stored = async () => (await t.server.app.models.Session.findOne({ userId: user.id }).lean())!;
    const created = await stored();

    t.server.clock.advance(TOUCH_EVERY_MS - 1_000);
    for (let i = 0; i < 5; i++) assert.equal((await me()).status, 200);
    assert.deepEqual((await stored()).lastUsedAt, created.lastUsedAt, 'no write within the minute');

    t.server.clock.advance(1_000);
    assert.equal((await me()).status, 200);
    const touched = await stored();
    assert.equal(touched.lastUsedAt.getTime(), created.lastUsedAt.getTime() + TOUCH_EVERY_MS);
    assert.equal(touched.expiresAt.getTime(), touched.lastUsedAt.getTime() + 15 * 60_000);

    // Used again 59 s later (not written), then idle: the session ends 15 minutes after the last write at most.
    t.server.clock.advance(TOUCH_EVERY_MS - 1_000);
    assert.equal((await me()).status, 200);
    t.server.clock.advance(15 * 60_000 - TOUCH_EVERY_MS + 1_000);
    assert.equal((await me()).status, 401);
  });
});
