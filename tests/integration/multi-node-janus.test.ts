// Issue 13: two Janus instances (Debian's, each in a network namespace of its own). Rooms spread over both; one is
// killed; new calls go to the other, and a call whose room was on the dead one hears `media-lost` and, joining
// again, gets a room on the survivor. What Janus holds is checked through Janus's own API. Through the whole server,
// both parties of a call on the dead Janus hear `call:media-lost` over Socket.IO, and joining again puts them together
// in a room on the survivor; the parties of a call on the survivor hear nothing. Through two server processes on one
// Redis, with the two parties of each call connected to different nodes, each party hears `call:media-lost` once:
// when one node finds the loss (the other party hears it through Redis), and when both find it at the same moment.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { CallMediaLostEvent, JoinResult } from '@clocktree/protocol';
import { Types, type Connection } from 'mongoose';
import { ManualClock } from '../../server/src/clock.ts';
import { envelope, practiceKeyModel } from '../../server/src/crypto/envelope.ts';
import { connectDatabase } from '../../server/src/database.ts';
import { createLogger } from '../../server/src/logger.ts';
import { VideoRoomControl } from '../../server/src/modules/media/janus-client.ts';
import { mediaRoomModel } from '../../server/src/modules/media/media-room.model.ts';
import {
  MEDIA_LOST,
  mediaService,
  type MediaService,
  type RoomEvent,
} from '../../server/src/modules/media/media.service.ts';
import { addClient, addMember, practiceWithStaff, register, type Account } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { online, type ClientSocket } from '../../server/src/testing/sockets.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { JANUS_BIN, startJanusInNetns, type JanusInNetns } from '../helpers/janus-netns.ts';
import { eventually } from '../helpers/crash-load.ts';
import { unmet } from '../helpers/prerequisites.ts';
import { needsRedis } from '../helpers/redis.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { sharedDeployment } from '../helpers/shared-deployment.ts';

const skip = unmet([
  [Boolean(process.env.MONGODB_URI), 'MONGODB_URI is not set (run through `npm test`)'],
  [fs.existsSync(JANUS_BIN), `${JANUS_BIN} is not installed`],
]);
const oid = () => String(new Types.ObjectId());

describe('two Janus instances, one of them killed', { skip }, () => {
  let db: Connection;
  const janus: JanusInNetns[] = [];
  let media: MediaService;
  const heard: RoomEvent[] = [];
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));

  before(async () => {
    db = await connectDatabase(process.env.MONGODB_URI!, { dbName: `ct_janus2_${randomBytes(6).toString('hex')}` });
    const MediaRoom = mediaRoomModel(db);
    const Keys = practiceKeyModel(db);
    await Promise.all([MediaRoom.createIndexes(), Keys.createIndexes()]);
    for (let i = 0; i < 2; i++) janus.push(await startJanusInNetns());
    media = mediaService(
      { MediaRoom, crypto: envelope(Keys, randomBytes(32)), clock, logger: createLogger('silent') },
      { instances: janus.map((j) => ({ url: j.httpUrl, adminKey: j.adminKey })) },
    );
    media.onRoomEvent((e) => heard.push(e));
  });
  after(async () => {
    await media?.stop();
    await Promise.all(janus.map((j) => j.stop()));
    await db?.dropDatabase();
    await db?.close();
  });

  const open = (callId: string) => media.openRoom({ callId, practiceId: oid(), participants: [oid(), oid()] });
  const roomsOn = async (j: JanusInNetns) =>
    new Set((await new VideoRoomControl(j.httpUrl, j.adminKey).list()).map((r) => r.room));

  test('rooms spread over both; after one dies, new calls and the lost call rejoin on the survivor', async () => {
    const calls = Array.from({ length: 4 }, () => oid());
    const rooms: { roomId: number }[] = [];
    for (const callId of calls) rooms.push(await open(callId));
    const [first, second] = [await roomsOn(janus[0]!), await roomsOn(janus[1]!)];
    assert.equal(first.size, 2, 'two rooms on the first Janus');
    assert.equal(second.size, 2, 'two rooms on the second Janus');

    // The first Janus dies (SIGKILL: no goodbye); its address stays and refuses connections.
    process.kill(janus[0]!.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const lostCall = calls.find((_, i) => first.has(rooms[i]!.roomId))!;
    const rejoined = await open(lostCall);
    const survivor = await roomsOn(janus[1]!);
    assert.ok(survivor.has(rejoined.roomId), 'the lost call rejoins in a room on the surviving Janus');
    assert.ok(
      heard.some((e) => e.callId === lostCall && e.event === MEDIA_LOST),
      'the call heard that its media was lost',
    );

    for (let i = 0; i < 3; i++) {
      const fresh = await open(oid());
      assert.ok((await roomsOn(janus[1]!)).has(fresh.roomId), 'a new call goes to the surviving Janus');
    }

    // The other call of the dead Janus hears it at the next sweep, before anyone joins again.
    const other = calls.find((c, i) => c !== lostCall && first.has(rooms[i]!.roomId))!;
    const swept = await media.sweep();
    assert.deepEqual(swept.unreachable, [janus[0]!.httpUrl]);
    assert.ok(
      heard.some((e) => e.callId === other && e.event === MEDIA_LOST),
      'the sweep reports the other loss',
    );
    // Calls on the survivor were not touched.
    const kept = calls.filter((_, i) => second.has(rooms[i]!.roomId));
    for (const callId of kept) assert.ok(!heard.some((e) => e.callId === callId), 'calls on the survivor go on');
  });
});

