// The media orchestrator against a real Janus (Debian's package) in a network namespace of its own, and a real
// database. Every check of what Janus holds or admits goes through Janus's own API, never only through ours.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Koa, { type Middleware } from 'koa';
import mongoose, { Types, type Connection } from 'mongoose';
import { ManualClock } from '../../server/src/clock.ts';
import { connectDatabase } from '../../server/src/database.ts';
import { envelope, practiceKeyModel, type Envelope } from '../../server/src/crypto/envelope.ts';
import { ApiError } from '../../server/src/http/api-error.ts';
import { errorHandler } from '../../server/src/http/error-handler.ts';
import { createLogger } from '../../server/src/logger.ts';
import {
  JanusError,
  VIDEOROOM_ERROR,
  VideoRoomControl,
  type JanusSession,
} from '../../server/src/modules/media/janus-client.ts';
import { JANUS_EVENTS_PATH, janusEvents } from '../../server/src/modules/media/janus-events.ts';
import { mediaRoomModel, type MediaRoomDoc } from '../../server/src/modules/media/media-room.model.ts';
import {
  mediaService,
  NETWORK_KEY_SCOPE,
  type MediaService,
  type RoomCredentials,
  type RoomEvent,
} from '../../server/src/modules/media/media.service.ts';
import { JANUS_BIN, startJanusInNetns, type JanusInNetns } from '../helpers/janus-netns.ts';
import { joinAsPublisher } from '../helpers/janus-join.ts';
import { unmet } from '../helpers/prerequisites.ts';

const skip = unmet([
  [Boolean(process.env.MONGODB_URI), 'MONGODB_URI is not set (run through `npm test`)'],
  [fs.existsSync(JANUS_BIN), `${JANUS_BIN} is not installed`],
]);

const MINUTE = 60_000;
const oid = () => String(new Types.ObjectId());
const ms = (started: number) => Math.round((performance.now() - started) * 10) / 10;

