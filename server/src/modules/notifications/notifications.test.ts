import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { httpClient } from '../../testing/http.ts';
import { startSmtp, waitForMails } from '../../testing/smtp.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const CANARY = 'canary-mail-3391';
const DELAY = 30_000;

describe('notification e-mails through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: TestServer;
  let request: ReturnType<typeof httpClient>;
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  const dbName = `ct_test_mail_${randomBytes(4).toString('hex')}`;
  const masterKey = randomBytes(32);

  before(async () => {
    smtp = await startSmtp();
    server = await startTestServer({ smtpUrl: smtp.url, dbName, masterKey, notifyDelayMs: DELAY });
    request = httpClient(server.url);
    s = await practiceWithStaff(request);
    // The colleague's and the client's invitations: not what these tests count.
    await waitForMails(smtp.mails, 2);
    smtp.mails.length = 0;
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  const relay = async () => {
    server.clock.advance(DELAY);
    return server.app.jobs.relayNotifications();
  };
  const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email));

  test('a Contact Us message e-mails the assigned colleague, after the delay, with nothing but a link', async () => {
    const sent = await request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: `Pat ${CANARY}`, email: `pat.${CANARY}@example.test`, phone: '555 3391', body: `Body ${CANARY}` },
    });
    assert.equal(sent.status, 201);
    assert.equal(await server.app.jobs.relayNotifications(), 0, 'not before the delay');
    assert.equal(await relay(), 1);
    await waitForMails(smtp.mails, 1);
    const [mail] = mailsTo(s.colleague.email);
    assert.ok(mail, 'the assigned colleague is told');
    assert.match(mail.text, /You have a new secure message/);
    assert.match(mail.text, new RegExp(`${server.url}/console`));
    assert.equal(mailsTo(s.admin.email).length, 0, 'admins are not alerted when someone is assigned');
  });

  test('a colleague who saw the message live gets no e-mail', async () => {
    const svc = await request('POST', `/api/v1/practices/${s.practiceId}/services`, {
      token: s.admin.token,
      body: { name: `Service ${CANARY}`, description: `About ${CANARY}`, assigneeIds: [s.colleague.id] },
    });
    const before = smtp.mails.length;
    const created = await request('POST', `/api/v1/practices/${s.practiceId}/services/${svc.body.service.id}/threads`, {
      token: s.client.token,
      body: { subject: `Subject ${CANARY}`, body: `Service body ${CANARY}` },
    });
    // The console had the thread open: the new message was shown and marked read before the delay ran out.
    await request('POST', `/api/v1/threads/${created.body.thread.id}/read`, {
      token: s.colleague.token,
      body: { seq: 1 },
    });
    assert.equal(await relay(), 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(smtp.mails.length, before);
  });

  test('the practice’s reply reaches a prospect through a single-use link that lets them read and reply', async () => {
    const email = `prospect.${randomBytes(3).toString('hex')}@example.test`;
    const sent = await request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: 'Prospect Person', email, body: `Question ${CANARY}` },
    });
    await relay();
    const before = smtp.mails.length;
    await request('POST', `/api/v1/threads/${sent.body.thread.id}/messages`, {
      token: s.colleague.token,
      body: { body: `Answer ${CANARY}` },
    });
    await relay();
    await waitForMails(smtp.mails, before + 1);
    const mail = mailsTo(email).at(-1)!;
    const token = /#link=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    assert.ok(token, 'the mail carries a link token in the URL fragment');
    const exchanged = await request('POST', '/api/v1/auth/link', { body: { token } });
    assert.equal(exchanged.status, 200);
    assert.equal(exchanged.body.threadId, sent.body.thread.id);
    const read = await request('GET', `/api/v1/threads/${sent.body.thread.id}`, { token: exchanged.body.token });
    assert.deepEqual(
      read.body.messages.map((m: { body: string }) => m.body),
      [`Question ${CANARY}`, `Answer ${CANARY}`],
    );
    const answer = await request('POST', `/api/v1/threads/${sent.body.thread.id}/messages`, {
      token: exchanged.body.token,
      body: { body: 'Thanks, I would like to book.' },
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.message.authorRole, 'prospect');
    assert.equal((await request('POST', '/api/v1/auth/link', { body: { token } })).status, 401, 'single use');
    server.clock.advance(73 * 3600_000);
    assert.equal((await request('POST', '/api/v1/auth/link', { body: { token: 'x'.repeat(43) } })).status, 401);
  });

  test('2 days before the 7-day deadline the admins get one warning, and only one', async () => {
    await request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: 'Late', email: 'late@example.test', body: `Waiting ${CANARY}` },
    });
    await server.app.jobs.warnResponseDue();
    const before = mailsTo(s.admin.email).length;
    server.clock.advance(5 * 24 * 3600_000);
    assert.ok((await server.app.jobs.warnResponseDue()) >= 1);
    assert.equal(await server.app.jobs.warnResponseDue(), 0, 'never twice for the same wait');
    await waitForMails(smtp.mails, 1);
    const warnings = mailsTo(s.admin.email).slice(before);
    assert.ok(warnings.some((m) => /2 days/.test(m.text)));
  });

  test('a message stored just before a crash is still e-mailed by the next server', async () => {
    await relay(); // flush what earlier tests left pending
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = await request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: 'Crash', email: 'crash@example.test', body: `Crash ${CANARY}` },
    });
    assert.equal(sent.status, 201);
    const clock = server.clock.now();
    await server.close(true); // the process dies before the relay ever ran
    const before = mailsTo(s.colleague.email).length;
    server = await startTestServer({ smtpUrl: smtp.url, dbName, masterKey, notifyDelayMs: DELAY });
    server.clock.advance(clock.getTime() - server.clock.now().getTime() + DELAY);
    request = httpClient(server.url);
    assert.ok((await server.app.jobs.relayNotifications()) >= 1);
    await waitForMails(smtp.mails, smtp.mails.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(mailsTo(s.colleague.email).length, before + 1);
    assert.equal(await server.app.jobs.relayNotifications(), 0, 'sent once');
  });

  test('no e-mail ever contains a body, subject, name, contact detail, practice or service name', async () => {
    assert.ok(smtp.mails.length >= 4, `${smtp.mails.length} mails checked`);
    for (const mail of smtp.mails) {
      const decoded = mail.text;
      for (const secret of [CANARY, '555 3391', 'Prospect Person', 'Harbor Therapy', s.client.name, 'Service'])
        assert.equal(decoded.includes(secret), false, `a mail contains ${secret}`);
    }
  });
});
