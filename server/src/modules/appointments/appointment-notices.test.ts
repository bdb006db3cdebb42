import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { calendarOf } from '../../testing/calendar-file.ts';
import { practiceWithStaff, signIn } from '../../testing/fixtures.ts';
import { httpClient, type Request } from '../../testing/http.ts';
import { waitForMails } from '../../testing/smtp.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { useTwoNodesWithSmtp } from '../../testing/two-nodes.ts';

const ROUNDS = Number(process.env.RACE_TRIES ?? 10);
const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client whose appointment is moved or cancelled is told once, neutrally, with a calendar file that updates or
 * removes the entry the reminder put in their calendar. Two nodes share one database, as in production.
 */
describe('appointment change notices through a real SMTP server, on two nodes', () => {
  const nodes = useTwoNodesWithSmtp('notice');
  let requestA: Request;
  let requestB: Request;
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  const mails = () => nodes.smtp.mails;

  before(async () => {
    requestA = httpClient(nodes.nodeA.url);
    requestB = httpClient(nodes.nodeB.url);
    s = await practiceWithStaff(requestA);
    await waitForMails(mails(), 2); // the colleague's and the client's invitations
    const patched = await requestA('PATCH', `/api/v1/practices/${s.practiceId}`, {
      token: s.admin.token,
      body: { timeZone: 'America/New_York', address: { street: '1420 Maple Street', city: 'Portland' } },
    });
    assert.equal(patched.status, 200);
    mails().length = 0;
  });

  const path = (suffix = '') => `/api/v1/practices/${s.practiceId}/appointments${suffix}`;
  const book = async (startsAt: string) => {
    const res = await requestA('POST', path(), {
      token: s.colleague.token,
      body: { clientId: s.client.id, startsAt, durationMinutes: 50 },
    });
    assert.equal(res.status, 201);
    return res.body.appointment as { id: string; joinUrl: string };
  };
  const cancel = (id: string, request = requestA) =>
    request('POST', path(`/${id}/cancel`), { token: s.colleague.token });
  /** The notice job, run at once on both nodes and again: what several nodes' timers would do. */
  const everywhere = async () => {
    const runs = await Promise.all([
      nodes.nodeA.app.jobs.appointmentNotices(),
      nodes.nodeB.app.jobs.appointmentNotices(),
      nodes.nodeA.app.jobs.appointmentNotices(),
    ]);
    return runs.reduce((a, b) => a + b, 0);
  };
  /** Waits for exactly `count` mails in all, then parses the new ones. */
  const exactly = async (count: number, since: number): Promise<ParsedMail[]> => {
    await waitForMails(mails(), count);
    await settle();
    assert.equal(mails().length, count, `exactly ${count} mails`);
    const fresh = mails().slice(since);
    for (const mail of fresh) assert.deepEqual(mail.to, [s.client.email], 'only the client is mailed');
    return Promise.all(fresh.map((m) => simpleParser(m.raw)));
  };
  const secrets = () => [
    'Harbor',
    'Therapy',
    '555 0100',
    'Maple',
    s.client.name,
    s.colleague.name,
    s.admin.name,
    s.practiceId,
  ];
  const assertNeutral = (mail: ParsedMail) => {
    const calendar = calendarOf(mail);
    for (const secret of secrets()) {
      assert.ok(!mail.subject?.includes(secret), `the subject contains ${secret}`);
      assert.ok(!mail.text?.includes(secret), `the text contains ${secret}`);
      assert.ok(!calendar.raw.includes(secret), `the .ics contains ${secret}`);
    }
    return calendar;
  };

  test('moved, then cancelled: one notice each, in the practice’s zone, updating then cancelling one entry', async () => {
    // Tuesday 10 March 2026, 15:00 UTC: 11:00 in New York, two days after its clocks went forward.
    const a = await book('2026-03-10T15:00:00.000Z');
    assert.equal(await everywhere(), 0, 'booking alone sends no notice (the reminders tell of it)');

    const same = await requestA('PATCH', path(`/${a.id}`), {
      token: s.colleague.token,
      body: { startsAt: '2026-03-10T15:00:00.000Z', durationMinutes: 50 },
    });
    assert.equal(same.status, 200);
    assert.equal(await everywhere(), 0, 'a change that changed nothing is not told');

    const moved = await requestA('PATCH', path(`/${a.id}`), {
      token: s.colleague.token,
      body: { startsAt: '2026-03-10T16:00:00.000Z' },
    });
    assert.equal(moved.status, 200);
    assert.equal(await everywhere(), 1);
    assert.equal(await everywhere(), 0, 'told once');
    const [changed] = await exactly(1, 0);
    assert.equal(changed!.subject, 'Your video appointment has changed');
    assert.match(changed!.text ?? '', /Tuesday, 10 March 2026, 12:00 \(America\/New_York\)/);
    assert.ok(changed!.text?.includes(a.joinUrl), 'the room');
    const update = assertNeutral(changed!);
    assert.equal(update.method, 'PUBLISH');
    assert.equal(update.event.status, 'CONFIRMED');
    assert.equal(update.event.uid, `appointment-${a.id}@clocktree.example`);
    assert.equal(update.event.start.toISOString(), '2026-03-10T16:00:00.000Z');
    assert.equal(update.event.end?.toISOString(), '2026-03-10T16:50:00.000Z');
    assert.equal(update.event.start.tz, 'America/New_York');
    assert.match(update.unfolded, /DTSTART;TZID=America\/New_York:20260310T120000/);
    // The zone's rules travel with the file: a calendar that does not know the name can still place the time.
    assert.match(
      update.unfolded,
      /BEGIN:VTIMEZONE\r\nTZID:America\/New_York\r\n[\s\S]*TZOFFSETTO:-0400[\s\S]*END:VTIMEZONE/,
    );

    const cancelled = await cancel(a.id);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.appointment.status, 'cancelled');
    assert.equal(await everywhere(), 1);
    assert.equal(await everywhere(), 0, 'told once');
    const [notice] = await exactly(2, 1);
    assert.equal(notice!.subject, 'Your video appointment was cancelled');
    assert.match(notice!.text ?? '', /on Tuesday, 10 March 2026, 12:00 \(America\/New_York\) was cancelled/);
    assert.equal(/https?:\/\//.test(notice!.text ?? ''), false, 'no link: there is no room to join');
    const removal = assertNeutral(notice!);
    assert.equal(removal.method, 'CANCEL');
    assert.equal(removal.event.status, 'CANCELLED');
    assert.equal(removal.event.uid, update.event.uid, 'the same calendar entry');
    assert.ok(Number(removal.event.sequence) > Number(update.event.sequence), 'a higher SEQUENCE');
    assert.equal(removal.event.start.toISOString(), '2026-03-10T16:00:00.000Z');

    // Cancelling again, on the other node, tells nothing more.
    assert.equal((await cancel(a.id, requestB)).status, 200);
    assert.equal(await everywhere(), 0);
    await exactly(2, 2);
  });

  test(`a double click on Cancel, on two nodes at once, sends one notice (${ROUNDS} rounds)`, async () => {
    const sent: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = mails().length;
      const a = await book(`2026-03-1${round % 10}T14:00:00.000Z`);
      const answers = await Promise.all([cancel(a.id), cancel(a.id, requestB), cancel(a.id)]);
      assert.deepEqual(
        answers.map((r) => [r.status, r.body.appointment.status]),
        [
          [200, 'cancelled'],
          [200, 'cancelled'],
          [200, 'cancelled'],
        ],
      );
      sent.push(await everywhere());
      const [notice] = await exactly(before + 1, before);
      assert.equal(notice!.subject, 'Your video appointment was cancelled');
      assert.equal(calendarOf(notice!).method, 'CANCEL');
    }
    assert.deepEqual(sent, Array(ROUNDS).fill(1), 'one notice per cancelled appointment');
  });

  test('an appointment cancelled after it is over gets no notice', async () => {
    const before = mails().length;
    const a = await book(new Date(nodes.nodeA.clock.now().getTime() + 60 * 60_000).toISOString());
    [nodes.nodeA, nodes.nodeB].forEach((n) => n.clock.advance(2 * 60 * 60_000)); // past its end
    await signIn(requestA, s.colleague); // the session fell idle meanwhile
    assert.equal((await cancel(a.id)).status, 200);
    assert.equal(await everywhere(), 0);
    await settle();
    assert.equal(mails().length, before);
  });
});

