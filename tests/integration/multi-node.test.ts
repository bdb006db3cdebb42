// Issue 13: two server processes on one database and one Redis. A client on node A hears what is posted through
// node B; a client whose connection drops comes back on B with what it missed (connection state recovery, stored in
// Redis); node A is SIGKILLed and its clients reconnect to B and miss nothing (re-sync by afterSeq).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ClientToServerEvents, ServerToClientEvents } from '@clocktree/protocol';
import { io as connect, type Socket } from 'socket.io-client';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { online } from '../../server/src/testing/sockets.ts';
import {
  assertNothingLostOrDoubled,
  crashCast,
  eventually,
  liveReader,
  sendAll,
  type CrashCast,
} from '../helpers/crash-load.ts';
import { needsRedis } from '../helpers/redis.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { sharedDeployment } from '../helpers/shared-deployment.ts';

const SENDS = Number(process.env.MULTI_NODE_SENDS ?? 160);

/** What a load balancer does here: one address in front, sending new connections where it is told. */
async function balancer(target: string) {
  let port = Number(new URL(target).port);
  let accepting = true;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!accepting) return client.destroy();
    const upstream = net.connect(port, '127.0.0.1');
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.pipe(upstream).pipe(client);
    for (const side of [client, upstream]) side.on('error', end).on('close', end);
    open.add(client);
    client.on('close', () => open.delete(client));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    /** New connections go to `url` from now on. */
    to(url: string) {
      port = Number(new URL(url).port);
      accepting = true;
    },
    /** Cuts every connection through it and refuses new ones until `to`. */
    cut() {
      accepting = false;
      for (const socket of open) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('two server nodes on one database and one Redis', { skip: await needsRedis() }, () => {
  const deployment = sharedDeployment('multi');
  const env = deployment.env;
  let a: ServerProcess;
  let b: ServerProcess;
  let viaB: Request;
  let cast: CrashCast;
  let front: Awaited<ReturnType<typeof balancer>>;
  const sockets: Client[] = [];

  before(async () => {
    a = await startServerProcess(env);
    b = await startServerProcess(env);
    viaB = httpClient(b.url);
    cast = await crashCast(viaB);
    front = await balancer(a.url);
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await front?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await deployment.remove();
  });

  const post = (body: string, threadId = cast.threadIds[0]!) =>
    viaB('POST', `/api/v1/threads/${threadId}/messages`, {
      token: cast.colleague.token,
      body: { body },
      headers: { 'idempotency-key': `multi-${randomBytes(6).toString('hex')}` },
    });
  const heard = (socket: Client, body: string) =>
    new Promise<void>((resolve) =>
      socket.on('message:new', ({ message }) => {
        if (message.body === body) resolve();
      }),
    );

  test('a client on node A receives message:new for a message posted through node B', async () => {
    const onA = await online(a.url, cast.client.token);
    sockets.push(onA);
    const arrived = heard(onA, 'posted on B');
    assert.equal((await post('posted on B')).status, 201);
    await arrived;
  });

  test('a member on node A hears roster:changed for an invitation sent through node B', async () => {
    const onA = await online(a.url, cast.admin.token);
    sockets.push(onA);
    const invited = new Promise<string>((resolve) => onA.on('roster:changed', (event) => resolve(event.id)));
    const added = await viaB('POST', `/api/v1/practices/${cast.practiceId}/clients`, {
      token: cast.colleague.token,
      body: { email: `multi.${randomBytes(4).toString('hex')}@example.test`, name: 'Across Nodes' },
    });
    assert.equal(added.status, 201);
    assert.equal(await invited, added.body.client.id);
  });

  test('a dropped client reconnects to node B and is recovered with what it missed meanwhile', async () => {
    const socket: Client = connect(front.url, {
      auth: { token: cast.client.token },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 200,
    });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const first = heard(socket, 'before the drop');
    await post('before the drop');
    await first; // it now holds an offset in the stream

    front.cut();
    await eventually(() => !socket.connected, 5_000, 'the client to see the drop');
    await new Promise((resolve) => setTimeout(resolve, 300)); // node A saves the session in Redis
    const missed = ['missed 1', 'missed 2', 'missed 3'];
    const all = Promise.all(missed.map((body) => heard(socket, body)));
    for (const body of missed) assert.equal((await post(body)).status, 201);
    front.to(b.url);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    assert.equal(socket.recovered, true, 'node B restored the session node A saved');
    await all;
  });

  test(`node A is SIGKILLed under ${SENDS} sends through B: its client reconnects to B and misses nothing`, async () => {
    front.to(a.url);
    const load = await crashCast(viaB); // threads of their own: the posts above are not counted
    const reader = await liveReader(front.url, load.admin, load.threadIds);
    let killed: Promise<void> | undefined;
    let pushesBeforeKill = 0;
    const tally = await sendAll(b.url, load, SENDS, (acked) => {
      if (killed || acked < SENDS / 3) return;
      pushesBeforeKill = reader.counts.pushes;
      killed = a.kill().then(() => front.to(b.url));
    });
    await killed;
    assert.ok(pushesBeforeKill > 0, 'pushes from B reached the reader on A before the kill');
    await assertNothingLostOrDoubled(viaB, load, tally, SENDS, reader);
    assert.ok(reader.counts.resyncs >= 1, 're-synced after reconnecting to B');
    assert.ok(reader.counts.pushes > pushesBeforeKill, 'pushes reach it on B after the kill');
    reader.close();
  });
});
