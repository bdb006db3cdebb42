import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Session, type SessionEvent } from './session.ts';
import { apiError, delay, json, MemoryStore, startApi, until, type TestApi } from './test-api.ts';

const USER = { id: '0123456789abcdef01234567', email: 'dana@client.example', name: 'Dana Client', kind: 'client' };
const PASSWORD = 'correct horse battery staple';
const THREAD = 'abcdefabcdefabcdefabcdef';

describe('Session against a real HTTP server', () => {
  let api: TestApi;
  let idleSeconds = 900;
  let issued = 0;
  let revoked: string[] = [];
  const live = () => `token-${issued}`.padEnd(24, 'x');

  before(async () => {
    api = await startApi(({ method, url, headers, body }, res) => {
      const auth = headers.authorization;
      const signedIn = auth === `Bearer ${live()}` && !revoked.includes(live());
      if (method === 'POST' && url === '/api/v1/auth/login') {
        const { email, password } = JSON.parse(body.toString()) as { email: string; password: string };
        if (email !== USER.email || password !== PASSWORD) return apiError(res, 401, 'unauthenticated');
        issued++;
        return json(res, 200, { user: USER, token: live(), idleTimeoutSeconds: idleSeconds });
      }
      if (method === 'POST' && url === '/api/v1/auth/link') {
        const { token } = JSON.parse(body.toString()) as { token: string };
        if (token !== 'link-token-from-the-email-0001') return apiError(res, 401, 'unauthenticated');
        issued++;
        return json(res, 200, { user: USER, token: live(), idleTimeoutSeconds: idleSeconds, threadId: THREAD });
      }
      if (method === 'POST' && url === '/api/v1/auth/invite') {
        const { token } = JSON.parse(body.toString()) as { token: string };
        if (token !== 'invite-token-from-the-email-01') return apiError(res, 401, 'unauthenticated');
        issued++;
        return json(res, 200, {
          user: USER,
          token: live(),
          idleTimeoutSeconds: idleSeconds,
          practiceId: THREAD,
          role: 'client',
        });
      }
      if (method === 'POST' && url === '/api/v1/auth/logout') {
        if (!auth) return apiError(res, 401, 'unauthenticated');
        revoked.push(auth.slice('Bearer '.length));
        return json(res, 204);
      }
      if (method === 'GET' && url === '/api/v1/me') {
        return signedIn ? json(res, 200, { user: USER, memberships: [], clientOf: [] }) : apiError(res, 401, 'x');
      }
      return signedIn ? json(res, 200, { threads: [] }) : apiError(res, 401, 'unauthenticated');
    });
  });

  after(() => api.close());

  beforeEach(() => {
    api.seen.length = 0;
    idleSeconds = 900;
    revoked = [];
  });

  const newSession = (storage = new MemoryStore()) => {
    const session = new Session({ baseUrl: `${api.url}/`, storage });
    const events: SessionEvent[] = [];
    session.subscribe((event) => events.push(event));
    return { session, storage, events };
  };

  it('signs in, sends the bearer token on its calls, and keeps the session under a key naming the API', async () => {
    const { session, storage, events } = newSession();
    const user = await session.login({ email: USER.email, password: PASSWORD });
    assert.deepEqual(user, USER);
    assert.equal(session.token, live());
    assert.deepEqual(events, [{ type: 'signed-in', session: { user: USER, token: live(), idleTimeoutSeconds: 900 } }]);
    assert.deepEqual([...storage.items.keys()], [`clocktree.session ${api.url}`]);

    await session.api.listThreads({ practiceId: THREAD });
    const call = api.seen.at(-1)!;
    assert.equal(call.url, `/api/v1/threads?practiceId=${THREAD}`);
    assert.equal(call.headers.authorization, `Bearer ${live()}`);
    // The login call itself carried no token.
    assert.equal(api.seen[0]?.headers.authorization, undefined);
    session.dispose();
  });

  it('survives a reload of the tab (same storage), and only for the same API', async () => {
    const storage = new MemoryStore();
    const first = newSession(storage).session;
    await first.login({ email: USER.email, password: PASSWORD });
    first.dispose();

    const reloaded = newSession(storage).session;
    assert.equal(reloaded.token, live());
    assert.deepEqual(reloaded.user, USER);
    const otherApi = new Session({ baseUrl: 'http://127.0.0.1:9/prefix', storage });
    assert.equal(otherApi.token, undefined);
    reloaded.dispose();
    otherApi.dispose();
  });

  it('a wrong password rejects with unauthenticated and signs nobody in', async () => {
    const { session, storage, events } = newSession();
    await assert.rejects(session.login({ email: USER.email, password: 'wrong' }), {
      name: 'ApiError',
      status: 401,
      code: 'unauthenticated',
    });
    assert.equal(session.token, undefined);
    assert.deepEqual(events, []);
    assert.equal(storage.items.size, 0);
  });

  it('exchanges the e-mail link token for a session on that thread', async () => {
    const { session, events } = newSession();
    const result = await session.linkExchange('link-token-from-the-email-0001');
    assert.deepEqual(result, { user: USER, threadId: THREAD });
    assert.equal(session.token, live());
    assert.equal(events[0]?.type, 'signed-in');
    const sent = api.seen[0]!;
    assert.equal(sent.url, '/api/v1/auth/link');
    assert.deepEqual(JSON.parse(sent.body.toString()), { token: 'link-token-from-the-email-0001' });
    await assert.rejects(session.linkExchange('a-used-or-expired-token-000'), { code: 'unauthenticated' });
    session.dispose();
  });

  it('accepts an invitation: the link token and the new password become a session', async () => {
    const { session, events } = newSession();
    const body = { token: 'invite-token-from-the-email-01', password: PASSWORD };
    const result = await session.acceptInvite(body);
    assert.deepEqual(result, { user: USER, practiceId: THREAD, role: 'client' });
    assert.equal(session.token, live());
    assert.equal(events[0]?.type, 'signed-in');
    assert.deepEqual(JSON.parse(api.seen[0]!.body.toString()), body);
    await assert.rejects(session.acceptInvite({ ...body, token: 'a-used-or-expired-token-000' }), {
      code: 'unauthenticated',
    });
    session.dispose();
  });

  it('logout revokes the token on the server and forgets it', async () => {
    const { session, storage, events } = newSession();
    await session.login({ email: USER.email, password: PASSWORD });
    const token = session.token!;
    await session.logout();
    assert.deepEqual(revoked, [token]);
    assert.equal(api.seen.at(-1)?.headers.authorization, `Bearer ${token}`);
    assert.equal(session.token, undefined);
    assert.equal(storage.items.size, 0);
    assert.deepEqual(events.at(-1), { type: 'signed-out', reason: 'signed-out' });
  });

  it('logout forgets the token even when the server cannot be reached', async () => {
    const storage = new MemoryStore();
    // A session stored earlier for an API that now refuses connections (fetch refuses port 9 without sending).
    const offline = 'http://127.0.0.1:9';
    const stored = {
      user: USER,
      token: 'a-token-nobody-can-revoke',
      idleTimeoutSeconds: 900,
      lastActivityAt: Date.now(),
    };
    storage.setItem(`clocktree.session ${offline}`, JSON.stringify(stored));
    const session = new Session({ baseUrl: offline, storage });
    assert.equal(session.token, stored.token);
    await session.logout();
    assert.equal(session.token, undefined);
    assert.equal(storage.items.size, 0);
  });

  it('a 401 from any call drops the session and tells the listeners', async () => {
    const { session, storage, events } = newSession();
    await session.login({ email: USER.email, password: PASSWORD });
    revoked.push(session.token!);
    await assert.rejects(session.api.listThreads(), { code: 'unauthenticated' });
    assert.equal(session.token, undefined);
    assert.equal(storage.items.size, 0);
    assert.deepEqual(events.at(-1), { type: 'signed-out', reason: 'unauthenticated' });
  });

  it('after idleTimeoutSeconds without activity the session is dropped, revoked and reported as idle', async () => {
    idleSeconds = 0.25;
    const { session, storage, events } = newSession();
    await session.login({ email: USER.email, password: PASSWORD });
    const token = session.token!;
    await until(() => events.length === 2, 2000, 'the idle logoff');
    assert.deepEqual(events[1], { type: 'signed-out', reason: 'idle' });
    assert.equal(session.token, undefined);
    assert.equal(storage.items.size, 0);
    await until(() => revoked.includes(token), 2000, 'the token to be revoked');
  });

  it('activity keeps the session, touching the server when no call was made for half the idle time', async () => {
    idleSeconds = 0.3;
    const { session, events } = newSession();
    await session.login({ email: USER.email, password: PASSWORD });
    for (let i = 0; i < 8; i++) {
      await delay(75);
      session.activity();
    }
    assert.equal(events.length, 1, 'still signed in after 600 ms of activity');
    const touches = api.seen.filter((s) => s.url === '/api/v1/me');
    assert.ok(touches.length >= 2, `the server's idle deadline was moved (${touches.length} touches)`);
    assert.ok(touches.length <= 5, `but not on every keystroke (${touches.length} touches)`);
    await until(() => events.length === 2, 2000, 'the idle logoff');
    assert.deepEqual(events[1], { type: 'signed-out', reason: 'idle' });
  });

  it('does not revive a stored session whose idle time ran out while the tab was away', async () => {
    const storage = new MemoryStore();
    const { session } = newSession(storage);
    await session.login({ email: USER.email, password: PASSWORD });
    const token = session.token!;
    session.dispose();
    const stored = JSON.parse(storage.items.get(session.storageKey)!) as { lastActivityAt: number };
    stored.lastActivityAt -= 901_000;
    storage.setItem(session.storageKey, JSON.stringify(stored));

    const reloaded = new Session({ baseUrl: api.url, storage });
    assert.equal(reloaded.token, undefined);
    assert.equal(storage.items.size, 0);
    await until(() => revoked.includes(token), 2000, 'the stale token to be revoked');
  });

  it('signing in again replaces the session and revokes the previous token', async () => {
    const { session, events } = newSession();
    await session.login({ email: USER.email, password: PASSWORD });
    const first = session.token!;
    await session.login({ email: USER.email, password: PASSWORD });
    assert.notEqual(session.token, first);
    assert.deepEqual(
      events.map((e) => e.type),
      ['signed-in', 'signed-in'],
    );
    await until(() => revoked.includes(first), 2000, 'the first token to be revoked');
    session.dispose();
  });
});
