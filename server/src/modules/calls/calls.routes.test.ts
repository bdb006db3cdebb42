import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CallEndedEvent, CallRingEvent } from '@clocktree/protocol';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { connectPeers } from '../../testing/network.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { online, type ClientSocket } from '../../testing/sockets.ts';

/** Resolves with the next event of that name, or rejects after `ms`. */
function heard<E extends 'call:ring' | 'call:ended'>(socket: ClientSocket, event: E, ms = 3_000) {
  type Payload = E extends 'call:ring' ? CallRingEvent : CallEndedEvent;
  return new Promise<Payload>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    (socket as unknown as { once(e: string, f: (p: Payload) => void): void }).once(event, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** True when the socket hears no call event for `ms`. */
function quiet(socket: ClientSocket, ms = 300) {
  return new Promise<boolean>((resolve) => {
    const fail = () => resolve(false);
    socket.once('call:ring', fail).once('call:ended', fail);
    setTimeout(() => {
      socket.off('call:ring', fail).off('call:ended', fail);
      resolve(true);
    }, ms);
  });
}

describe('instant calls', () => {
  const t = useTestServer();
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  let other: Awaited<ReturnType<typeof practiceWithStaff>>;
  before(async () => {
    s = await practiceWithStaff(t.request);
    other = await practiceWithStaff(t.request);
  });

  const ringClient = () =>
    t.request('POST', '/api/v1/calls', {
      token: s.colleague.token,
      body: { practiceId: s.practiceId, clientId: s.client.id },
    });

  test('rings every connected session of the client; an answer on one ends the ringing everywhere', async () => {
    const [tab1, tab2, caller, outsider] = await Promise.all([
      online(t.server.url, s.client.token),
      online(t.server.url, s.client.token),
      online(t.server.url, s.colleague.token),
      online(t.server.url, other.client.token),
    ]);
    try {
      const rings = Promise.all([heard(tab1, 'call:ring'), heard(tab2, 'call:ring')]);
      const silence = quiet(outsider);
      const callerSilence = quiet(caller);
      const created = await ringClient();
      assert.equal(created.status, 201);
      assert.equal(created.body.reachable, true);
      const call = created.body.call;
      assert.deepEqual(
        { kind: call.kind, state: call.state, practiceId: call.practiceId, calleeId: call.calleeId },
        { kind: 'instant', state: 'ringing', practiceId: s.practiceId, calleeId: s.client.id },
      );
      const [r1, r2] = await rings;
      assert.equal(r1.call.id, call.id);
      assert.equal(r2.call.id, call.id);
      assert.deepEqual(r1.call.from, { id: s.colleague.id, name: s.colleague.name });
      assert.equal(
        new Date(r1.call.ringUntil).getTime() - new Date(r1.call.createdAt).getTime(),
        60_000,
        'rings for 60 s',
      );
      assert.equal(await silence, true, 'nobody else hears it');
      assert.equal(await callerSilence, true, 'the caller is not rung');

      const live = await t.request('GET', '/api/v1/calls', { token: s.client.token });
      assert.deepEqual(
        live.body.calls.map((c: { id: string }) => c.id),
        [call.id],
        'a reconnecting ring prompt finds it',
      );
      assert.equal((await t.request('GET', `/api/v1/calls/${call.id}`, { token: s.admin.token })).status, 404);
      assert.equal(
        (await t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.admin.token })).status,
        404,
        'a colleague who is not in the call cannot touch it',
      );
      assert.equal(
        (await t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.colleague.token })).status,
        403,
        'the caller cannot answer',
      );

      const ended = Promise.all([heard(tab1, 'call:ended'), heard(tab2, 'call:ended'), heard(caller, 'call:ended')]);
      const answered = await t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token });
      assert.equal(answered.status, 200);
      assert.equal(answered.body.call.state, 'active');
      for (const e of await ended) assert.deepEqual(e, { callId: call.id, reason: 'answered', appointmentId: null });
      const twice = await t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token });
      assert.equal(twice.status, 409, 'a second device cannot answer it again');
      assert.equal(
        (await t.request('POST', `/api/v1/calls/${call.id}/decline`, { token: s.client.token })).status,
        409,
      );

      const hungUp = Promise.all([heard(tab1, 'call:ended'), heard(tab2, 'call:ended'), heard(caller, 'call:ended')]);
      const hangup = await t.request('POST', `/api/v1/calls/${call.id}/hangup`, { token: s.colleague.token });
      assert.equal(hangup.status, 200);
      assert.deepEqual([hangup.body.call.state, hangup.body.call.endReason], ['ended', 'hangup']);
      for (const e of await hungUp) assert.equal(e.reason, 'hangup');
      const again = await t.request('POST', `/api/v1/calls/${call.id}/hangup`, { token: s.client.token });
      assert.deepEqual([again.status, again.body.call.endReason], [200, 'hangup'], 'hanging up twice changes nothing');
      assert.equal((await t.request('GET', '/api/v1/calls', { token: s.client.token })).body.calls.length, 0);
    } finally {
      for (const socket of [tab1, tab2, caller, outsider]) socket.close();
    }
  });

  test('devices answering at once: exactly one wins; an answer racing a decline: one of them', async () => {
    const call = (await ringClient()).body.call;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token })),
    );
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
    await t.request('POST', `/api/v1/calls/${call.id}/hangup`, { token: s.client.token });

    const raced = (await ringClient()).body.call;
    const [answer, decline, cancel] = await Promise.all([
      t.request('POST', `/api/v1/calls/${raced.id}/answer`, { token: s.client.token }),
      t.request('POST', `/api/v1/calls/${raced.id}/decline`, { token: s.client.token }),
      t.request('POST', `/api/v1/calls/${raced.id}/hangup`, { token: s.colleague.token }),
    ]);
    const final = (await t.request('GET', `/api/v1/calls/${raced.id}`, { token: s.client.token })).body.call;
    if (answer.status === 200) {
      assert.equal(final.answeredAt !== null, true);
      assert.equal(decline.status, 409);
    } else assert.equal(final.answeredAt, null, 'not answered once declined or cancelled');
    assert.equal(final.state, 'ended', 'the caller hung up either way');
    assert.equal(cancel.status, 200);
    const outcomes = await t.server.app.models.CallOutcome.find({ callId: raced.id }).lean();
    assert.deepEqual(outcomes.map((o) => o.step).sort(), ['end', 'ring'], 'one ring outcome, one end');
  });

  test('declining ends the ringing on every device of both', async () => {
    const [tab1, tab2, caller] = await Promise.all([
      online(t.server.url, s.client.token),
      online(t.server.url, s.client.token),
      online(t.server.url, s.colleague.token),
    ]);
    try {
      const ring = heard(tab1, 'call:ring');
      const call = (await ringClient()).body.call;
      await ring;
      const ended = Promise.all([heard(tab1, 'call:ended'), heard(tab2, 'call:ended'), heard(caller, 'call:ended')]);
      const declined = await t.request('POST', `/api/v1/calls/${call.id}/decline`, { token: s.client.token });
      assert.deepEqual([declined.status, declined.body.call.endReason], [200, 'declined']);
      for (const e of await ended) assert.equal(e.reason, 'declined');
      assert.equal(
        (await t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token })).status,
        409,
        'a declined call cannot be answered',
      );
    } finally {
      for (const socket of [tab1, tab2, caller]) socket.close();
    }
  });

  test('60 s without an answer ends the ringing everywhere, once; a late answer is refused', async () => {
    const [tab1, tab2, caller] = await Promise.all([
      online(t.server.url, s.client.token),
      online(t.server.url, s.client.token),
      online(t.server.url, s.colleague.token),
    ]);
    try {
      const call = (await ringClient()).body.call;
      t.server.clock.advance(59_000);
      assert.equal(await t.server.app.jobs.callTimeouts(), 0, 'still ringing at 59 s');
      t.server.clock.advance(1_000);
      const ended = Promise.all([heard(tab1, 'call:ended'), heard(tab2, 'call:ended'), heard(caller, 'call:ended')]);
      // Two nodes' job runs at once: one ends it.
      const runs = await Promise.all([t.server.app.jobs.callTimeouts(), t.server.app.jobs.callTimeouts()]);
      assert.equal(runs[0] + runs[1], 1);
      for (const e of await ended) assert.deepEqual(e, { callId: call.id, reason: 'no_answer', appointmentId: null });
      assert.equal(await quiet(tab1), true, 'said once');
      assert.equal((await t.request('POST', `/api/v1/calls/${call.id}/answer`, { token: s.client.token })).status, 409);

      // Answered after its time but before any job ran: refused, and it ends there and then.
      const late = (await ringClient()).body.call;
      t.server.clock.advance(61_000);
      const lateEnded = heard(caller, 'call:ended');
      assert.equal((await t.request('POST', `/api/v1/calls/${late.id}/answer`, { token: s.client.token })).status, 409);
      assert.equal((await lateEnded).reason, 'no_answer');
      assert.equal(await t.server.app.jobs.callTimeouts(), 0);
    } finally {
      for (const socket of [tab1, tab2, caller]) socket.close();
    }
  });

  test('the caller hanging up while it rings cancels it; the client cannot join before answering', async () => {
    const tab = await online(t.server.url, s.client.token);
    try {
      const call = (await ringClient()).body.call;
      const early = await t.request('POST', `/api/v1/calls/${call.id}/join`, { token: s.client.token });
      assert.equal(early.status, 409, 'answer first');
      // No Janus is configured for this server: past every check, opening the room is what fails.
      const waiting = await t.request('POST', `/api/v1/calls/${call.id}/join`, { token: s.colleague.token });
      assert.deepEqual([waiting.status, waiting.body.error.code], [503, 'unavailable']);
      assert.equal((await t.request('POST', `/api/v1/calls/${call.id}/join`, { token: s.admin.token })).status, 404);
      const ended = heard(tab, 'call:ended');
      await t.request('POST', `/api/v1/calls/${call.id}/hangup`, { token: s.colleague.token });
      assert.equal((await ended).reason, 'cancelled');
      assert.equal(
        (await t.request('POST', `/api/v1/calls/${call.id}/join`, { token: s.colleague.token })).status,
        409,
      );
    } finally {
      tab.close();
    }
  });

  test('who may call whom', async () => {
    const call = (body: object, token: string) => t.request('POST', '/api/v1/calls', { token, body });
    assert.equal((await call({ practiceId: s.practiceId, clientId: s.client.id }, s.client.token)).status, 403);
    assert.equal((await call({ practiceId: s.practiceId, clientId: s.client.id }, other.admin.token)).status, 403);
    const notClient = await call({ practiceId: s.practiceId, clientId: other.client.id }, s.colleague.token);
    assert.deepEqual([notClient.status, notClient.body.error.fields[0].path], [400, 'clientId']);
    assert.equal((await call({ practiceId: s.practiceId }, s.colleague.token)).status, 400);
    assert.equal((await call({ professionalId: s.admin.id, clientId: s.client.id }, s.colleague.token)).status, 400);
    assert.equal((await t.request('POST', '/api/v1/calls', { body: { professionalId: s.admin.id } })).status, 401);

    // My Network: professional to professional, no practice (never billed); sharing a practice is not enough.
    const notConnected = await call({ professionalId: s.admin.id }, s.colleague.token);
    assert.deepEqual([notConnected.status, notConnected.body.error.code], [403, 'not_connected']);
    await connectPeers(t.request, s.colleague, s.admin);
    const network = await call({ professionalId: s.admin.id }, s.colleague.token);
    assert.equal(network.status, 201);
    assert.deepEqual([network.body.call.kind, network.body.call.practiceId], ['network', null]);
    assert.equal(network.body.reachable, false, 'the admin has no connected session');
    // A client, a professional of another practice and an id of nobody get the same answer: nothing about them leaks.
    for (const [id, who] of [
      [s.client.id, 'a client'],
      [other.admin.id, 'not in the network'],
      ['0123456789abcdef01234567', 'nobody'],
    ]) {
      const refused = await call({ professionalId: id }, s.colleague.token);
      assert.deepEqual([refused.status, refused.body.error.code], [403, 'not_connected'], who);
    }
    assert.equal((await call({ professionalId: s.colleague.id }, s.colleague.token)).status, 400, 'yourself');
    assert.equal((await call({ professionalId: s.admin.id }, s.client.token)).status, 403, 'clients cannot');
    await t.request('POST', `/api/v1/calls/${network.body.call.id}/hangup`, { token: s.admin.token });
  });

  test('a signed-out or made-up token gets nothing', async () => {
    const staff = await practiceWithStaff(t.request);
    const created = await t.request('POST', '/api/v1/calls', {
      token: staff.colleague.token,
      body: { practiceId: staff.practiceId, clientId: staff.client.id },
    });
    await t.request('POST', '/api/v1/auth/logout', { token: staff.client.token });
    for (const token of [staff.client.token, 'x'.repeat(43)])
      for (const action of ['answer', 'join', 'decline'])
        assert.equal(
          (await t.request('POST', `/api/v1/calls/${created.body.call.id}/${action}`, { token })).status,
          401,
        );
  });
});
