// The calls and appointments API with a real Janus (Debian's package) in a network namespace of its own, the real
// server and a real database. What Janus admits and holds is checked through Janus's own API; usage comes from
// Janus's own event handler posting to the server, over the veth pair.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { CallEndedEvent, ClientToServerEvents, JoinResult, ServerToClientEvents } from '@clocktree/protocol';
import type { Connection } from 'mongoose';
import { io as connect, type Socket } from 'socket.io-client';
import { createApp, type App } from '../../server/src/app.ts';
import { ManualClock } from '../../server/src/clock.ts';
import { connectDatabase } from '../../server/src/database.ts';
import { createLogger } from '../../server/src/logger.ts';
import { VIDEOROOM_ERROR, VideoRoomControl, type JanusSession } from '../../server/src/modules/media/janus-client.ts';
import { JANUS_EVENTS_PATH } from '../../server/src/modules/media/janus-events.ts';
import { practiceWithStaff, signIn } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { connectPeers } from '../../server/src/testing/network.ts';
import { GENEROUS_LIMITS } from '../../server/src/testing/test-server.ts';
import { JANUS_BIN } from '../helpers/janus-netns.ts';
import { startRelayedJanus, type RelayedJanus } from '../helpers/janus-relay.ts';
import { joinAsPublisher } from '../helpers/janus-join.ts';
import { unmet } from '../helpers/prerequisites.ts';

const skip = unmet([
  [Boolean(process.env.MONGODB_URI), 'MONGODB_URI is not set (run through `npm test`)'],
  [fs.existsSync(JANUS_BIN), `${JANUS_BIN} is not installed`],
]);

