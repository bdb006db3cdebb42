import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthResult } from '@clocktree/protocol';
import { PASSWORD, register } from '../../testing/fixtures.ts';
import { online } from '../../testing/sockets.ts';
import { startTestServer, useTestServer } from '../../testing/test-server.ts';
import { httpClient } from '../../testing/http.ts';

const RESET_LINK = /\/(console|messages\/)#reset=([A-Za-z0-9_-]+)/;
const NEW_PASSWORD = 'another long enough password';

describe('forgot password', () => {
  const t = useTestServer();
  const mailsTo = (email: string) => t.server.mails.filter((m) => m.to === email);
  const ask = async (email: string) => {
    const res = await t.request('POST', '/api/v1/auth/password-reset', { body: { email } });
    await t.server.app.settled();
    return res;
  };
  const linkFor = (email: string) => RESET_LINK.exec(mailsTo(email).at(-1)?.text ?? '');

  test('a mailed single-use link sets a new password, signs in and ends every other session and socket', async () => {
    const person = await register(t.request, 'professional');
    const socket = await online(t.server.url, person.token);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const res = await ask(person.email);
    assert.equal(res.status, 202);
    assert.equal(res.body, undefined, 'an empty body, as the browser client expects');
    const link = linkFor(person.email);
    assert.ok(link, 'the mail links to the console with the token in the fragment');
    assert.equal(link[1], 'console');
    assert.equal(mailsTo(person.email).at(-1)!.text.includes(person.name), false, 'no name in the mail');
    const raw = JSON.stringify(await t.server.db.collection('link_tokens').find({}).toArray());
    assert.equal(raw.includes(link[2]!), false, 'only the token hash is stored');

    const confirmed = await t.request('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: link[2], password: NEW_PASSWORD },
    });
    assert.equal(confirmed.status, 200);
    const result = AuthResult.parse(confirmed.body);
    assert.equal(result.user.id, person.id);
    assert.equal((await t.request('GET', '/api/v1/me', { token: result.token })).status, 200);
    assert.equal((await t.request('GET', '/api/v1/me', { token: person.token })).status, 401, 'old session ended');
    assert.equal(await dropped, 'io server disconnect');
    const login = (password: string) =>
      t.request('POST', '/api/v1/auth/login', { body: { email: person.email, password } });
    assert.equal((await login(PASSWORD)).status, 401);
    assert.equal((await login(NEW_PASSWORD)).status, 200);
    const again = await t.request('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: link[2], password: 'yet another long password' },
    });
    assert.equal(again.status, 401, 'single use');
    assert.equal(again.body.error.code, 'unauthenticated');
  });

  test('an address without an account gets the same answer and no mail', async () => {
    const person = await register(t.request, 'client');
    const known = await ask(person.email);
    const mailsBefore = t.server.mails.length;
    const unknown = await ask('nobody.here@example.test');
    const shape = (r: typeof known) => ({ status: r.status, body: r.body, type: r.headers.get('content-type') });
    assert.deepEqual(shape(unknown), shape(known));
    assert.equal(t.server.mails.length, mailsBefore);
    assert.equal(linkFor(person.email)?.[1], 'messages/', 'a client lands on the client portal');
  });

  test('the link works for one hour, and a newer reset ends the older links', async () => {
    const person = await register(t.request, 'client');
    await ask(person.email);
    const first = linkFor(person.email)![2];
    await ask(person.email);
    const second = linkFor(person.email)![2];
    t.server.clock.advance(3600_000 + 1);
    const late = await t.request('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: second, password: NEW_PASSWORD },
    });
    assert.equal(late.status, 401);
    await ask(person.email);
    const third = linkFor(person.email)![2];
    const used = await t.request('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: third, password: NEW_PASSWORD },
    });
    assert.equal(used.status, 200);
    const older = await t.request('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: first, password: NEW_PASSWORD },
    });
    assert.equal(older.status, 401);
    assert.equal(await t.server.app.jobs.sweep().then(() => 'swept'), 'swept');
  });

  test('bad input is a 400, never a 500', async () => {
    for (const body of [{}, { email: 'not an address' }, { email: 'a@example.test', extra: 1 }]) {
      const res = await t.request('POST', '/api/v1/auth/password-reset', { body });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'validation_failed');
    }
    for (const body of [
      { token: 'short', password: NEW_PASSWORD },
      { token: 'x'.repeat(43), password: 'short' },
    ]) {
      const res = await t.request('POST', '/api/v1/auth/password-reset/confirm', { body });
      assert.equal(res.status, 400);
    }
  });
});

describe('forgot password limits', () => {
  test('requests are limited per address, known or not, and mails per account even under the address limit', async () => {
    const server = await startTestServer({
      limits: {
        auth: {
          registerPerIpPerHour: 100,
          loginPerIpPer10Min: 100,
          linkPerIpPer10Min: 100,
          resetPerIpPerHour: 100,
          resetPerAddressPerHour: 5,
          login: { freeFailures: 100, firstDelayMs: 1000, maxDelayMs: 1000 },
        },
      },
    });
    try {
      const request = httpClient(server.url);
      const person = await register(request, 'client');
      const statuses = async (email: string) => {
        const out: number[] = [];
        for (let i = 0; i < 6; i++)
          out.push((await request('POST', '/api/v1/auth/password-reset', { body: { email } })).status);
        return out;
      };
      const expected = [202, 202, 202, 202, 202, 429];
      assert.deepEqual(await statuses(person.email), expected);
      assert.deepEqual(await statuses('unknown.person@example.test'), expected);
      await server.app.settled();
      assert.equal(server.mails.filter((m) => m.to === person.email).length, 3, 'at most 3 mails an hour');
    } finally {
      await server.close();
    }
  });
});