describe('through the server: a call whose Janus died hears it and rejoins on the other', { skip }, () => {
  const janus: JanusInNetns[] = [];
  let server: TestServer;
  let request: Request;
  const sockets: ClientSocket[] = [];

  before(async () => {
    for (let i = 0; i < 2; i++) janus.push(await startJanusInNetns());
    server = await startTestServer({
      janus: {
        instances: janus.map((j) => ({ url: j.httpUrl, adminKey: j.adminKey })),
        eventSecret: randomBytes(16).toString('hex'),
      },
    });
    request = httpClient(server.url);
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await server?.close();
    await Promise.all(janus.map((j) => j.stop()));
  });

  /** An answered call between a colleague and a client of a practice of their own, both in its room. */
  async function answeredCall() {
    const s = await practiceWithStaff(request);
    const call = (
      await request('POST', '/api/v1/calls', {
        token: s.colleague.token,
        body: { practiceId: s.practiceId, clientId: s.client.id },
      })
    ).body.call as { id: string };
    assert.equal((await request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token })).status, 200);
    const join = (token: string) => request<JoinResult>('POST', `/api/v1/calls/${call.id}/join`, { token });
    const joined = await join(s.colleague.token);
    assert.equal(joined.status, 200);
    assert.equal((await join(s.client.token)).body.roomId, joined.body.roomId);
    const heard = new Map<string, CallMediaLostEvent[]>();
    for (const person of [s.colleague, s.client]) {
      const socket = await online(server.url, person.token);
      sockets.push(socket);
      heard.set(person.id, []);
      socket.on('call:media-lost', (event) => heard.get(person.id)!.push(event));
    }
    return { s, callId: call.id, join, creds: joined.body, heard };
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  test('both parties hear call:media-lost; joining again lands both in one room on the surviving Janus', async () => {
    const a = await answeredCall();
    const b = await answeredCall();
    assert.notEqual(a.creds.instanceUrl, b.creds.instanceUrl, 'the two calls are on different Janus instances');
    const dead = janus.find((j) => j.httpUrl === a.creds.instanceUrl)!;
    const survivor = janus.find((j) => j !== dead)!;

    process.kill(dead.pid, 'SIGKILL');
    await settle();
    // Nobody has noticed yet: the minute sweep finds the instance gone and tells the call.
    const swept = await server.app.jobs.mediaSweep();
    assert.deepEqual((swept as { unreachable: string[] }).unreachable, [dead.httpUrl]);
    await settle();

    for (const person of [a.s.colleague, a.s.client])
      assert.deepEqual(
        a.heard.get(person.id),
        [{ callId: a.callId, appointmentId: null }],
        'each party of the lost call hears it once',
      );
    for (const [, events] of b.heard) assert.deepEqual(events, [], 'the call on the surviving Janus is not told');

    const client = await a.join(a.s.client.token);
    assert.equal(client.status, 200);
    assert.equal(client.body.instanceUrl, survivor.httpUrl, 'the rejoin is answered with the surviving Janus');
    assert.notEqual(client.body.roomId, a.creds.roomId);
    const colleague = await a.join(a.s.colleague.token);
    assert.equal(colleague.body.roomId, client.body.roomId, 'both parties meet in the same new room');
    const onSurvivor = await new VideoRoomControl(survivor.httpUrl, survivor.adminKey).list();
    assert.ok(
      onSurvivor.some((r) => r.room === client.body.roomId),
      'Janus itself has the new room on the survivor',
    );
    await settle();
    for (const person of [a.s.colleague, a.s.client])
      assert.equal(a.heard.get(person.id)!.length, 1, 'rejoining does not raise the loss again');

    // A hung-up call is not told of a loss: its room was closed on purpose.
    assert.equal((await request('POST', `/api/v1/calls/${a.callId}/hangup`, { token: a.s.client.token })).status, 200);
    assert.equal(await server.app.services.calls.mediaLost(`call:${a.callId}`), false);
  });
});

