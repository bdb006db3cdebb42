import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import mongoose from 'mongoose';
import { PASSWORD, register } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

describe('accounts and sessions', () => {
  const t = useTestServer();

  test('register returns the user and a working token; the password is stored only as a scrypt hash', async () => {
    const res = await t.request('POST', '/api/v1/auth/register', {
      body: { email: '  Alex@Example.TEST ', password: PASSWORD, name: 'Alex', kind: 'professional' },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.user.email, 'alex@example.test');
    assert.equal(res.body.idleTimeoutSeconds, 900);
    const me = await t.request('GET', '/api/v1/me', { token: res.body.token });
    assert.deepEqual(me.body, { user: res.body.user, memberships: [], clientOf: [] });
    // Found by its id: the address itself is not stored in the clear (see the encryption-at-rest tests).
    const raw = await t.server.db.collection('users').findOne({ _id: new mongoose.Types.ObjectId(res.body.user.id) });
    assert.match(String(raw?.passwordHash), /^scrypt\$/);
    assert.equal(JSON.stringify(raw).includes(PASSWORD), false);
    const session = await t.server.db.collection('sessions').findOne({});
    assert.equal(JSON.stringify(session).includes(res.body.token), false, 'only the token hash is stored');
  });

  test('the same e-mail cannot register twice, whatever its case', async () => {
    const a = await register(t.request, 'client');
    const res = await t.request('POST', '/api/v1/auth/register', {
      body: { email: a.email.toUpperCase(), password: PASSWORD, name: 'Again', kind: 'client' },
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
  });

  test('login succeeds with the right password and fails alike for a wrong one or an unknown e-mail', async () => {
    const a = await register(t.request, 'professional');
    const ok = await t.request('POST', '/api/v1/auth/login', { body: { email: a.email, password: PASSWORD } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user.id, a.id);
    const wrong = await t.request('POST', '/api/v1/auth/login', {
      body: { email: a.email, password: 'not the password' },
    });
    const unknown = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'nobody@example.test', password: 'x' },
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(unknown.body, wrong.body, 'no hint whether the account exists');
  });

  test('logout revokes the token on the server', async () => {
    const a = await register(t.request, 'client');
    assert.equal((await t.request('POST', '/api/v1/auth/logout', { token: a.token })).status, 204);
    const after = await t.request('GET', '/api/v1/me', { token: a.token });
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'unauthenticated');
  });

  test('a token expires after 15 minutes without use, and each use restarts the 15 minutes', async () => {
    const a = await register(t.request, 'client');
    t.server.clock.advance(14 * 60_000);
    assert.equal((await t.request('GET', '/api/v1/me', { token: a.token })).status, 200);
    t.server.clock.advance(14 * 60_000);
    assert.equal((await t.request('GET', '/api/v1/me', { token: a.token })).status, 200, 'use slid the deadline');
    t.server.clock.advance(15 * 60_000 + 1);
    assert.equal((await t.request('GET', '/api/v1/me', { token: a.token })).status, 401);
  });

  test('a missing, malformed or made-up token is refused', async () => {
    assert.equal((await t.request('GET', '/api/v1/me')).status, 401);
    assert.equal((await t.request('GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } })).status, 401);
    assert.equal((await t.request('GET', '/api/v1/me', { token: 'A'.repeat(43) })).status, 401);
  });
});