describe('appointment jobs with more work than one batch', () => {
  const t = useTestServer();
  const COUNT = 105; // appointments.service.ts takes them 100 at a time

  test(`${COUNT} appointments cancelled at once: one run tells every one, and a second run nothing`, async () => {
    const s = await practiceWithStaff(t.request);
    const path = `/api/v1/practices/${s.practiceId}/appointments`;
    for (let i = 0; i < COUNT; i++) {
      const startsAt = new Date(Date.parse('2026-03-10T08:00:00Z') + i * 3600_000).toISOString();
      const booked = await t.request('POST', path, {
        token: s.colleague.token,
        body: { clientId: s.client.id, startsAt, durationMinutes: 30 },
      });
      assert.equal(booked.status, 201);
      const cancelled = await t.request('POST', `${path}/${booked.body.appointment.id}/cancel`, {
        token: s.colleague.token,
      });
      assert.equal(cancelled.status, 200);
    }
    const before = t.server.mails.length;
    // Done work stays a candidate while it is in range: a single batch would starve the last 5 for a day.
    assert.equal(await t.server.app.jobs.appointmentNotices(), COUNT);
    assert.equal(await t.server.app.jobs.appointmentNotices(), 0);
    const notices = t.server.mails.slice(before);
    assert.equal(notices.length, COUNT);
    assert.ok(notices.every((m) => m.to === s.client.email && m.subject === 'Your video appointment was cancelled'));
  });
});
