import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CallEndedEvent, CallRingEvent, ClientToServerEvents, ServerToClientEvents } from '@clocktree/protocol';
import { io as connect, type Socket } from 'socket.io-client';
import { practiceWithStaff, signIn } from '../../testing/fixtures.ts';
import { httpClient } from '../../testing/http.ts';
import { waitForMails, type ReceivedMail } from '../../testing/smtp.ts';
import { useTestServer, type TestServer } from '../../testing/test-server.ts';
import { useTwoNodesWithSmtp } from '../../testing/two-nodes.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function online(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Every call:ring and call:ended the socket hears, in order. */
function record(socket: ClientSocket) {
  const heard: { event: string; payload: CallRingEvent | CallEndedEvent }[] = [];
  socket.on('call:ring', (payload) => heard.push({ event: 'call:ring', payload }));
  socket.on('call:ended', (payload) => heard.push({ event: 'call:ended', payload }));
  return heard;
}

const settle = (ms = 250) => new Promise((resolve) => setTimeout(resolve, ms));

describe('appointments', () => {
  const t = useTestServer();
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  let other: Awaited<ReturnType<typeof practiceWithStaff>>;
  before(async () => {
    s = await practiceWithStaff(t.request);
    other = await practiceWithStaff(t.request);
  });
  const at = (ms: number) => new Date(t.server.clock.now().getTime() + ms).toISOString();
  const book = (body: object, token = s.colleague.token, pid = s.practiceId) =>
    t.request('POST', `/api/v1/practices/${pid}/appointments`, { token, body });

  test('members book, list, reschedule and cancel; the client sees their own; nobody else sees any', async () => {
    const created = await book({ clientId: s.client.id, startsAt: at(2 * DAY), durationMinutes: 50 });
    assert.equal(created.status, 201);
    const a = created.body.appointment;
    assert.deepEqual(
      {
        clientId: a.clientId,
        clinicianId: a.clinicianId,
        practiceId: a.practiceId,
        status: a.status,
        duration: a.durationMinutes,
      },
      {
        clientId: s.client.id,
        clinicianId: s.colleague.id,
        practiceId: s.practiceId,
        status: 'scheduled',
        duration: 50,
      },
    );
    assert.equal(new Date(a.endsAt).getTime() - new Date(a.startsAt).getTime(), 50 * MINUTE);
    assert.equal(new Date(a.startsAt).getTime() - new Date(a.joinOpensAt).getTime(), 15 * MINUTE);
    assert.equal(a.joinUrl, `${t.server.url}/video/?appointment=${a.id}`, 'the link names nothing but the id');

    // Who may book, and what.
    assert.equal(
      (await book({ clientId: s.client.id, startsAt: at(DAY), durationMinutes: 30 }, s.client.token)).status,
      403,
    );
    const foreign = { clientId: s.client.id, startsAt: at(DAY), durationMinutes: 30 };
    assert.equal((await book(foreign, other.admin.token)).status, 403);
    const notClient = await book({ clientId: other.client.id, startsAt: at(DAY), durationMinutes: 30 });
    assert.deepEqual([notClient.status, notClient.body.error.fields[0].path], [400, 'clientId']);
    const past = await book({ clientId: s.client.id, startsAt: at(-MINUTE), durationMinutes: 30 });
    assert.deepEqual([past.status, past.body.error.fields[0].path], [400, 'startsAt']);
    assert.equal((await book({ clientId: s.client.id, startsAt: at(DAY), durationMinutes: 2 })).status, 400);
    assert.equal((await book({ clientId: s.client.id, startsAt: 'tomorrow', durationMinutes: 30 })).status, 400);
    assert.equal((await book({ clientId: s.client.id, startsAt: at(400 * DAY), durationMinutes: 30 })).status, 400);

    // Lists.
    const list = (token: string, query = '') =>
      t.request('GET', `/api/v1/practices/${s.practiceId}/appointments${query}`, { token });
    const ids = (r: { body: { appointments: { id: string }[] } }) => r.body.appointments.map((x) => x.id);
    assert.deepEqual(ids(await list(s.admin.token)), [a.id], 'every member sees the practice’s appointments');
    assert.deepEqual(ids(await list(s.admin.token, `?from=${at(3 * DAY)}&to=${at(5 * DAY)}`)), []);
    assert.deepEqual(ids(await list(s.admin.token, `?from=${at(DAY)}&to=${at(3 * DAY)}`)), [a.id]);
    assert.equal((await list(s.admin.token, `?from=${at(DAY)}&to=${at(0)}`)).status, 400);
    assert.equal((await list(s.client.token)).status, 403);
    assert.equal((await list(other.admin.token)).status, 403);
    const mine = (token: string) => t.request('GET', '/api/v1/appointments', { token });
    assert.deepEqual(ids(await mine(s.client.token)), [a.id], 'the client lists their own');
    assert.deepEqual(ids(await mine(s.colleague.token)), [a.id], 'so does the clinician who booked it');
    assert.deepEqual(ids(await mine(other.client.token)), []);
    assert.deepEqual(ids(await mine(s.admin.token)), [], 'not a participant');
    const one = (token: string) => t.request('GET', `/api/v1/appointments/${a.id}`, { token });
    assert.equal((await one(s.client.token)).status, 200);
    assert.equal((await one(s.admin.token)).status, 200, 'members read it');
    assert.equal((await one(other.admin.token)).status, 404);
    assert.equal((await one(other.client.token)).status, 404);

    // Reschedule and cancel.
    const patch = (body: object, token = s.admin.token, pid = s.practiceId) =>
      t.request('PATCH', `/api/v1/practices/${pid}/appointments/${a.id}`, { token, body });
    const moved = await patch({ startsAt: at(3 * DAY) });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.appointment.startsAt, at(3 * DAY));
    assert.equal(moved.body.appointment.durationMinutes, 50);
    const longer = await patch({ durationMinutes: 80 });
    assert.equal(new Date(longer.body.appointment.endsAt).getTime(), new Date(at(3 * DAY)).getTime() + 80 * MINUTE);
    assert.equal((await patch({})).status, 400);
    assert.equal((await patch({ startsAt: at(-HOUR) })).status, 400);
    assert.equal((await patch({ durationMinutes: 60 }, other.admin.token)).status, 403);
    assert.equal((await patch({ durationMinutes: 60 }, other.admin.token, other.practiceId)).status, 404);
    const cancel = (token = s.admin.token) =>
      t.request('POST', `/api/v1/practices/${s.practiceId}/appointments/${a.id}/cancel`, { token });
    assert.equal((await cancel(s.client.token)).status, 403);
    const cancelled = await cancel();
    assert.deepEqual([cancelled.status, cancelled.body.appointment.status], [200, 'cancelled']);
    assert.equal((await cancel()).body.appointment.status, 'cancelled', 'cancelling twice changes nothing');
    assert.equal((await patch({ durationMinutes: 60 })).status, 409, 'a cancelled appointment stays cancelled');

    // The front desk books for a colleague; the clinician must be a member.
    const forColleague = { clientId: s.client.id, startsAt: at(DAY), durationMinutes: 30, clinicianId: s.colleague.id };
    const byAdmin = await book(forColleague, s.admin.token);
    assert.deepEqual([byAdmin.status, byAdmin.body.appointment.clinicianId], [201, s.colleague.id], 'front desk books');
    await t.request('POST', `/api/v1/practices/${s.practiceId}/appointments/${byAdmin.body.appointment.id}/cancel`, {
      token: s.admin.token,
    });
    const outsider = await book({ ...forColleague, clinicianId: other.admin.id });
    assert.deepEqual([outsider.status, outsider.body.error.fields[0].path], [400, 'clinicianId']);

    const audit = await t.request('GET', `/api/v1/practices/${s.practiceId}/audit?limit=200`, { token: s.admin.token });
    const actions = new Set(audit.body.entries.map((e: { action: string }) => e.action));
    for (const action of ['appointment.create', 'appointment.reschedule', 'appointment.cancel', 'appointment.list'])
      assert.ok(actions.has(action), `audited: ${action}`);
  });

  test('the join window: refused before −15 minutes and after the end, and only for the two participants', async () => {
    const a = (await book({ clientId: s.client.id, startsAt: at(HOUR), durationMinutes: 30 })).body.appointment;
    const join = (token: string) => t.request('POST', `/api/v1/appointments/${a.id}/join`, { token });
    const early = await join(s.client.token);
    assert.deepEqual([early.status, early.body.error.code], [403, 'forbidden']);
    assert.match(early.body.error.message, /opens at .* 15 minutes before/);
    // Sessions idle out after 15 minutes: sign in again after moving the clock.
    const awake = () => Promise.all([s.client, s.colleague, s.admin, other.client].map((a) => signIn(t.request, a)));
    t.server.clock.advance(HOUR - 15 * MINUTE - 1_000);
    await awake();
    assert.equal((await join(s.client.token)).status, 403, 'one second too early');
    t.server.clock.advance(1_000);
    // Inside the window every check passes; without a configured Janus, opening the room is what fails.
    assert.deepEqual((await join(s.client.token)).body.error.code, 'unavailable');
    assert.deepEqual((await join(s.colleague.token)).body.error.code, 'unavailable');
    assert.equal((await join(s.admin.token)).status, 403, 'a member who is not in it');
    assert.equal((await join(other.client.token)).status, 404);
    assert.equal((await t.request('POST', `/api/v1/appointments/${a.id}/join`)).status, 401);
    t.server.clock.advance(15 * MINUTE + 30 * MINUTE);
    await awake();
    const late = await join(s.client.token);
    assert.deepEqual([late.status, late.body.error.code], [403, 'forbidden']);
    assert.match(late.body.error.message, /over/);

    const b = (await book({ clientId: s.client.id, startsAt: at(10 * MINUTE), durationMinutes: 30 })).body.appointment;
    await t.request('POST', `/api/v1/practices/${s.practiceId}/appointments/${b.id}/cancel`, { token: s.admin.token });
    const cancelled = await t.request('POST', `/api/v1/appointments/${b.id}/join`, { token: s.client.token });
    assert.equal(cancelled.status, 409);
  });

  test('at the start every connected session of the client rings, once; the window’s end ends the call', async () => {
    const staff = await practiceWithStaff(t.request);
    const [tab1, tab2, clinician, admin] = await Promise.all([
      online(t.server.url, staff.client.token),
      online(t.server.url, staff.client.token),
      online(t.server.url, staff.colleague.token),
      online(t.server.url, staff.admin.token),
    ]);
    const heard = [tab1, tab2, clinician, admin].map(record);
    // What earlier tests left due.
    await t.server.app.jobs.appointmentRings();
    await t.server.app.jobs.appointmentWindows();
    try {
      const a = (
        await book(
          { clientId: staff.client.id, startsAt: at(30 * MINUTE), durationMinutes: 20 },
          staff.colleague.token,
          staff.practiceId,
        )
      ).body.appointment;
      assert.equal(await t.server.app.jobs.appointmentRings(), 0, 'not before the start');
      t.server.clock.advance(30 * MINUTE);
      // Two nodes' job runs at once, then another: one ring.
      const runs = await Promise.all([t.server.app.jobs.appointmentRings(), t.server.app.jobs.appointmentRings()]);
      assert.equal(runs[0] + runs[1], 1);
      assert.equal(await t.server.app.jobs.appointmentRings(), 0);
      await settle();
      for (const tab of [heard[0]!, heard[1]!]) {
        assert.equal(tab.length, 1);
        const ring = tab[0]!.payload as CallRingEvent;
        assert.equal(tab[0]!.event, 'call:ring');
        assert.deepEqual(
          [ring.call.kind, ring.call.appointmentId, ring.call.from.id, ring.call.calleeId],
          ['appointment', a.id, staff.colleague.id, staff.client.id],
        );
      }
      assert.deepEqual([heard[2]!.length, heard[3]!.length], [0, 0], 'the clinician and the admin are not rung');

      const callId = (heard[0]![0]!.payload as CallRingEvent).call.id;
      await signIn(t.request, staff.client);
      const answered = await t.request('POST', `/api/v1/calls/${callId}/answer`, { token: staff.client.token });
      assert.equal(answered.status, 200);
      await settle();
      for (const h of heard.slice(0, 3))
        assert.deepEqual(h.at(-1)?.payload, { callId, reason: 'answered', appointmentId: a.id });

      t.server.clock.advance(20 * MINUTE);
      assert.equal(await t.server.app.jobs.appointmentRings(), 0, 'the window is over: no ring');
      const closed = await Promise.all([
        t.server.app.jobs.appointmentWindows(),
        t.server.app.jobs.appointmentWindows(),
      ]);
      assert.equal(closed[0] + closed[1], 1);
      await settle();
      for (const h of heard.slice(0, 3))
        assert.deepEqual(h.at(-1)?.payload, { callId, reason: 'window_ended', appointmentId: a.id });
      assert.equal(heard[3]!.length, 0);
      await signIn(t.request, staff.client);
      const call = await t.request('GET', `/api/v1/calls/${callId}`, { token: staff.client.token });
      assert.deepEqual([call.body.call.state, call.body.call.endReason], ['ended', 'window_ended']);
    } finally {
      for (const socket of [tab1, tab2, clinician, admin]) socket.close();
    }
  });

  test('a rescheduled appointment rings at its new start; a cancelled one never rings', async () => {
    const staff = await practiceWithStaff(t.request);
    const tab = await online(t.server.url, staff.client.token);
    const heard = record(tab);
    try {
      const make = async () =>
        (
          await book(
            { clientId: staff.client.id, startsAt: at(10 * MINUTE), durationMinutes: 30 },
            staff.colleague.token,
            staff.practiceId,
          )
        ).body.appointment;
      const moved = await make();
      const dropped = await make();
      await t.request('PATCH', `/api/v1/practices/${staff.practiceId}/appointments/${moved.id}`, {
        token: staff.admin.token,
        body: { startsAt: at(40 * MINUTE) },
      });
      await t.request('POST', `/api/v1/practices/${staff.practiceId}/appointments/${dropped.id}/cancel`, {
        token: staff.admin.token,
      });
      t.server.clock.advance(10 * MINUTE);
      await t.server.app.jobs.appointmentRings();
      await settle();
      assert.equal(heard.length, 0, 'neither rings at the old start');
      t.server.clock.advance(30 * MINUTE);
      await t.server.app.jobs.appointmentRings();
      await settle();
      assert.deepEqual(
        heard.map((h) => (h.payload as CallRingEvent).call.appointmentId),
        [moved.id],
      );
    } finally {
      tab.close();
    }
  });
});

