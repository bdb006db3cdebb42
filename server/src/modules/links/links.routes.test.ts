import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkExchangeResult } from '@clocktree/protocol';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

const LINK = /#link=([A-Za-z0-9_-]+)/;

describe('a prospect’s link, used or expired, asks for a new one', () => {
  const t = useTestServer({ notifyDelayMs: 0 });
  const mailsTo = (email: string) => t.server.mails.filter((m) => m.to === email);
  let n = 0;

  /** A prospect writes, the practice answers: the mail to the prospect carries the first link. */
  async function prospectWithLink() {
    const s = await practiceWithStaff(t.request);
    const email = `prospect.${++n}.${Date.now()}@example.test`;
    const sent = await t.request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: 'Prospect Person', email, body: 'A question' },
    });
    await t.request('POST', `/api/v1/threads/${sent.body.thread.id}/messages`, {
      token: s.colleague.token,
      body: { body: 'An answer' },
    });
    await t.server.app.jobs.relayNotifications();
    return { email, threadId: sent.body.thread.id as string, token: LINK.exec(mailsTo(email).at(-1)!.text)![1]! };
  }
  const exchange = (token: string) => t.request('POST', '/api/v1/auth/link', { body: { token } });
  const renew = async (token: string) => {
    const res = await t.request('POST', '/api/v1/auth/link/renew', { body: { token } });
    await t.server.app.settled();
    return res;
  };

  test('a used link mails a fresh single-use link to the same address, which opens the same thread', async () => {
    const p = await prospectWithLink();
    assert.equal((await exchange(p.token)).status, 200);
    assert.equal((await exchange(p.token)).status, 401, 'used');
    const before = mailsTo(p.email).length;
    const res = await renew(p.token);
    assert.equal(res.status, 202);
    assert.equal(res.body, undefined, 'an empty body, as the browser client expects');
    assert.equal(mailsTo(p.email).length, before + 1);
    const mail = mailsTo(p.email).at(-1)!;
    assert.equal(/Prospect Person|question|answer/i.test(mail.text), false, 'no name or content in the mail');
    const fresh = LINK.exec(mail.text)![1]!;
    assert.notEqual(fresh, p.token);
    const opened = await exchange(fresh);
    assert.equal(opened.status, 200);
    assert.equal(LinkExchangeResult.parse(opened.body).threadId, p.threadId);
  });

  test('an expired link is renewed too; an unknown token gets the same answer and sends nothing', async () => {
    const p = await prospectWithLink();
    t.server.clock.advance(73 * 3600_000);
    assert.equal((await exchange(p.token)).status, 401, 'expired');
    await t.server.app.jobs.sweep();
    const known = await renew(p.token);
    assert.equal(mailsTo(p.email).length, 2);
    assert.equal((await exchange(LINK.exec(mailsTo(p.email).at(-1)!.text)![1]!)).status, 200);
    const mails = t.server.mails.length;
    const unknown = await renew('x'.repeat(43));
    assert.deepEqual({ status: unknown.status, body: unknown.body }, { status: known.status, body: known.body });
    assert.equal(t.server.mails.length, mails);
  });

  test('a leaked link cannot flood the prospect: 3 new links an hour, then none until the next hour', async () => {
    const p = await prospectWithLink();
    const before = mailsTo(p.email).length;
    for (let i = 0; i < 5; i++) assert.equal((await renew(p.token)).status, 202);
    assert.equal(mailsTo(p.email).length, before + 3);
    t.server.clock.advance(3600_000);
    await renew(p.token);
    assert.equal(mailsTo(p.email).length, before + 4);
  });

  test('two live links of one thread opened at once: one account, which the thread is handed to, 10 times', async () => {
    for (let round = 0; round < 10; round++) {
      const p = await prospectWithLink();
      await renew(p.token);
      const second = LINK.exec(mailsTo(p.email).at(-1)!.text)![1]!;
      const opened = await Promise.all([exchange(p.token), exchange(second)]);
      assert.deepEqual(
        opened.map((r) => r.status),
        [200, 200],
      );
      const [a, b] = opened.map((r) => LinkExchangeResult.parse(r.body));
      assert.equal(a!.user.id, b!.user.id, 'one account for the address');
      assert.deepEqual([a!.threadId, b!.threadId], [p.threadId, p.threadId]);
      const listed = await t.request('GET', '/api/v1/threads', { token: a!.token });
      assert.deepEqual(
        listed.body.threads.map((th: { id: string; clientId: string }) => [th.id, th.clientId]),
        [[p.threadId, a!.user.id]],
      );
    }
  });

  test('bad input is a 400', async () => {
    for (const body of [{}, { token: 'short' }, { token: 'x'.repeat(43), email: 'a@example.test' }]) {
      const res = await t.request('POST', '/api/v1/auth/link/renew', { body });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'validation_failed');
    }
  });
});
