import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { practiceOnSite, practiceWithStaff } from '../testing/fixtures.ts';
import { useTestServer } from '../testing/test-server.ts';

const PRACTICE_SITE = 'https://harbor-therapy.example';
const STRANGER = 'https://evil.example';

describe('CORS', () => {
  const t = useTestServer();
  let staff: Awaited<ReturnType<typeof practiceWithStaff>>;
  before(async () => {
    staff = await practiceOnSite(t.request, PRACTICE_SITE);
  });

  test('public endpoints answer any origin, without credentials', async () => {
    for (const origin of [PRACTICE_SITE, STRANGER]) {
      const profile = await t.request('GET', `/api/v1/practices/${staff.practiceId}`, { headers: { origin } });
      assert.equal(profile.status, 200);
      assert.equal(profile.headers.get('access-control-allow-origin'), '*');
      assert.equal(profile.headers.get('access-control-allow-credentials'), null);
      const preflight = await t.request('OPTIONS', `/api/v1/practices/${staff.practiceId}/contact-us`, {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    }
  });

  test('private endpoints answer the practice’s allowed origins and our own, and refuse any other', async () => {
    const path = `/api/v1/practices/${staff.practiceId}/clients`;
    const ok = await t.request('GET', path, { token: staff.colleague.token, headers: { origin: PRACTICE_SITE } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), PRACTICE_SITE);
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    const own = await t.request('GET', path, { token: staff.colleague.token, headers: { origin: t.server.url } });
    assert.equal(own.status, 200);
    const refused = await t.request('GET', path, { token: staff.colleague.token, headers: { origin: STRANGER } });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    const preflight = await t.request('OPTIONS', path, {
      headers: { origin: STRANGER, 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.status, 403);
  });

  test('a request refused for its origin does not run', async () => {
    const res = await t.request('POST', `/api/v1/practices/${staff.practiceId}/clients`, {
      token: staff.admin.token,
      headers: { origin: STRANGER },
      body: { email: 'should.not.exist@example.test', name: 'Ghost' },
    });
    assert.equal(res.status, 403);
    assert.equal(await t.server.db.collection('users').countDocuments({ email: 'should.not.exist@example.test' }), 0);
  });

  test('account endpoints from a practice site work only for people linked to a practice allowing that site', async () => {
    const member = await t.request('GET', '/api/v1/me', {
      token: staff.client.token,
      headers: { origin: PRACTICE_SITE },
    });
    assert.equal(member.status, 200);
    const other = await practiceWithStaff(t.request);
    const stranger = await t.request('GET', '/api/v1/me', {
      token: other.client.token,
      headers: { origin: PRACTICE_SITE },
    });
    assert.equal(stranger.status, 403);
  });

  test('the SDK loads cross-origin as a module script', async () => {
    const res = await t.request('GET', '/sdk/v1/ct.js', { headers: { origin: STRANGER } });
    if (res.status === 404) return; // built by `npm test` before this suite; absent only when run alone
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
  });
});
