import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { ClientToServerEvents, Message, ServerToClientEvents } from '@clocktree/protocol';
import { Server } from 'socket.io';
import { createLive, type Live, type LiveState, type ResyncInfo } from './live.ts';
import { Session } from './session.ts';
import { apiError, json, MemoryStore, startApi, until, type TestApi } from './test-api.ts';

const USER = { id: '0123456789abcdef01234567', email: 'dana@client.example', name: 'Dana Client', kind: 'client' };
const TID = 'abcdefabcdefabcdefabcdef';
const message: Message = {
  id: 'fedcba9876543210fedcba98',
  seq: 2,
  authorId: null,
  authorName: 'Maple Street Counseling',
  authorRole: 'practice',
  body: 'See you on Monday.',
  createdAt: '2025-01-01T00:00:00.000Z',
  attachments: [],
};

describe('live connection against a real Socket.IO server', () => {
  let api: TestApi;
  let io: Server<ClientToServerEvents, ServerToClientEvents>;
  let liveTokens: Set<string>;
  let forbidden: boolean;
  let issued = 0;
  const open: { session?: Session; live?: Live } = {};

  before(async () => {
    api = await startApi(({ method, url, headers }, res) => {
      const token = headers.authorization?.slice('Bearer '.length);
      if (method === 'POST' && url === '/api/v1/auth/login') {
        const fresh = `token-${++issued}`;
        liveTokens.add(fresh);
        return json(res, 200, { user: USER, token: fresh, idleTimeoutSeconds: 900 });
      }
      if (method === 'POST' && url === '/api/v1/auth/logout') {
        liveTokens.delete(token ?? '');
        return json(res, 204);
      }
      if (token && liveTokens.has(token)) return json(res, 200, { user: USER, memberships: [], clientOf: [] });
      return apiError(res, 401, 'unauthenticated');
    });
    io = new Server(api.server, { path: '/socket.io', serveClient: false });
    // The handshake rules of server/src/realtime/socket.ts: a live token, and an allowed origin.
    io.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      if (typeof token !== 'string' || !liveTokens.has(token)) {
        return next(Object.assign(new Error('Sign in first.'), { data: { code: 'unauthenticated' } }));
      }
      if (forbidden) return next(Object.assign(new Error('Not this site.'), { data: { code: 'forbidden' } }));
      socket.data.token = token;
      next();
    });
    io.on('connection', (socket) => void socket.join('user'));
  });

  after(async () => {
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await api.close();
  });

  beforeEach(() => {
    liveTokens = new Set();
    forbidden = false;
  });

  afterEach(() => {
    open.live?.close();
    open.session?.dispose();
    open.live = open.session = undefined;
  });

  async function connect({ signIn = true } = {}) {
    const session = (open.session = new Session({ baseUrl: api.url, storage: new MemoryStore() }));
    if (signIn) await session.login({ email: USER.email, password: 'irrelevant here' });
    const live = (open.live = createLive({ session, reconnectionDelayMs: 20, reconnectionDelayMaxMs: 50 }));
    const states: LiveState[] = [live.state];
    const resyncs: ResyncInfo[] = [];
    live.onState((state) => states.push(state));
    live.onResync((info) => resyncs.push(info));
    return { session, live, states, resyncs };
  }

  it('connects with the session token, goes online, asks for a resync and delivers pushes', async () => {
    const { live, states, resyncs } = await connect();
    await until(() => live.state === 'online', 3000, 'online');
    assert.deepEqual(states, ['connecting', 'online']);
    assert.deepEqual(resyncs, [{ reconnect: false }]);
    const [server] = io.sockets.sockets.values();
    assert.equal(server?.data.token, 'token-' + issued);
    assert.equal(server?.conn.transport.name, 'websocket', 'WebSocket first');

    const received: unknown[] = [];
    const off = live.on('message:new', (payload) => received.push(payload));
    io.to('user').emit('message:new', { threadId: TID, message, alert: true });
    await until(() => received.length === 1, 3000, 'the push');
    assert.deepEqual(received[0], { threadId: TID, message, alert: true });
    off();
    io.to('user').emit('message:new', { threadId: TID, message, alert: false });
    io.to('user').emit('thread:updated', { thread: {} as never });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(received.length, 1, 'an unsubscribed listener hears nothing more');
  });

  it('after a dropped connection it goes offline, reconnects by itself and asks for a resync', async () => {
    const { live, states, resyncs } = await connect();
    await until(() => live.state === 'online', 3000, 'online');
    for (const socket of await io.fetchSockets()) (socket as unknown as { conn: { close(): void } }).conn.close();
    await until(() => resyncs.length === 2, 3000, 'the resync after reconnecting');
    assert.deepEqual(resyncs, [{ reconnect: false }, { reconnect: true }]);
    assert.deepEqual(states, ['connecting', 'online', 'offline', 'online']);
  });

  it('when the server says pushes were lost (sync:required), it asks for a resync without reconnecting', async () => {
    const { live, states, resyncs } = await connect();
    await until(() => live.state === 'online', 3000, 'online');
    io.emit('sync:required');
    await until(() => resyncs.length === 2, 3000, 'the resync');
    assert.deepEqual(resyncs, [{ reconnect: false }, { reconnect: true }]);
    assert.deepEqual(states, ['connecting', 'online'], 'the connection stayed up');
  });

  it('a handshake refused as unauthenticated ends the session', async () => {
    const { session, live } = await connect();
    liveTokens.clear();
    for (const socket of await io.fetchSockets()) (socket as unknown as { conn: { close(): void } }).conn.close();
    await until(() => live.state === 'signed-out', 3000, 'signed-out');
    assert.equal(session.token, undefined);
  });

  it('when the server ends the socket of a revoked session, the session ends too', async () => {
    const { session, live } = await connect();
    await until(() => live.state === 'online', 3000, 'online');
    liveTokens.clear();
    io.disconnectSockets(true);
    await until(() => live.state === 'signed-out', 3000, 'signed-out');
    assert.equal(session.token, undefined);
  });

  it('when the server ends the socket of a live session, it connects again', async () => {
    const { live, resyncs } = await connect();
    await until(() => live.state === 'online', 3000, 'online');
    io.disconnectSockets(true);
    await until(() => resyncs.length === 2, 3000, 'reconnected');
    assert.equal(live.state, 'online');
  });

  it('a site the account may not use is refused for good, without retrying', async () => {
    forbidden = true;
    const { live } = await connect();
    await until(() => live.state === 'offline', 3000, 'offline');
    assert.equal(live.refusal, 'forbidden');
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(live.state, 'offline');
    assert.equal((await io.fetchSockets()).length, 0);
  });

  it('signing out disconnects; signing in again connects with the new token', async () => {
    const { session, live, states } = await connect();
    await until(() => live.state === 'online', 3000, 'online');
    await session.logout();
    assert.equal(live.state, 'signed-out');
    await until(async () => (await io.fetchSockets()).length === 0);
    await session.login({ email: USER.email, password: 'irrelevant here' });
    await until(() => live.state === 'online', 3000, 'online again');
    assert.deepEqual(states, ['connecting', 'online', 'signed-out', 'connecting', 'online']);
    const sockets = await io.fetchSockets();
    assert.deepEqual(
      sockets.map((s) => s.data.token),
      ['token-' + issued],
    );
  });

  it('without a session it stays signed out and opens nothing', async () => {
    const { live } = await connect({ signIn: false });
    assert.equal(live.state, 'signed-out');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await io.fetchSockets()).length, 0);
  });
});
