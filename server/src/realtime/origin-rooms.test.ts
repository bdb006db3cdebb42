import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ServerToClientEvents } from '@clocktree/protocol';
import { EVIL_SITE, evilClinicScenario, HARBOR_SITE } from '../testing/evil-clinic.ts';
import { addClient, signIn, type Account } from '../testing/fixtures.ts';
import { online, type ClientSocket } from '../testing/sockets.ts';
import { useTestServer } from '../testing/test-server.ts';

/** Everything `socket` hears of `event` within `ms`. */
function heard<E extends 'message:new' | 'call:ring'>(socket: ClientSocket, event: E, ms = 400) {
  const got: Parameters<ServerToClientEvents[E]>[0][] = [];
  const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => void got.push(payload);
  (socket as unknown as { on(e: string, l: typeof listener): void }).on(event, listener);
  return new Promise<typeof got>((resolve) => setTimeout(() => resolve(got), ms));
}

describe('a socket from a practice’s site carries only that practice’s events', () => {
  const t = useTestServer();
  let harbor: Awaited<ReturnType<typeof evilClinicScenario>>['harbor'];
  let evilAdmin: Account;
  let evilPracticeId: string;
  let victim: Account;

  before(async () => {
    let evil;
    ({ harbor, victim, evil } = await evilClinicScenario(t.request));
    ({ admin: evilAdmin, practiceId: evilPracticeId } = evil);
    await addClient(t.request, evilPracticeId, evilAdmin, victim);
  });

  test('messages and rings reach the sockets of the sites whose practice they belong to', async () => {
    const [fromEvil, fromHarbor, firstParty] = await Promise.all([
      online(t.server.url, await signIn(t.request, victim, EVIL_SITE), 'websocket', EVIL_SITE),
      online(t.server.url, await signIn(t.request, victim, HARBOR_SITE), 'websocket', HARBOR_SITE),
      online(t.server.url, victim.token),
    ]);
    try {
      let evilHears = heard(fromEvil, 'message:new');
      let harborHears = heard(fromHarbor, 'message:new');
      let allHears = heard(firstParty, 'message:new');
      await t.request('POST', `/api/v1/practices/${harbor.practiceId}/threads`, {
        token: harbor.colleague.token,
        body: { clientId: victim.id, body: 'harbor-canary' },
      });
      assert.deepEqual(
        (await evilHears).map((m) => m.message.body),
        [],
        'the evil site hears nothing of Harbor',
      );
      assert.deepEqual(
        (await harborHears).map((m) => m.message.body),
        ['harbor-canary'],
      );
      assert.deepEqual(
        (await allHears).map((m) => m.message.body),
        ['harbor-canary'],
      );

      evilHears = heard(fromEvil, 'message:new');
      harborHears = heard(fromHarbor, 'message:new');
      allHears = heard(firstParty, 'message:new');
      await t.request('POST', `/api/v1/practices/${evilPracticeId}/threads`, {
        token: evilAdmin.token,
        body: { clientId: victim.id, body: 'evil-canary' },
      });
      assert.deepEqual(
        (await evilHears).map((m) => m.message.body),
        ['evil-canary'],
      );
      assert.deepEqual(
        (await harborHears).map((m) => m.message.body),
        [],
      );
      assert.deepEqual(
        (await allHears).map((m) => m.message.body),
        ['evil-canary'],
      );

      const evilRing = heard(fromEvil, 'call:ring');
      const harborRing = heard(fromHarbor, 'call:ring');
      const call = await t.request('POST', '/api/v1/calls', {
        token: harbor.colleague.token,
        body: { practiceId: harbor.practiceId, clientId: victim.id },
      });
      assert.equal(call.status, 201);
      assert.equal((await evilRing).length, 0, 'no ring of Harbor on the evil site');
      assert.deepEqual(
        (await harborRing).map((r) => r.call.id),
        [call.body.call.id],
      );
    } finally {
      for (const socket of [fromEvil, fromHarbor, firstParty]) socket.close();
    }
  });

  test('a practice that stops listing a site drops that site’s sockets at once', async () => {
    const [fromHarbor, fromEvil] = await Promise.all([
      online(t.server.url, await signIn(t.request, victim, HARBOR_SITE), 'websocket', HARBOR_SITE),
      online(t.server.url, await signIn(t.request, victim, EVIL_SITE), 'websocket', EVIL_SITE),
    ]);
    const ended = new Promise<string>((resolve) => fromHarbor.once('disconnect', resolve));
    const unlist = (allowedOrigins: string[]) =>
      t.request('PATCH', `/api/v1/practices/${harbor.practiceId}`, {
        token: harbor.admin.token,
        body: { allowedOrigins },
      });
    try {
      assert.equal((await unlist([])).status, 200);
      assert.equal(await ended, 'io server disconnect');
      assert.equal(fromEvil.connected, true, 'another practice’s site keeps its socket');
    } finally {
      fromEvil.close();
      await unlist([HARBOR_SITE]);
    }
  });
});
