import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CallEndedEvent } from '@clocktree/protocol';
import { practiceWithStaff, signIn } from '../../testing/fixtures.ts';
import { online, type ClientSocket } from '../../testing/sockets.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { callerKey } from './calls.socket.ts';

const GRACE_MS = 400;

/** Every `call:ended` the socket hears from now on. */
function endings(socket: ClientSocket): CallEndedEvent[] {
  const heard: CallEndedEvent[] = [];
  socket.on('call:ended', (event) => heard.push(event));
  return heard;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe('a caller whose page goes away stops ringing', () => {
  const t = useTestServer({ callerGraceMs: GRACE_MS });
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  before(async () => {
    s = await practiceWithStaff(t.request);
  });

  const ringClient = async (token = s.colleague.token) => {
    const created = await t.request('POST', '/api/v1/calls', {
      token,
      body: { practiceId: s.practiceId, clientId: s.client.id },
    });
    assert.equal(created.status, 201);
    return created.body.call as { id: string };
  };
  const callState = async (id: string) =>
    (await t.request('GET', `/api/v1/calls/${id}`, { token: s.client.token })).body.call as {
      state: string;
      endReason: string | null;
    };

  test('the caller closes the tab: after the grace the ringing ends everywhere, as cancelled', async () => {
    const [callerTab, tab1, tab2] = await Promise.all([
      online(t.server.url, s.colleague.token),
      online(t.server.url, s.client.token),
      online(t.server.url, s.client.token),
    ]);
    try {
      const heard1 = endings(tab1);
      const heard2 = endings(tab2);
      const call = await ringClient();
      const closedAt = Date.now();
      callerTab.close();
      await until(() => heard1.length > 0 && heard2.length > 0, 'both of the client’s tabs hear call:ended');
      const after = Date.now() - closedAt;
      assert.ok(after >= GRACE_MS - 50, `not before the grace (${after} ms)`);
      assert.ok(after < GRACE_MS + 3_000, `soon after the grace (${after} ms)`);
      for (const heard of [heard1, heard2])
        assert.deepEqual(heard, [{ callId: call.id, reason: 'cancelled', appointmentId: null }]);
      const final = await callState(call.id);
      assert.deepEqual([final.state, final.endReason], ['ended', 'cancelled']);
      assert.equal((await t.request('GET', '/api/v1/calls', { token: s.client.token })).body.calls.length, 0);
      const answer = await t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token });
      assert.deepEqual([answer.status, answer.body.error.code], [409, 'conflict'], 'nobody answers into an empty room');
      await sleep(GRACE_MS);
      assert.equal(heard1.length, 1, 'said once');
    } finally {
      for (const socket of [callerTab, tab1, tab2]) socket.close();
    }
  });

  test('a reload within the grace keeps it ringing', async () => {
    const first = await online(t.server.url, s.colleague.token);
    const tab = await online(t.server.url, s.client.token);
    const heard = endings(tab);
    const call = await ringClient();
    first.close();
    await sleep(GRACE_MS / 4);
    const reloaded = await online(t.server.url, s.colleague.token);
    try {
      await sleep(GRACE_MS * 3);
      assert.equal(heard.length, 0, 'no call:ended');
      assert.equal((await callState(call.id)).state, 'ringing');
      // The reloaded page is the caller's page now: closing it ends the ringing.
      reloaded.close();
      await until(() => heard.length === 1, 'call:ended after the reloaded page closes');
      assert.equal(heard[0]!.reason, 'cancelled');
    } finally {
      reloaded.close();
      tab.close();
    }
  });

  test("another session of the caller (another device) does not keep the call ringing; the callee's pages do not end it", async () => {
    const placing = s.colleague.token;
    const otherDevice = await signIn(t.request, s.colleague);
    s.colleague.token = placing;
    const [callerTab, elsewhere, tab] = await Promise.all([
      online(t.server.url, placing),
      online(t.server.url, otherDevice),
      online(t.server.url, s.client.token),
    ]);
    try {
      const heard = endings(tab);
      const call = await ringClient(placing);
      // The callee closing a page changes nothing: only the caller's page going away stops the ringing.
      (await online(t.server.url, s.client.token)).close();
      await sleep(GRACE_MS * 2);
      assert.equal((await callState(call.id)).state, 'ringing');
      callerTab.close();
      await until(() => heard.length === 1, 'call:ended although the caller is still online elsewhere');
      assert.equal(heard[0]!.reason, 'cancelled');
    } finally {
      for (const socket of [callerTab, elsewhere, tab]) socket.close();
    }
  });

  test('an answered call goes on when the caller’s page closes (the room ends it, not the ring watch)', async () => {
    const callerTab = await online(t.server.url, s.colleague.token);
    const call = await ringClient();
    const answered = await t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token });
    assert.equal(answered.status, 200);
    callerTab.close();
    await sleep(GRACE_MS * 3);
    assert.equal((await callState(call.id)).state, 'active');
    await t.request('POST', `/api/v1/calls/${call.id}/hangup`, { token: s.client.token });
  });

  test('the caller leaving races an answer and a second node’s check: one outcome, said once', async (ctx) => {
    const session = callerKey(s.colleague.token);
    const calls = t.server.app.services.calls;
    const tab = await online(t.server.url, s.client.token);
    try {
      const heard = endings(tab);
      let answeredWins = 0;
      for (let i = 0; i < 10; i++) {
        heard.length = 0;
        const call = await ringClient();
        // Staggered a little differently each round, so either side gets to win some rounds.
        const gone = () => sleep((i % 5) * 4).then(() => calls.callerGone(s.colleague.id, session));
        const [goneA, goneB, answer] = await Promise.all([
          gone(),
          gone(),
          t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token }),
        ]);
        const final = await callState(call.id);
        if (answer.status === 200) {
          answeredWins++;
          assert.equal(goneA + goneB, 0, `round ${i}: an answered call is not cancelled`);
          assert.equal(final.state, 'active', `round ${i}`);
          await t.request('POST', `/api/v1/calls/${call.id}/hangup`, { token: s.client.token });
        } else {
          assert.equal(answer.status, 409, `round ${i}`);
          assert.equal(goneA + goneB, 1, `round ${i}: ended by one of the two checks`);
          assert.deepEqual([final.state, final.endReason], ['ended', 'cancelled'], `round ${i}`);
          await until(() => heard.length > 0, `round ${i}: call:ended`);
          await sleep(50);
          assert.deepEqual(
            heard.map((e) => e.reason),
            ['cancelled'],
            `round ${i}: said once`,
          );
        }
        const outcomes = await t.server.app.models.CallOutcome.find({ callId: call.id, step: 'ring' }).lean();
        assert.equal(outcomes.length, 1, `round ${i}: one ring outcome`);
      }
      ctx.diagnostic(`answer won ${answeredWins} of 10`);
    } finally {
      tab.close();
    }
  });
});