describe('media orchestrator with a real Janus', { skip }, () => {
  let db: Connection;
  let janus: JanusInNetns | undefined;
  let events: Server | undefined;
  let media: MediaService;
  let admin: VideoRoomControl;
  let crypto: Envelope;
  let MediaRoom: ReturnType<typeof mediaRoomModel>;
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  const logLines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
  const eventSecret = randomBytes(24).toString('hex');
  const received: RoomEvent[] = [];
  const sessions: JanusSession[] = [];
  const timings = { open: [] as number[], close: [] as number[] };
  let route: Middleware = (_ctx, next) => next();

  /** Joins the room as a publisher exactly as a browser's janus.js would, and returns Janus's verdict. */
  const join = (creds: Partial<RoomCredentials> & { roomId: number }) =>
    joinAsPublisher(janus!.httpUrl, creds, sessions);

  async function open(
    callId: string,
    participants: string[],
    extra: { practiceId?: string | null; endsAt?: Date } = {},
  ) {
    const started = performance.now();
    const room = await media.openRoom({ callId, practiceId: extra.practiceId ?? oid(), participants, ...extra });
    timings.open.push(ms(started));
    return room;
  }

  async function close(callId: string) {
    const started = performance.now();
    await media.closeRoom(callId);
    timings.close.push(ms(started));
  }

  const janusRooms = async () => new Map((await admin.list()).map((r) => [r.room, r]));
  const doc = (callId: string) => MediaRoom.findOne({ callId }).sort({ createdAt: -1, _id: -1 }).lean<MediaRoomDoc>();

  async function secretsOf(room: MediaRoomDoc) {
    const scope = room.practiceId ? String(room.practiceId) : NETWORK_KEY_SCOPE;
    return JSON.parse(await crypto.decryptText(scope, room.secretsEnc)) as { secret: string; pin: string };
  }

  async function until(condition: () => boolean, what: string, timeoutMs = 5_000) {
    const end = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  before(async () => {
    db = await connectDatabase(process.env.MONGODB_URI!, { dbName: `ct_janus_${randomBytes(6).toString('hex')}` });
    MediaRoom = mediaRoomModel(db);
    const Keys = practiceKeyModel(db);
    await Promise.all([MediaRoom.createIndexes(), Keys.createIndexes()]);
    crypto = envelope(Keys, randomBytes(32));

    janus = await startJanusInNetns({
      eventSecret,
      // Our event endpoint listens on our end of the veth: the one address of ours that Janus can reach.
      eventHandlerUrl: async (hostAddress) => {
        const app = new Koa();
        app.use(errorHandler(logger));
        app.use((ctx, next) => route(ctx, next));
        events = createServer(app.callback());
        await new Promise<void>((resolve) => events!.listen(0, hostAddress, resolve));
        return `http://${hostAddress}:${(events.address() as AddressInfo).port}${JANUS_EVENTS_PATH}`;
      },
    });
    console.log(`Janus ${janus.httpUrl} answered ${Math.round(janus.startMs)} ms after spawn`);
    media = mediaService(
      { MediaRoom, crypto, clock, logger },
      { instances: [{ url: janus.httpUrl, adminKey: janus.adminKey }] },
    );
    route = janusEvents(media, eventSecret);
    media.onRoomEvent((e) => received.push(e));
    admin = new VideoRoomControl(janus.httpUrl, janus.adminKey);
  });

  after(async () => {
    const avg = (xs: number[]) => (xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1) : '-');
    const janusMs = (msg: string) =>
      logLines
        .map((l) => JSON.parse(l) as { msg: string; ms?: number })
        .filter((l) => l.msg === msg)
        .map((l) => l.ms!);
    console.log(
      `Janus alone: create ${JSON.stringify(janusMs('media room opened'))} ms, ` +
        `destroy ${JSON.stringify(janusMs('media room destroyed'))} ms`,
    );
    console.log(
      `openRoom ${timings.open.length}× avg ${avg(timings.open)} ms (max ${Math.max(...timings.open)}), ` +
        `closeRoom ${timings.close.length}× avg ${avg(timings.close)} ms (max ${Math.max(...timings.close)})`,
    );
    for (const session of sessions) await session.destroy().catch(() => {});
    await media?.stop().catch(() => {});
    await admin?.close().catch(() => {});
    await new Promise((resolve) => (events ? events.close(resolve) : resolve(undefined)));
    await janus?.stop();
    await db?.dropDatabase().catch(() => {});
    await db?.close();
  });

  test('opens a private room that only Janus with the admin key lists, and seals its secrets', async () => {
    const [a, b] = [oid(), oid()];
    const room = await open('call-open', [a, b]);
    assert.equal(room.instanceUrl, janus!.httpUrl);

    const listed = (await janusRooms()).get(room.roomId);
    assert.ok(listed, 'Janus lists the room to the admin key');
    assert.equal(listed.is_private, true);
    assert.equal(listed.pin_required, true);
    assert.equal(listed.max_publishers, 2);
    const anonymous = new VideoRoomControl(janus!.httpUrl, undefined);
    try {
      assert.equal((await anonymous.list()).length, 0, 'private rooms are hidden without the admin key');
      await assert.rejects(
        anonymous.create({ room: 42, secret: 'x', pin: 'y', allowed: [] }),
        (err: JanusError) => err.code === VIDEOROOM_ERROR.MISSING_ELEMENT,
        'nobody creates rooms without the admin key',
      );
    } finally {
      await anonymous.close();
    }

    assert.deepEqual(await open('call-open', [a, b]), room, 'a second open returns the same room');
    assert.equal(await MediaRoom.countDocuments({ callId: 'call-open' }), 1);

    const creds = await media.credentialsFor('call-open', a);
    // The stored document's bytes, as the database holds them.
    const raw = Buffer.from(
      mongoose.mongo.BSON.serialize((await db.collection('media_rooms').findOne({ callId: 'call-open' }))!),
    );
    for (const value of [creds.pin, creds.token])
      assert.equal(raw.includes(value), false, 'no pin or token is stored in the clear');
    assert.equal(raw.includes((await secretsOf((await doc('call-open'))!)).secret), false, 'nor the room secret');
    await close('call-open');
  });

  test('Janus refuses a wrong token or pin, admits the right ones, and a revoked token stops working', async () => {
    const [a, b, outsider] = [oid(), oid(), oid()];
    const room = await open('call-access', [a, b]);
    const credsA = await media.credentialsFor('call-access', a);
    const credsB = await media.credentialsFor('call-access', b);
    assert.notEqual(credsA.token, credsB.token, 'one token per participant');
    assert.equal(credsA.pin, credsB.pin);
    await assert.rejects(media.credentialsFor('call-access', outsider), (e: ApiError) => e.status === 403);
    await assert.rejects(media.credentialsFor('no-such-call', a), (e: ApiError) => e.status === 404);

    const unauthorized = VIDEOROOM_ERROR.UNAUTHORIZED;
    assert.equal((await join({ ...credsA, token: randomBytes(24).toString('base64url') })).code, unauthorized);
    assert.equal((await join({ ...credsA, pin: 'wrong-pin' })).code, unauthorized);
    assert.equal((await join({ roomId: room.roomId, pin: credsA.pin })).code, unauthorized, 'no token');
    assert.equal((await join({ roomId: room.roomId, token: credsA.token })).code, VIDEOROOM_ERROR.MISSING_ELEMENT);
    assert.equal((await janusRooms()).get(room.roomId)?.num_participants, 0, 'nobody got in');

    const started = performance.now();
    const inA = await join(credsA);
    console.log(`join with the right token and pin: ${ms(started)} ms (session + attach + join)`);
    assert.equal(inA.joined, true);
    assert.equal((await join(credsB)).joined, true);
    assert.equal((await janusRooms()).get(room.roomId)?.num_participants, 2);

    // Janus's event handler told us, over the veth, with the shared secret.
    await until(
      () => received.filter((e) => e.callId === 'call-access' && e.event === 'joined').length === 2,
      'two joined events',
    );
    const unauthenticated = await fetch(
      `http://${janus!.hostAddress}:${(events!.address() as AddressInfo).port}${JANUS_EVENTS_PATH}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Basic ' + Buffer.from('janus:wrong').toString('base64'),
        },
        body: '[]',
      },
    );
    assert.equal(unauthenticated.status, 401, 'the event endpoint wants the shared secret');

    assert.equal(await media.revokeParticipant('call-access', b), 2, 'everyone is kicked');
    assert.equal((await janusRooms()).get(room.roomId)?.num_participants, 0);
    assert.equal((await join(credsB)).code, unauthorized, 'the revoked token no longer opens the room');
    await assert.rejects(media.credentialsFor('call-access', b), (e: ApiError) => e.status === 403);
    assert.equal((await join(credsA)).joined, true, 'the other participant rejoins');
    await close('call-access');
  });

  test('closing destroys the room on Janus, is idempotent, and a later open gets a new room', async () => {
    const [a, b] = [oid(), oid()];
    const room = await open('call-close', [a, b], { practiceId: null });
    assert.equal((await doc('call-close'))?.practiceId, null, 'a My Network room');
    await close('call-close');
    assert.equal(await admin.exists(room.roomId), false, 'Janus no longer has it');
    assert.equal((await janusRooms()).has(room.roomId), false);
    const closed = await doc('call-close');
    assert.equal(closed?.state, 'closed');
    assert.equal(closed?.closeReason, 'hangup');
    await close('call-close');
    await assert.rejects(media.credentialsFor('call-close', a), (e: ApiError) => e.status === 404);

    const again = await open('call-close', [a, b], { practiceId: null });
    assert.notEqual(again.roomId, room.roomId);
    assert.equal(await admin.exists(again.roomId), true);
    await close('call-close');
    assert.equal(await admin.exists(again.roomId), false);
  });

  test('sweep: idle rooms after 10 minutes, rooms past their end, rooms Janus lost, creates that never finished', async () => {
    const [a, b] = [oid(), oid()];
    const idle = await open('sweep-idle', [a, b]);
    const ended = await open('sweep-ended', [a, b], { endsAt: new Date(clock.now().getTime() + 10 * MINUTE) });
    const occupied = await open('sweep-occupied', [a, b]);
    const lost = await open('sweep-lost', [a, b]);
    const unfinished = await open('sweep-unfinished', [a, b]);
    assert.equal((await join(await media.credentialsFor('sweep-occupied', a))).joined, true);
    // Janus loses a room (as when it restarts): destroyed behind our back.
    const lostDoc = (await doc('sweep-lost'))!;
    assert.equal(await admin.destroy(lost.roomId, (await secretsOf(lostDoc)).secret), true);
    // A node died between writing the record and hearing back from Janus.
    await MediaRoom.updateOne({ callId: 'sweep-unfinished' }, { $set: { state: 'creating' } });

    clock.advance(9 * MINUTE);
    let swept = await media.sweep();
    assert.deepEqual(
      { idle: swept.idle, ended: swept.ended, gone: swept.gone, destroyed: swept.destroyed },
      { idle: 0, ended: 0, gone: 1, destroyed: 1 },
    );
    let onJanus = await janusRooms();
    assert.ok(onJanus.has(idle.roomId) && onJanus.has(ended.roomId) && onJanus.has(occupied.roomId));
    assert.equal(onJanus.has(unfinished.roomId), false, 'the unfinished create was destroyed');
    assert.equal((await doc('sweep-lost'))?.closeReason, 'gone');
    assert.equal((await doc('sweep-unfinished'))?.state, 'closed');

    clock.advance(2 * MINUTE);
    swept = await media.sweep();
    assert.deepEqual(
      { idle: swept.idle, ended: swept.ended, destroyed: swept.destroyed },
      { idle: 1, ended: 1, destroyed: 2 },
    );
    onJanus = await janusRooms();
    assert.equal(onJanus.has(idle.roomId), false, 'idle for 11 minutes: destroyed');
    assert.equal(onJanus.has(ended.roomId), false, 'past its end: destroyed');
    assert.equal(onJanus.has(occupied.roomId), true, 'someone is in it: kept');
    assert.equal((await doc('sweep-idle'))?.closeReason, 'idle');
    assert.equal((await doc('sweep-ended'))?.closeReason, 'ended');
    assert.equal((await doc('sweep-occupied'))?.lastSeenAt.getTime(), clock.now().getTime());

    clock.advance(30 * MINUTE);
    assert.equal((await media.sweep()).idle, 0, 'occupied rooms never go idle');
    await close('sweep-occupied');
    assert.equal(await admin.exists(occupied.roomId), false);
  });

  test('a Janus that refuses connections is skipped for the next instance', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/janus`;
    await new Promise((resolve) => probe.close(resolve));
    const both = mediaService(
      { MediaRoom, crypto, clock, logger },
      {
        instances: [
          { url: deadUrl, adminKey: 'unused' },
          { url: janus!.httpUrl, adminKey: janus!.adminKey },
        ],
      },
    );
    try {
      // One room on the real Janus (opened by the other service: this one has not met the dead instance yet)
      // makes the dead instance, with no rooms, the least loaded.
      await open('failover-busy', [oid()]);
      const room = await both.openRoom({ callId: 'failover', practiceId: oid(), participants: [oid(), oid()] });
      assert.equal(room.instanceUrl, janus!.httpUrl);
      assert.equal(await admin.exists(room.roomId), true);
      const attempts = await MediaRoom.find({ callId: 'failover' }).lean<MediaRoomDoc[]>();
      assert.deepEqual(
        attempts.map((d) => [d.instanceUrl, d.state, d.closeReason]).sort(),
        [
          [deadUrl, 'closed', 'unreachable'],
          [janus!.httpUrl, 'open', null],
        ].sort(),
      );
      await both.closeRoom('failover');
      await close('failover-busy');
      assert.equal((await janusRooms()).size, 0, 'nothing is left on Janus');
    } finally {
      await both.stop();
    }
  });
});

describe(
  'control sessions with a real Janus',
  { skip: unmet([[fs.existsSync(JANUS_BIN), `${JANUS_BIN} is not installed`]]) },
  () => {
    let janus: JanusInNetns | undefined;
    after(() => janus?.stop());

    /** Janus's own count of its sessions, through its admin API. */
    async function sessionCount(): Promise<number> {
      const res = await fetch(janus!.adminUrl, {
        method: 'POST',
        body: JSON.stringify({ janus: 'list_sessions', transaction: 'count', admin_secret: janus!.adminSecret }),
      });
      return ((await res.json()) as { sessions: number[] }).sessions.length;
    }

    test('keepalives hold the session; a session Janus dropped is replaced without failing the request', async () => {
      janus = await startJanusInNetns({ sessionTimeoutSeconds: 1 });
      const kept = new VideoRoomControl(janus.httpUrl, janus.adminKey, { keepaliveMs: 300 });
      const dropped = new VideoRoomControl(janus.httpUrl, janus.adminKey, { keepaliveMs: 3_600_000 });
      try {
        await kept.create({ room: 7001, secret: 's', pin: 'p', allowed: ['t'] });
        assert.deepEqual(
          (await dropped.list()).map((r) => r.room),
          [7001],
        );
        assert.equal(await sessionCount(), 2);
        // Janus's watchdog drops sessions idle longer than the timeout (seen here: within about 6 s).
        const started = Date.now();
        while ((await sessionCount()) > 1 && Date.now() - started < 15_000)
          await new Promise((resolve) => setTimeout(resolve, 250));
        assert.equal(await sessionCount(), 1, 'only the kept-alive session survived');
        assert.deepEqual(
          (await dropped.list()).map((r) => r.room),
          [7001],
          'the request went through a new session',
        );
        assert.equal(await sessionCount(), 2);
        assert.equal(await kept.destroy(7001, 's'), true);
      } finally {
        await kept.close();
        await dropped.close();
      }
      assert.equal(await sessionCount(), 0, 'close() ends the sessions');
    });
  },
);