describe('appointment reminders through a real SMTP server', () => {
  const nodes = useTwoNodesWithSmtp('remind');
  let smtp: (typeof nodes)['smtp'];
  let nodeA: TestServer;
  let nodeB: TestServer;
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  /** A node restarting in A's place (the helper closes whichever is A at the end). */
  const start = async () => (nodes.nodeA = await nodes.start());

  before(async () => {
    ({ smtp, nodeA, nodeB } = nodes);
    s = await practiceWithStaff(httpClient(nodeA.url));
    // The colleague's and the client's invitations: not what these tests count.
    await waitForMails(smtp.mails, 2);
    smtp.mails.length = 0;
  });

  /** Both nodes' clocks move together, as wall clocks would. */
  const advance = (ms: number) => [nodeA, nodeB].forEach((n) => n.clock.advance(ms));
  const at = (ms: number) => new Date(nodeA.clock.now().getTime() + ms).toISOString();
  const everywhere = async () => {
    const runs = await Promise.all([
      nodeA.app.jobs.appointmentReminders(),
      nodeB.app.jobs.appointmentReminders(),
      nodeA.app.jobs.appointmentReminders(),
    ]);
    return runs.reduce((a, b) => a + b, 0);
  };
  const toClient = () => smtp.mails.filter((m) => m.to.includes(s.client.email));
  const quietly = async (count: number) => {
    await waitForMails(smtp.mails, count);
    await settle(300);
    assert.equal(smtp.mails.length, count, `exactly ${count} mails`);
  };

  test('24 h and 1 h before, exactly once: concurrent runs on two nodes, repeated runs, a restart', async () => {
    const request = httpClient(nodeA.url);
    const booked = await request('POST', `/api/v1/practices/${s.practiceId}/appointments`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, startsAt: at(26 * HOUR), durationMinutes: 45 },
    });
    const a = booked.body.appointment;
    assert.equal(await everywhere(), 0, 'nothing due yet');

    advance(2 * HOUR); // 24 h before
    assert.equal(await everywhere(), 1);
    assert.equal(await everywhere(), 0);
    await quietly(1);
    const [day] = toClient();
    assert.ok(day);
    assert.match(day.text, /Reminder: your video appointment/);
    assert.match(day.text, /Tuesday, 3 March 2026, 11:00 \(UTC\)/, 'in the practice’s zone (UTC unless set), named');
    assert.ok(day.text.includes(a.joinUrl), 'the quick link');

    // A node stops and another starts on the same database: nothing is sent again.
    const clock = nodeA.clock.now();
    await nodeA.close(true);
    nodeA = await start();
    nodeA.clock.advance(clock.getTime() - nodeA.clock.now().getTime());
    assert.equal(await everywhere(), 0);

    advance(22 * HOUR + 30 * MINUTE); // 1.5 h before: the 1-hour reminder is not due yet
    assert.equal(await everywhere(), 0);
    advance(30 * MINUTE);
    assert.equal(await everywhere(), 1);
    await quietly(2);
    advance(2 * HOUR); // past the start
    assert.equal(await everywhere(), 0);
    await quietly(2);
  });

  test('a reschedule resets the reminders; a cancelled appointment gets none', async () => {
    const request = httpClient(nodeA.url);
    await Promise.all([signIn(request, s.colleague), signIn(request, s.admin)]);
    const book = async (startsAt: string) =>
      (
        await request('POST', `/api/v1/practices/${s.practiceId}/appointments`, {
          token: s.colleague.token,
          body: { clientId: s.client.id, startsAt, durationMinutes: 30 },
        })
      ).body.appointment;
    const before = smtp.mails.length;
    const moved = await book(at(25 * HOUR));
    const dropped = await book(at(25 * HOUR));
    advance(HOUR);
    assert.equal(await everywhere(), 2, 'both 24-hour reminders');
    await quietly(before + 2);

    await signIn(request, s.admin);
    await request('PATCH', `/api/v1/practices/${s.practiceId}/appointments/${moved.id}`, {
      token: s.admin.token,
      body: { startsAt: at(48 * HOUR) },
    });
    await request('POST', `/api/v1/practices/${s.practiceId}/appointments/${dropped.id}/cancel`, {
      token: s.admin.token,
    });
    advance(23 * HOUR); // the old 1-hour mark: nothing
    assert.equal(await everywhere(), 0);
    advance(HOUR); // the new 24-hour mark
    assert.equal(await everywhere(), 1);
    advance(23 * HOUR);
    assert.equal(await everywhere(), 1, 'the new 1-hour mark');
    await quietly(before + 4);
    assert.match(smtp.mails.at(-1)!.text, /Thursday, 5 March 2026, 13:00 \(UTC\)/, 'the new time');

    // Booked 30 minutes ahead: no 24-hour reminder, the 1-hour one at once.
    await signIn(request, s.colleague);
    await book(at(30 * MINUTE));
    assert.equal(await everywhere(), 1);
    await quietly(before + 5);
  });

  test('no reminder carries health information: no practice, clinician, client or phone, only a time and a link', async () => {
    const mails: ReceivedMail[] = toClient();
    assert.ok(mails.length >= 5, `${mails.length} mails checked`);
    for (const mail of mails) {
      for (const secret of [
        'Harbor',
        'Therapy',
        '555 0100',
        s.colleague.name,
        s.admin.name,
        s.client.name,
        s.practiceId,
      ])
        assert.equal(mail.text.includes(secret), false, `a reminder contains ${secret}`);
      // The room's quick link and the A/V test page, and nothing else (the .ics repeats them).
      const links = new Set(mail.text.match(/https?:\/\/[^\s\\]+/g) ?? []);
      assert.equal(links.size, 2, [...links].join(' '));
      for (const link of links)
        assert.match(
          link,
          /^https:\/\/clocktree\.example\/(video\/\?appointment=[a-f0-9]{24}|examples\/practice-site\/av-test\.html)$/,
        );
    }
  });
});