const MINUTE = 60_000;
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function online(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('video calls through a real Janus', { skip }, () => {
  let media: RelayedJanus | undefined;
  let db: Connection;
  let app: App;
  let url: string;
  let request: Request;
  let control: VideoRoomControl;
  const clock = new ManualClock(Date.now());
  const sessions: JanusSession[] = [];
  const t0 = Date.now();

  /** Enters the room as a publisher exactly as a browser's janus.js would, and returns Janus's verdict. */
  const enter = (creds: Partial<JoinResult> & { roomId: number }) =>
    joinAsPublisher(creds.instanceUrl ?? media!.janus.httpUrl, creds, sessions);
  const occupants = async (roomId: number) =>
    (await control.list()).find((r) => r.room === roomId)?.num_participants ?? null;

  before(async () => {
    // Janus reaches only our end of the veth: a relay there hands its posts to the server under test.
    media = await startRelayedJanus();
    db = await connectDatabase(process.env.MONGODB_URI!, { dbName: `ct_video_${randomBytes(6).toString('hex')}` });
    app = await createApp({
      db,
      clock,
      logger: createLogger('silent'),
      mailer: { send: async () => {}, close: () => {} },
      masterKey: randomBytes(32),
      runJobs: false,
      janus: media.deps,
      limits: GENEROUS_LIMITS,
    });
    url = await app.listen(0);
    media.forwardTo(app.server);
    request = httpClient(url);
    control = new VideoRoomControl(media.janus.httpUrl, media.janus.adminKey);
  });

  after(async () => {
    for (const session of sessions) await session.destroy().catch(() => {});
    await control?.close();
    await app?.close();
    await media?.stop();
    await db?.dropDatabase().catch(() => {});
    await db?.close();
  });

  test('an instant call: the two participants enter with their /join credentials, nobody else; hang-up destroys the room; usage from Janus', async () => {
    const s = await practiceWithStaff(request);
    const other = await practiceWithStaff(request);
    const tab = await online(url, s.client.token);
    try {
      const call = (
        await request('POST', '/api/v1/calls', {
          token: s.colleague.token,
          body: { practiceId: s.practiceId, clientId: s.client.id },
        })
      ).body.call;
      let started = performance.now();
      const callerJoin = await request<JoinResult>('POST', `/api/v1/calls/${call.id}/join`, {
        token: s.colleague.token,
      });
      console.log(`caller /join (opens the room at Janus): ${Math.round(performance.now() - started)} ms`);
      assert.equal(callerJoin.status, 200);
      const callerCreds = callerJoin.body;
      assert.deepEqual(Object.keys(callerCreds).sort(), ['endsAt', 'instanceUrl', 'pin', 'roomId', 'token']);
      assert.equal(callerCreds.instanceUrl, media!.janus.httpUrl);
      assert.equal(await occupants(callerCreds.roomId), 0, 'Janus has the room');
      assert.equal(
        (await request('POST', `/api/v1/calls/${call.id}/join`, { token: s.client.token })).status,
        409,
        'the client answers first',
      );
      assert.equal((await request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token })).status, 200);
      started = performance.now();
      const clientJoin = await request<JoinResult>('POST', `/api/v1/calls/${call.id}/join`, {
        token: s.client.token,
      });
      console.log(`callee /join (room exists): ${Math.round(performance.now() - started)} ms`);
      const clientCreds = clientJoin.body;
      assert.equal(clientCreds.roomId, callerCreds.roomId);
      assert.notEqual(clientCreds.token, callerCreds.token, 'a token of their own');

      for (const token of [s.admin.token, other.admin.token, other.client.token])
        assert.equal((await request('POST', `/api/v1/calls/${call.id}/join`, { token })).status, 404);

      // Janus itself: wrong token, wrong pin, no token are refused; each participant's credentials admit them.
      const refused = VIDEOROOM_ERROR.UNAUTHORIZED;
      const roomId = callerCreds.roomId;
      assert.equal((await enter({ ...callerCreds, token: randomBytes(24).toString('base64url') })).code, refused);
      assert.equal((await enter({ ...callerCreds, pin: 'not-the-pin' })).code, refused);
      assert.equal((await enter({ roomId, pin: callerCreds.pin })).code, refused);
      assert.equal(await occupants(roomId), 0, 'nobody got in');
      assert.equal((await enter(callerCreds)).joined, true);
      assert.equal((await enter(clientCreds)).joined, true);
      assert.equal(await occupants(roomId), 2);

      const joinedEvents = () => app.models.UsageEvent.countDocuments({ roomId, event: 'joined' });
      await until(async () => (await joinedEvents()) === 2, 'two joined events from Janus');
      await new Promise((resolve) => setTimeout(resolve, 1_200)); // both connected for a while

      const ended = new Promise<CallEndedEvent>((resolve) =>
        tab.on('call:ended', (e) => e.reason === 'hangup' && resolve(e)),
      );
      started = performance.now();
      const hangup = await request('POST', `/api/v1/calls/${call.id}/hangup`, { token: s.client.token });
      console.log(`/hangup (destroys the room at Janus): ${Math.round(performance.now() - started)} ms`);
      assert.equal(hangup.body.call.endReason, 'hangup');
      assert.equal((await ended).callId, call.id);
      assert.equal(await control.exists(roomId), false, 'Janus no longer has the room');
      assert.equal((await enter(clientCreds)).code, VIDEOROOM_ERROR.NO_SUCH_ROOM);
      assert.equal((await request('POST', `/api/v1/calls/${call.id}/join`, { token: s.client.token })).status, 409);

      await until(
        async () => (await app.models.UsageEvent.countDocuments({ roomId, event: { $ne: 'joined' } })) > 0,
        'Janus reporting the end',
      );
      await app.services.usage.settled();
      const events = await app.models.UsageEvent.find({ roomId }).lean();
      console.log(`Janus reported: ${events.map((e) => e.event).join(', ')}`);
      const usage = await request(
        'GET',
        `/api/v1/practices/${s.practiceId}/usage?from=${new Date(t0 - MINUTE).toISOString()}&to=${new Date(Date.now() + MINUTE).toISOString()}`,
        { token: s.admin.token },
      );
      assert.equal(usage.status, 200);
      const [room] = usage.body.calls;
      assert.deepEqual(
        [usage.body.calls.length, room.roomId, room.callId, room.kind, room.billed],
        [1, roomId, call.id, 'instant', true],
      );
      assert.ok(room.seconds >= 1 && room.seconds < 30, `${room.seconds} s both connected`);
      assert.equal(room.minutes, 1);
      assert.equal(usage.body.minutes, 1);

      await request('POST', '/api/v1/auth/logout', { token: s.client.token });
      assert.equal(
        (await request('POST', `/api/v1/calls/${call.id}/join`, { token: s.client.token })).status,
        401,
        'a signed-out session gets nothing',
      );
    } finally {
      tab.close();
    }
  });

  test('an appointment: credentials only from 15 minutes before the start to the end; the window’s end destroys the room', async () => {
    const s = await practiceWithStaff(request);
    const other = await practiceWithStaff(request);
    const startsAt = new Date(clock.now().getTime() + 60 * MINUTE);
    const a = (
      await request('POST', `/api/v1/practices/${s.practiceId}/appointments`, {
        token: s.colleague.token,
        body: { clientId: s.client.id, startsAt: startsAt.toISOString(), durationMinutes: 30 },
      })
    ).body.appointment;
    const join = (token: string) => request<JoinResult>('POST', `/api/v1/appointments/${a.id}/join`, { token });
    assert.equal((await join(s.client.token)).status, 403);
    assert.equal(await app.models.MediaRoom.countDocuments({ callId: `appointment:${a.id}` }), 0, 'no room yet');

    clock.advance(45 * MINUTE);
    for (const account of [s.client, s.colleague, s.admin, other.client]) await signIn(request, account);
    const clientCreds = (await join(s.client.token)).body;
    const clinicianCreds = (await join(s.colleague.token)).body;
    assert.equal(clientCreds.endsAt, a.endsAt);
    assert.equal(clinicianCreds.roomId, clientCreds.roomId);
    assert.equal((await join(s.admin.token)).status, 403, 'a member who is not in it');
    assert.equal((await join(other.client.token)).status, 404);
    assert.equal((await enter(clientCreds)).joined, true);
    assert.equal((await enter(clinicianCreds)).joined, true);
    assert.equal(await occupants(clientCreds.roomId), 2);

    // Hang-up ends the session for both: the room is destroyed; a join inside the window opens a new one.
    assert.equal(
      (await request('POST', `/api/v1/appointments/${a.id}/hangup`, { token: s.colleague.token })).status,
      204,
    );
    assert.equal(await control.exists(clientCreds.roomId), false);

    // At the start the client is rung; the ring's call leads into the appointment's (new) room.
    clock.advance(15 * MINUTE);
    for (const account of [s.client, s.colleague]) await signIn(request, account);
    assert.equal(await app.jobs.appointmentRings(), 1);
    const [rung] = (await request('GET', '/api/v1/calls', { token: s.client.token })).body.calls;
    assert.deepEqual([rung.kind, rung.appointmentId], ['appointment', a.id]);
    assert.equal((await request('POST', `/api/v1/calls/${rung.id}/answer`, { token: s.client.token })).status, 200);
    const viaCall = (await request<JoinResult>('POST', `/api/v1/calls/${rung.id}/join`, { token: s.client.token }))
      .body;
    const again = (await join(s.colleague.token)).body;
    assert.notEqual(viaCall.roomId, clientCreds.roomId, 'a new room');
    assert.equal(again.roomId, viaCall.roomId, 'the same room either way');
    assert.equal((await enter(viaCall)).joined, true);
    assert.equal((await enter(again)).joined, true);

    clock.advance(30 * MINUTE); // the end of the window
    for (const account of [s.client, s.colleague, s.admin]) await signIn(request, account);
    assert.equal((await join(s.client.token)).status, 403);
    assert.equal((await request('POST', `/api/v1/calls/${rung.id}/join`, { token: s.client.token })).status, 403);
    assert.equal(await app.jobs.appointmentWindows(), 1);
    assert.equal(await control.exists(viaCall.roomId), false, 'destroyed at the end of the window, occupied or not');
    const call = (await request('GET', `/api/v1/calls/${rung.id}`, { token: s.client.token })).body.call;
    assert.deepEqual([call.state, call.endReason], ['ended', 'window_ended']);
    assert.equal(await app.jobs.appointmentWindows(), 0);

    // Audited: every hand-out of credentials.
    const audit = await request('GET', `/api/v1/practices/${s.practiceId}/audit?limit=200`, { token: s.admin.token });
    const joins = audit.body.entries.filter((e: { action: string }) => e.action === 'appointment.join');
    assert.deepEqual(
      joins.map((e: { actorId: string }) => e.actorId).sort(),
      [s.client.id, s.colleague.id, s.colleague.id, s.client.id].sort(),
    );
  });

  test('usage minutes from Janus event posts: both connected, retransmissions and order do not matter, My Network never billed', async () => {
    const s = await practiceWithStaff(request);
    const ring = async (body: object) =>
      (await request('POST', '/api/v1/calls', { token: s.colleague.token, body })).body.call;
    const practiceCall = await ring({ practiceId: s.practiceId, clientId: s.client.id });
    await connectPeers(request, s.colleague, s.admin);
    const networkCall = await ring({ professionalId: s.admin.id });
    const roomOf = async (callId: string) =>
      (await request<JoinResult>('POST', `/api/v1/calls/${callId}/join`, { token: s.colleague.token })).body.roomId;
    const practiceRoom = await roomOf(practiceCall.id);
    const networkRoom = await roomOf(networkCall.id);

    const base = Date.parse('2026-01-05T10:00:00Z');
    const ev = (room: number, event: string, seconds: number, id?: number) => ({
      emitter: 'janus',
      type: 64,
      timestamp: (base + seconds * 1_000) * 1_000,
      session_id: 1,
      handle_id: id ?? 0,
      event: { plugin: 'janus.plugin.videoroom', data: { event, room, ...(id ? { id } : {}) } },
    });
    // Both in: 30–150 s and 200–230 s, i.e. 150 s: 3 minutes (rounded up per room).
    const practiceEvents = [
      ev(practiceRoom, 'joined', 0, 11),
      ev(practiceRoom, 'joined', 30, 22),
      ev(practiceRoom, 'published', 31, 22),
      ev(practiceRoom, 'leaving', 150, 22),
      ev(practiceRoom, 'joined', 200, 33),
      ev(practiceRoom, 'leaving', 230, 11),
      ev(practiceRoom, 'leaving', 231, 33),
    ];
    const networkEvents = [
      ev(networkRoom, 'joined', 0, 1),
      ev(networkRoom, 'joined', 10, 2),
      ev(networkRoom, 'destroyed', 70),
    ];
    const post = (payload: unknown, secret = media!.deps.eventSecret) =>
      fetch(url + JANUS_EVENTS_PATH, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Basic ' + Buffer.from(`janus:${secret}`).toString('base64'),
        },
        body: JSON.stringify(payload),
      });
    assert.equal((await post(practiceEvents, 'wrong-secret-wrong-secret')).status, 401);
    assert.equal((await post(practiceEvents.slice(0, 4))).status, 200);
    assert.equal((await post([...practiceEvents].reverse())).status, 200, 'out of order, and partly retransmitted');
    assert.equal((await post(practiceEvents)).status, 200, 'retransmitted');
    assert.equal((await post(networkEvents)).status, 200);
    await app.services.usage.settled();

    const usage = (from: number, to: number, token = s.admin.token) =>
      request(
        'GET',
        `/api/v1/practices/${s.practiceId}/usage?from=${new Date(base + from * 1_000).toISOString()}&to=${new Date(base + to * 1_000).toISOString()}`,
        { token },
      );
    const all = await usage(-3600, 3600);
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.calls.map((c: { roomId: number; seconds: number; minutes: number; billed: boolean }) => [
        c.roomId,
        c.seconds,
        c.minutes,
        c.billed,
      ]),
      [[practiceRoom, 150, 3, true]],
      'the My Network call is not the practice’s',
    );
    assert.deepEqual([all.body.minutes, all.body.seconds], [3, 150]);
    const clipped = await usage(60, 3600);
    assert.deepEqual([clipped.body.seconds, clipped.body.minutes], [120, 2], 'only the part inside from–to');
    assert.equal((await usage(-3600, 3600, s.colleague.token)).status, 403, 'admins only');
    assert.equal((await usage(3600, -3600)).status, 400);

    const network = await app.models.UsageEvent.find({ roomId: networkRoom }).lean();
    assert.equal(network.length, 3, 'the My Network call is recorded');
    assert.ok(network.every((e) => e.billed === false && (e.practiceId ?? null) === null));
    assert.equal(await app.models.UsageEvent.countDocuments({ roomId: practiceRoom }), 6, 'each event once');

    for (const call of [practiceCall, networkCall])
      await request('POST', `/api/v1/calls/${call.id}/hangup`, { token: s.colleague.token });
    assert.equal(await control.exists(practiceRoom), false);
    assert.equal(await control.exists(networkRoom), false);
  });
});
