import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ClientToServerEvents, ServerToClientEvents } from '@clocktree/protocol';
import { io as connect, type Socket } from 'socket.io-client';
import { practiceOnSite, practiceWithStaff, signIn } from '../testing/fixtures.ts';
import { useTestServer } from '../testing/test-server.ts';
import { userRoom } from './rooms.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects over WebSocket only and settles with the socket, or with the server's refusal. */
function open(url: string, token: string | undefined, origin?: string) {
  const socket: ClientSocket = connect(url, {
    auth: token ? { token } : {},
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: origin ? { origin } : {},
  });
  return new Promise<{ socket: ClientSocket; error?: Error & { data?: { code: string } } }>((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ socket, error });
    });
  });
}

describe('Socket.IO handshake', () => {
  const t = useTestServer();
  let staff: Awaited<ReturnType<typeof practiceWithStaff>>;
  before(async () => {
    staff = await practiceOnSite(t.request, 'https://harbor-therapy.example');
  });

  test('a live token connects and receives what the server sends to that user', async () => {
    const { socket, error } = await open(t.server.url, staff.colleague.token);
    assert.equal(error, undefined);
    const received = new Promise((resolve) => socket.once('call:ended', resolve));
    t.server.app.io
      .to(userRoom(staff.colleague.id))
      .emit('call:ended', { callId: 'c1', reason: 'hangup', appointmentId: null });
    assert.deepEqual(await received, { callId: 'c1', reason: 'hangup', appointmentId: null });
    socket.close();
  });

  test('no token, a made-up token or a revoked token is refused with unauthenticated', async () => {
    const revoked = await practiceWithStaff(t.request);
    await t.request('POST', '/api/v1/auth/logout', { token: revoked.client.token });
    for (const token of [undefined, 'x'.repeat(43), revoked.client.token]) {
      const { error } = await open(t.server.url, token);
      assert.equal(error?.data?.code, 'unauthenticated');
    }
  });

  // Changed on purpose (issue 8, section 2): the Origin must be the one the session was signed in from; a session of
  // a site that lists it connects even for someone unrelated, and then carries only that site's practices' events
  // (realtime/origin-rooms.test.ts shows what it hears).
  test('Origin must be the one the session was signed in from', async () => {
    const site = 'https://harbor-therapy.example';
    const onSite = await signIn(t.request, staff.client, site);
    const allowed = await open(t.server.url, onSite, site);
    assert.equal(allowed.error, undefined);
    allowed.socket.close();
    const stranger = await open(t.server.url, onSite, 'https://evil.example');
    assert.ok(stranger.error);
    const scripted = await open(t.server.url, staff.client.token, site);
    assert.equal(scripted.error?.data?.code, 'unauthenticated', 'a token signed in without Origin, from a page');
    const own = await open(t.server.url, onSite, t.server.url);
    assert.equal(own.error?.data?.code, 'unauthenticated', 'the site’s token on our own origin');
  });
});

describe('sockets end with their session', () => {
  const t = useTestServer();

  test('signing out or idling out disconnects the open socket', async () => {
    const staff = await practiceWithStaff(t.request);
    const { socket } = await open(t.server.url, staff.client.token);
    const other = await open(t.server.url, staff.colleague.token);
    const ended = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await t.request('POST', '/api/v1/auth/logout', { token: staff.client.token });
    assert.equal(await t.server.app.jobs.dropDeadSockets(), 1);
    assert.equal(await ended, 'io server disconnect');
    assert.equal(other.socket.connected, true, 'a live session keeps its socket');
    const idled = new Promise<string>((resolve) => other.socket.once('disconnect', resolve));
    t.server.clock.advance(16 * 60_000);
    assert.equal(await t.server.app.jobs.dropDeadSockets(), 1);
    assert.equal(await idled, 'io server disconnect');
  });
});