const LOST_CALLS = Number(process.env.MULTI_NODE_LOST_CALLS ?? 4);
type Staff = Awaited<ReturnType<typeof practiceWithStaff>>;

const across = 'two server nodes on one Redis: a Janus dies under calls whose parties are on different nodes';
describe(across, { skip: skip || (await needsRedis()) }, () => {
  const janus: JanusInNetns[] = [];
  const deployment = sharedDeployment('janus_nodes');
  const adminKey = randomBytes(24).toString('hex');
  const nodes: ServerProcess[] = [];
  const sockets: ClientSocket[] = [];

  before(async () => {
    for (let i = 0; i < 2; i++) janus.push(await startJanusInNetns({ adminKey }));
    const env = {
      ...deployment.env,
      JANUS_URLS: janus.map((j) => j.httpUrl).join(','),
      JANUS_ADMIN_KEY: adminKey,
      JANUS_EVENT_SECRET: randomBytes(16).toString('hex'),
    };
    // One after the other: both would set up the same new database at once.
    for (let i = 0; i < 2; i++) nodes.push(await startServerProcess(env));
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all(janus.map((j) => j.stop()));
    await deployment.remove();
  });

  /**
   * An answered call whose colleague uses node A and whose client uses node B (REST and Socket.IO alike), both in
   * its room; every `call:media-lost` each of them hears is kept. Each call has a pair of its own, all in one
   * practice: the server's limit of 20 registrations an hour from one address allows no more.
   */
  async function callAcrossNodes(s: Staff, pair: number) {
    const [viaA, viaB] = nodes.map((n) => httpClient(n.url)) as [Request, Request];
    const colleague = pair === 0 ? s.colleague : await register(viaA, 'professional');
    const client = pair === 0 ? s.client : await register(viaB, 'client');
    if (pair > 0) {
      await addMember(viaA, s.practiceId, s.admin, colleague);
      await addClient(viaA, s.practiceId, s.admin, client);
    }
    const parties: [Account, Request, ServerProcess][] = [
      [colleague, viaA, nodes[0]!],
      [client, viaB, nodes[1]!],
    ];
    const call = (
      await viaA('POST', '/api/v1/calls', {
        token: colleague.token,
        body: { practiceId: s.practiceId, clientId: client.id },
      })
    ).body.call as { id: string };
    assert.equal((await viaB('POST', `/api/v1/calls/${call.id}/answer`, { token: client.token })).status, 200);
    const heard = new Map<string, CallMediaLostEvent[]>();
    for (const [person, , node] of parties) {
      const socket = await online(node.url, person.token);
      sockets.push(socket);
      heard.set(person.id, []);
      socket.on('call:media-lost', (event) => heard.get(person.id)!.push(event));
    }
    /** The parties at `who` (0: the colleague, 1: the client) join (again) at once, each through its own node. */
    const join = (who: number[] = [0, 1]) =>
      Promise.all(
        who.map((i) => {
          const [person, request] = parties[i]!;
          return request<JoinResult>('POST', `/api/v1/calls/${call.id}/join`, { token: person.token });
        }),
      );
    const [first, second] = await join();
    assert.equal(first!.status, 200);
    assert.equal(second!.body.roomId, first!.body.roomId, 'both in one room');
    return { callId: call.id, parties, heard, join, instanceUrl: first!.body.instanceUrl };
  }
  type CallAcrossNodes = Awaited<ReturnType<typeof callAcrossNodes>>;

  const settle = (ms = 500) => new Promise((resolve) => setTimeout(resolve, ms));

  test(`${LOST_CALLS} calls lose their Janus: each party, on either node, hears call:media-lost once`, async () => {
    const staff = await practiceWithStaff(httpClient(nodes[0]!.url));
    const calls: CallAcrossNodes[] = [];
    for (let pair = 0; pair < 2 * LOST_CALLS; pair++) calls.push(await callAcrossNodes(staff, pair));
    const [dead, survivor] = janus as [JanusInNetns, JanusInNetns];
    const lost = calls.filter((c) => c.instanceUrl === dead.httpUrl);
    const kept = calls.filter((c) => c.instanceUrl === survivor.httpUrl);
    assert.deepEqual([lost.length, kept.length], [LOST_CALLS, LOST_CALLS], 'rooms spread evenly over both Janus');

    process.kill(dead.pid, 'SIGKILL');
    await settle(300);
    const heardBy = (c: CallAcrossNodes) => c.parties.map(([person]) => c.heard.get(person.id)!);
    const answeredBySurvivor = (answers: { status: number; body: JoinResult }[]) => {
      assert.deepEqual(
        answers.map((a) => [a.status, a.body.instanceUrl]),
        answers.map(() => [200, survivor.httpUrl]),
        'the rejoin is answered with the surviving Janus',
      );
      return answers.map((a) => a.body.roomId);
    };
    const half = Math.ceil(LOST_CALLS / 2);
    // One page finds the loss first, through its node; the other party, on the other node, hears it from there.
    for (const [k, c] of lost.slice(0, half).entries()) {
      const finder = k % 2;
      const [found] = answeredBySurvivor(await c.join([finder]));
      await eventually(() => heardBy(c)[1 - finder]!.length > 0, 10_000, 'the other node’s party to hear the loss');
      const [other] = answeredBySurvivor(await c.join([1 - finder]));
      assert.equal(other, found, 'both meet in one new room');
    }
    // Both pages of a call find it at the same moment, each through its own node: both nodes see the room gone.
    for (const answers of await Promise.all(lost.slice(half).map((c) => c.join()))) {
      const [colleague, client] = answeredBySurvivor(answers);
      assert.equal(colleague, client, 'both meet in one new room');
    }
    await settle(1_000);

    const once = (c: CallAcrossNodes) => [
      [{ callId: c.callId, appointmentId: null }],
      [{ callId: c.callId, appointmentId: null }],
    ];
    for (const c of lost)
      assert.deepEqual(heardBy(c), once(c), 'the colleague on node A and the client on node B each heard it once');
    for (const c of kept) assert.deepEqual(heardBy(c), [[], []], 'calls on the surviving Janus are not told');
  });
});
