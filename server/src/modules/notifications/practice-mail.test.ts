import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { calendarOf } from '../../testing/calendar-file.ts';
import { practiceWithStaff, register, signIn } from '../../testing/fixtures.ts';
import { httpClient, type Request } from '../../testing/http.ts';
import { startSmtp, waitForMails } from '../../testing/smtp.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const HOUR = 3600_000;
const DELAY = 30_000;
const SENDER = 'Front Desk Mail';
const REPLY_TO = 'desk@harbor.example';

/** Mails about a practice go out under the sender its admins chose; reminders carry the practice's time and an .ics. */
describe('a practice’s own sender, and reminders in its time zone, through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: TestServer;
  let request: Request;
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;

  before(async () => {
    smtp = await startSmtp();
    server = await startTestServer({ smtpUrl: smtp.url, notifyDelayMs: DELAY, publicUrl: 'https://clocktree.example' });
    request = httpClient(server.url);
    s = await practiceWithStaff(request);
    await waitForMails(smtp.mails, 2);
    const patched = await request('PATCH', `/api/v1/practices/${s.practiceId}`, {
      token: s.admin.token,
      body: { mailFromName: SENDER, replyTo: REPLY_TO, timeZone: 'America/New_York' },
    });
    assert.equal(patched.status, 200);
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  /** The next mail to `email` from here on, parsed. */
  const nextMailTo = async (email: string, action: () => Promise<unknown>): Promise<ParsedMail> => {
    const before = smtp.mails.length;
    await action();
    await waitForMails(smtp.mails, before + 1);
    const mail = smtp.mails.slice(before).find((m) => m.to.includes(email));
    assert.ok(mail, `a mail to ${email}`);
    return simpleParser(mail.raw);
  };

  test('invitations and new-message mails use the practice’s sender name and Reply-To; subjects stay neutral', async () => {
    const invited = `invited.${Date.now()}@example.test`;
    const invitation = await nextMailTo(invited, () =>
      request('POST', `/api/v1/practices/${s.practiceId}/clients`, {
        token: s.admin.token,
        body: { email: invited, name: 'Invited Person' },
      }),
    );
    assert.deepEqual(invitation.from?.value, [{ name: SENDER, address: 'no-reply@clocktree.invalid' }]);
    assert.equal(invitation.replyTo?.value[0]?.address, REPLY_TO);
    assert.equal(invitation.subject, 'You are invited to secure messaging');

    await request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: 'Pat Prospect', email: 'pat@example.test', body: 'Do you have openings?' },
    });
    const alert = await nextMailTo(s.colleague.email, async () => {
      server.clock.advance(DELAY);
      await server.app.jobs.relayNotifications();
    });
    assert.equal(alert.from?.value[0]?.name, SENDER);
    assert.equal(alert.replyTo?.value[0]?.address, REPLY_TO);
    assert.equal(alert.subject, 'You have a new secure message');
    assert.ok(!alert.text?.includes('openings') && !alert.text?.includes('Pat'), 'no body, no name');
  });

  test('a practice that set nothing sends under the neutral default, without Reply-To', async () => {
    const other = await register(request, 'professional');
    const created = await request('POST', '/api/v1/practices', {
      token: other.token,
      body: { name: 'Quiet Practice' },
    });
    const invited = `colleague.${Date.now()}@example.test`;
    const mail = await nextMailTo(invited, () =>
      request('POST', `/api/v1/practices/${created.body.practice.id}/members`, {
        token: other.token,
        body: { email: invited, role: 'colleague' },
      }),
    );
    assert.deepEqual(mail.from?.value, [{ name: 'Clocktree', address: 'no-reply@clocktree.invalid' }]);
    assert.equal(mail.replyTo, undefined);
    assert.ok(!mail.headers.get('subject')?.toString().includes('Quiet'));
  });

  test('the reminder states the practice’s time and zone, links the room and the A/V test, and attaches an .ics', async () => {
    // Tuesday 10 March 2026, 15:00 UTC: 11:00 in New York, two days after its clocks went forward.
    const booked = await request('POST', `/api/v1/practices/${s.practiceId}/appointments`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, startsAt: '2026-03-10T15:00:00.000Z', durationMinutes: 50 },
    });
    assert.equal(booked.status, 201);
    const appointment = booked.body.appointment;
    const untilDayBefore = new Date('2026-03-09T15:00:00Z').getTime() - server.clock.now().getTime();
    const reminder = await nextMailTo(s.client.email, async () => {
      server.clock.advance(untilDayBefore);
      assert.equal(await server.app.jobs.appointmentReminders(), 1);
    });
    assert.equal(reminder.subject, 'Reminder: your video appointment');
    assert.equal(reminder.from?.value[0]?.name, SENDER);
    assert.match(reminder.text ?? '', /Tuesday, 10 March 2026, 11:00 \(America\/New_York\)/);
    assert.ok(reminder.text?.includes(appointment.joinUrl), 'the room');
    assert.ok(reminder.text?.includes('https://clocktree.example/examples/practice-site/av-test.html'), 'the A/V test');

    const first = calendarOf(reminder);
    assert.equal(first.method, 'PUBLISH');
    assert.equal(first.event.summary, 'Video appointment');
    assert.equal(first.event.start.toISOString(), '2026-03-10T15:00:00.000Z');
    assert.equal(first.event.end?.toISOString(), '2026-03-10T15:50:00.000Z');
    assert.equal(first.event.start.tz, 'America/New_York');
    assert.match(first.raw, /DTSTART;TZID=America\/New_York:20260310T110000/);
    assert.ok(first.unfolded.split('\r\n').includes(`URL;VALUE=URI:${appointment.joinUrl}`), 'the room, as its URL');
    assert.equal(first.event.status, 'CONFIRMED');
    for (const secret of ['Harbor', 'Therapy', s.client.name, s.colleague.name, s.admin.name, '555 0100'])
      assert.ok(!first.raw.includes(secret), `the .ics contains ${secret}`);

    // Moved an hour later: the same calendar entry (UID), a higher SEQUENCE, the new time.
    await signIn(request, s.colleague); // days went by: the session fell idle
    const patched = await request('PATCH', `/api/v1/practices/${s.practiceId}/appointments/${appointment.id}`, {
      token: s.colleague.token,
      body: { startsAt: '2026-03-10T16:00:00.000Z' },
    });
    assert.equal(patched.status, 200);
    const moved = await nextMailTo(s.client.email, async () => {
      server.clock.advance(24 * HOUR); // 1 hour before the new start
      assert.equal(await server.app.jobs.appointmentReminders(), 1);
    });
    assert.match(moved.text ?? '', /Tuesday, 10 March 2026, 12:00 \(America\/New_York\)/);
    const second = calendarOf(moved);
    assert.equal(second.event.uid, first.event.uid);
    assert.ok(Number(second.event.sequence) > Number(first.event.sequence), 'SEQUENCE bumped');
    assert.equal(second.event.start.toISOString(), '2026-03-10T16:00:00.000Z');
  });
});
