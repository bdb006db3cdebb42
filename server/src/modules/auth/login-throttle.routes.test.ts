import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS } from '../../app.ts';
import { PASSWORD, register } from '../../testing/fixtures.ts';
import type { Reply } from '../../testing/http.ts';
import { useTestServer } from '../../testing/test-server.ts';

const from = (address: string) => ({ 'x-forwarded-for': address });

describe('sign-in throttle per account (default limits)', () => {
  const t = useTestServer({ trustProxy: true, limits: { auth: DEFAULT_LIMITS.auth } });
  const login = (email: string, password: string, address: string) =>
    t.request('POST', '/api/v1/auth/login', { body: { email, password }, headers: from(address) });

  /** 60 wrong passwords at once, each from its own address: far under every per-address limit. */
  const guessFrom60Addresses = (email: string, net: string) =>
    Promise.all(Array.from({ length: 60 }, (_, i) => login(email, `wrong guess ${i}`, `${net}.${i}`)));

  const waitOf = (res: Reply) => Number(res.headers.get('retry-after'));

  test('the right password after 60 wrong ones from 60 addresses is not let in at once; the answer says when', async () => {
    const account = await register(t.request, 'client');
    const guesses = await guessFrom60Addresses(account.email, '198.51.100');
    assert.ok(
      guesses.every((r) => r.status === 401 || r.status === 429),
      'each guess is refused',
    );
    const right = await login(account.email, PASSWORD, '203.0.113.1');
    assert.equal(right.status, 429);
    assert.equal(right.body.error.code, 'rate_limited');
    assert.equal(right.body.token, undefined);
    assert.equal(waitOf(right), 900, '15 minutes, the longest wait');
    assert.match(right.body.error.message, /Try again in 15 minutes\./);

    t.server.clock.advance(899_000);
    const early = await login(account.email, PASSWORD, '203.0.113.2');
    assert.equal(early.status, 429);
    assert.equal(waitOf(early), 1);
    t.server.clock.advance(1000);
    const later = await login(account.email, PASSWORD, '203.0.113.3');
    assert.equal(later.status, 200);
    assert.equal(later.body.user.id, account.id);
    // Signing in clears the account's record: the next mistake is an ordinary one.
    assert.equal((await login(account.email, 'mistyped once', '203.0.113.4')).status, 401);
  });

  test('an address without an account is throttled exactly alike, so the answers tell nothing', async () => {
    const known = await register(t.request, 'client');
    const unknown = `nobody.${Date.now()}@example.test`;
    const answers = async (email: string, net: string) => {
      const seen: unknown[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await login(email, i === 7 ? PASSWORD : `guess ${i}`, `${net}.${i}`);
        seen.push([res.status, res.body, res.headers.get('retry-after')]);
      }
      return seen;
    };
    const forKnown = await answers(known.email, '198.51.101');
    assert.deepEqual(forKnown.slice(5, 7), [
      [401, { error: { code: 'unauthenticated', message: 'E-mail or password is wrong.' } }, null],
      [
        429,
        {
          error: {
            code: 'rate_limited',
            message: 'Too many wrong passwords for this e-mail address. Try again in 1 second.',
          },
        },
        '1',
      ],
    ]);
    assert.deepEqual(await answers(unknown, '198.51.102'), forKnown);
  });

  test('past five wrong passwords each further one doubles the wait, whichever address it comes from', async () => {
    const account = await register(t.request, 'professional');
    for (let i = 0; i < 5; i++) assert.equal((await login(account.email, `guess ${i}`, `192.0.2.${i}`)).status, 401);
    const waits: number[] = [];
    for (let i = 5; i < 9; i++) {
      assert.equal((await login(account.email, `guess ${i}`, `192.0.2.${i}`)).status, 401, `guess ${i + 1} is checked`);
      // Even the right password now waits, and is not checked.
      const next = await login(account.email, PASSWORD, `192.0.2.${100 + i}`);
      assert.equal(next.status, 429);
      waits.push(waitOf(next));
      t.server.clock.advance(waitOf(next) * 1000);
    }
    assert.deepEqual(waits, [1, 2, 4, 8]);
  });
});

describe('sign-in throttle per address', () => {
  const t = useTestServer({
    trustProxy: true,
    limits: { auth: { ...DEFAULT_LIMITS.auth, loginPerIpPer10Min: 3 } },
  });

  test('still holds on its own: the fourth attempt from one address in 10 minutes is 429, whichever account', async () => {
    const accounts = await Promise.all([1, 2, 3, 4].map(() => register(t.request, 'client')));
    const statuses: number[] = [];
    for (const account of accounts) {
      const res = await t.request('POST', '/api/v1/auth/login', {
        body: { email: account.email, password: PASSWORD },
        headers: from('192.0.2.50'),
      });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});
