import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { PASSWORD } from '../../server/src/testing/fixtures.ts';
import { httpClient } from '../../server/src/testing/http.ts';
import { startSmtp, waitForMails } from '../../server/src/testing/smtp.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const DAY = 24 * 3600_000;

describe('the 7-day rule across server restarts with CLOCKTREE_NOW_OFFSET_MS', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: ServerProcess | undefined;
  const uri = new URL(process.env.MONGODB_URI!);
  uri.pathname = `/ct_test_7day_${randomBytes(4).toString('hex')}`;
  const baseEnv = () => ({
    MONGODB_URI: uri.toString(),
    SMTP_URL: smtp.url,
    CLOCKTREE_MASTER_KEY: masterKey,
    DATA_DIR: `/tmp/ct-7day-${process.pid}`,
  });
  const masterKey = randomBytes(32).toString('base64');
  const admin = {
    email: `admin.${randomBytes(3).toString('hex')}@example.test`,
    password: PASSWORD,
    name: 'Avery Admin',
  };

  const restart = async (offsetMs: number) => {
    await server?.stop();
    server = await startServerProcess({ ...baseEnv(), CLOCKTREE_NOW_OFFSET_MS: String(offsetMs) });
    const request = httpClient(server.url);
    const login = await request('POST', '/api/v1/auth/login', {
      body: { email: admin.email, password: admin.password },
    });
    return { request, token: login.body.token as string };
  };
  const warnings = () => smtp.mails.filter((m) => /waiting for a response/.test(m.text));
  const listed = async (request: ReturnType<typeof httpClient>, practiceId: string) =>
    (await request('GET', '/api/v1/directory?q=Lakeside')).body.practices.some(
      (p: { id: string }) => p.id === practiceId,
    );

  before(async () => {
    smtp = await startSmtp();
  });
  after(async () => {
    await server?.stop();
    await smtp.close();
  });

  test('listed while answered in time, warned at 2 days left, delisted past 7 days, listed again once answered', async () => {
    server = await startServerProcess(baseEnv());
    let request = httpClient(server.url);
    const reg = await request('POST', '/api/v1/auth/register', { body: { ...admin, kind: 'professional' } });
    const created = await request('POST', '/api/v1/practices', {
      token: reg.body.token,
      body: { name: 'Lakeside Therapy' },
    });
    const practiceId = created.body.practice.id;
    await request('PATCH', `/api/v1/practices/${practiceId}`, {
      token: reg.body.token,
      body: { directoryOptIn: true },
    });
    const sent = await request('POST', `/api/v1/practices/${practiceId}/contact-us`, {
      body: { name: 'Waiting Visitor', email: 'waiting@example.test', body: 'canary-7day Are you taking new clients?' },
    });
    assert.equal(await listed(request, practiceId), true);

    // Day 5 and a bit: still listed, 2 days left, and the admins are warned once.
    let token: string;
    ({ request, token } = await restart(5 * DAY + 3600_000));
    assert.equal(await listed(request, practiceId), true);
    const thread = await request('GET', `/api/v1/threads/${sent.body.thread.id}`, { token });
    const left = new Date(thread.body.thread.respondBy).getTime() - (Date.now() + 5 * DAY + 3600_000);
    assert.ok(left > 1.9 * DAY && left < 2 * DAY, `time left ${left} ms`);
    await waitForMails(smtp.mails, 2); // the new-message notice to the admin (nobody is assigned) and the warning
    const [warning, ...more] = warnings();
    assert.equal(more.length, 0);
    assert.deepEqual(warning!.to, [admin.email]);
    assert.ok(smtp.mails.every((m) => !m.text.includes('canary-7day') && !m.text.includes('Waiting Visitor')));

    // Past 7 days: off the directory until the practice responds.
    ({ request, token } = await restart(7 * DAY + 3600_000));
    assert.equal(await listed(request, practiceId), false);
    assert.equal((await request('GET', `/api/v1/practices/${practiceId}`)).body.practice.listed, false);
    await request('POST', `/api/v1/threads/${sent.body.thread.id}/messages`, { token, body: { body: 'Yes, we are.' } });
    assert.equal(await listed(request, practiceId), true);
    assert.equal(warnings().length, 1, 'the warning went out exactly once across restarts');
  });
});
