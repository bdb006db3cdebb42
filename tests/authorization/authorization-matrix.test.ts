import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { io as connect } from 'socket.io-client';
import { useTestServer } from '../../server/src/testing/test-server.ts';
import { MATRIX, type Row } from './matrix.ts';
import { run } from './run.ts';
import { ACTORS, buildWorld, SIGNED_OUT, type ActorName, type Caller, type World } from './world.ts';

const statuses = (s: number | readonly number[]) => (typeof s === 'number' ? [s] : [...s]);

/** What an actor must get on a row: an `ok` status when allowed, else the row's refusal or the default one. */
function expected(row: Row, actor: ActorName): number[] {
  if (row.allow.includes(actor)) return statuses(row.ok);
  const refusal = row.refusals?.[actor];
  if (refusal !== undefined) return statuses(refusal);
  if (actor === 'liftedToken') return [401, 403];
  return SIGNED_OUT.includes(actor) ? [401] : [403, 404];
}

describe('the authorization matrix: every route against every actor', () => {
  const t = useTestServer();
  let w: World;
  before(async () => {
    w = await buildWorld(t.server, t.request);
  });

  test('every route the server registers is in the matrix, and every row is a registered route', () => {
    const registered = new Set(t.server.app.routes());
    const listed = new Set(MATRIX.map((row) => row.route));
    assert.deepEqual(
      [...registered].filter((r) => !listed.has(r)),
      [],
      'routes missing from the matrix',
    );
    assert.deepEqual(
      [...listed].filter((r) => !registered.has(r)),
      [],
      'rows for routes that do not exist',
    );
  });

  for (const row of MATRIX) {
    test(row.route, async () => {
      const wrong: string[] = [];
      for (const actor of ACTORS) {
        const want = expected(row, actor);
        const got = await run(w, row, actor);
        if (!want.includes(got)) wrong.push(`${actor}: got ${got}, expected ${want.join(' or ')}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  /** Connects like a browser on the caller's site would, and settles with the socket or its refusal. */
  const open = (caller: Caller, transport: 'websocket' | 'polling' = 'websocket') => {
    const socket = connect(w.server.url, {
      auth: caller.token ? { token: caller.token } : {},
      transports: [transport],
      reconnection: false,
      extraHeaders: caller.origin ? { origin: caller.origin } : {},
    });
    return new Promise<{ socket: typeof socket; refused: boolean }>((resolve) => {
      socket.once('connect', () => resolve({ socket, refused: false }));
      socket.once('connect_error', () => resolve({ socket, refused: true }));
    });
  };

  for (const transport of ['websocket', 'polling'] as const)
    test(`socket handshake over ${transport}: live sessions on their own site connect; everyone else is refused`, async () => {
      const wrong: string[] = [];
      for (const actor of ACTORS) {
        const { socket, refused } = await open(w.callers[actor], transport);
        socket.close();
        if (refused !== SIGNED_OUT.includes(actor)) wrong.push(`${actor}: ${refused ? 'refused' : 'connected'}`);
      }
      assert.deepEqual(wrong, []);
    });

  test("socket events: only the thread's readers hear a new message in it, never from another site", async () => {
    const sockets = new Map<ActorName, Awaited<ReturnType<typeof open>>['socket']>();
    const heard = new Set<ActorName>();
    for (const actor of ACTORS) {
      const { socket, refused } = await open(w.callers[actor]);
      if (refused) continue;
      socket.on('message:new', () => heard.add(actor));
      sockets.set(actor, socket);
    }
    try {
      const sent = await t.request('POST', `/api/v1/threads/${w.threadId}/messages`, {
        token: w.P.colleague.token,
        body: { body: 'who hears this?' },
      });
      assert.equal(sent.status, 201);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // P's client is connected twice: on the service's own site (hears it) and on Q's site (must not).
      assert.deepEqual(
        [...heard].sort(),
        ['admin', 'client', 'colleague'].sort(),
        'the readers of P’s thread, and only from a site P allows',
      );
    } finally {
      for (const socket of sockets.values()) socket.close();
    }
  });
});
