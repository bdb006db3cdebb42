import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Types } from 'mongoose';
import { practiceWithStaff, register, signIn } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

type Staff = Awaited<ReturnType<typeof practiceWithStaff>>;

describe('messaging rules', () => {
  const t = useTestServer();
  let s: Staff;
  before(async () => {
    s = await practiceWithStaff(t.request);
  });

  const needsResponse = async () => {
    const res = await t.request('GET', `/api/v1/practices/${s.practiceId}/clients`, { token: s.colleague.token });
    return res.body.clients.find((c: { id: string }) => c.id === s.client.id).needsResponse as boolean;
  };
  const thread = async (id: string, token = s.colleague.token) =>
    (await t.request('GET', `/api/v1/threads/${id}`, { token })).body;
  const reply = (id: string, token: string, body: string, key?: string) =>
    t.request('POST', `/api/v1/threads/${id}/messages`, {
      token,
      body: { body },
      headers: key ? { 'idempotency-key': key } : {},
    });

  test('needs-response: a client message sets it, viewing keeps it, a practice reply clears it', async () => {
    const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, subject: 'Your intake form', body: 'Please fill in the intake form.' },
    });
    assert.equal(started.status, 201);
    const id = started.body.thread.id;
    assert.equal(started.body.thread.kind, 'direct');
    assert.equal(started.body.thread.awaiting, false);
    assert.equal(started.body.thread.subject, 'Your intake form');
    assert.equal(await needsResponse(), false);

    const clientReply = await reply(id, s.client.token, 'Done, thank you.');
    assert.equal(clientReply.status, 201);
    assert.equal(clientReply.body.message.authorRole, 'client');
    assert.equal(clientReply.body.message.seq, 2);
    assert.equal(await needsResponse(), true);
    const viewed = await thread(id);
    assert.equal(viewed.thread.awaiting, true);
    await t.request('POST', `/api/v1/threads/${id}/read`, { token: s.colleague.token, body: { seq: 2 } });
    assert.equal(await needsResponse(), true, 'viewing and marking read never clear it');
    assert.equal((await thread(id)).thread.lastReadSeq, 2);

    t.server.clock.advance(60_000);
    const again = await reply(id, s.client.token, 'One more thing.');
    assert.equal(again.status, 201);
    assert.equal(
      (await thread(id)).thread.awaitingSince,
      viewed.thread.awaitingSince,
      'the 7 days count from the first',
    );

    assert.equal((await reply(id, s.admin.token, 'Thanks, see you Tuesday.')).status, 201);
    assert.equal(await needsResponse(), false, 'any practice member’s reply clears it');
    const after = await thread(id);
    assert.equal(after.thread.awaiting, false);
    assert.equal(after.thread.respondBy, null);
    assert.deepEqual(
      after.messages.map((m: { seq: number; authorRole: string; authorName: string }) => [
        m.seq,
        m.authorRole,
        m.authorName,
      ]),
      [
        [1, 'practice', s.colleague.name],
        [2, 'client', s.client.name],
        [3, 'client', s.client.name],
        [4, 'practice', s.admin.name],
      ],
    );
  });

  test('a closed thread refuses every new message with 409 thread_closed and never reopens', async () => {
    const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'Checking in.' },
    });
    const id = started.body.thread.id;
    await reply(id, s.client.token, 'All good.');
    assert.equal((await t.request('POST', `/api/v1/threads/${id}/close`, { token: s.client.token })).status, 403);
    const closed = await t.request('POST', `/api/v1/threads/${id}/close`, { token: s.colleague.token });
    assert.equal(closed.status, 200);
    assert.equal(closed.body.thread.status, 'closed');
    assert.equal(closed.body.thread.awaiting, false, 'closing clears needs-response');
    for (const token of [s.client.token, s.colleague.token, s.admin.token]) {
      const refused = await reply(id, token, 'Hello?');
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'thread_closed');
    }
    assert.equal(
      (await t.request('POST', `/api/v1/threads/${id}/close`, { token: s.admin.token })).body.thread.status,
      'closed',
    );
    const final = await thread(id, s.client.token);
    assert.equal(final.thread.status, 'closed');
    assert.equal(final.messages.length, 2, 'nothing was added');
  });

  test('service threads: only clients of the practice write through a service; its assignees are who it goes to', async () => {
    const svc = await t.request('POST', `/api/v1/practices/${s.practiceId}/services`, {
      token: s.admin.token,
      body: { name: 'Billing question', description: 'Invoices', assigneeIds: [s.admin.id] },
    });
    const path = `/api/v1/practices/${s.practiceId}/services/${svc.body.service.id}/threads`;
    const created = await t.request('POST', path, {
      token: s.client.token,
      body: { subject: 'Invoice 12', body: 'Was I charged twice?' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.thread.kind, 'service');
    assert.equal(created.body.thread.awaiting, true);
    assert.equal(created.body.thread.serviceId, svc.body.service.id);
    const stranger = await register(t.request, 'client');
    assert.equal((await t.request('POST', path, { token: stranger.token, body: { body: 'hi' } })).status, 403);
    const missing = `/api/v1/practices/${s.practiceId}/services/${'b'.repeat(24)}/threads`;
    assert.equal((await t.request('POST', missing, { token: s.client.token, body: { body: 'hi' } })).status, 404);
  });

  test('re-sync: afterSeq returns only the messages after the one the client holds', async () => {
    const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'one' },
    });
    const id = started.body.thread.id;
    await reply(id, s.client.token, 'two');
    await reply(id, s.colleague.token, 'three');
    const res = await t.request('GET', `/api/v1/threads/${id}?afterSeq=1`, { token: s.client.token });
    assert.deepEqual(
      res.body.messages.map((m: { body: string }) => m.body),
      ['two', 'three'],
    );
    assert.equal(res.body.thread.seq, 3);
  });

  test('a Send Message to someone who is not a client of the practice is refused', async () => {
    const stranger = await register(t.request, 'client');
    const res = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: stranger.id, body: 'hello' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.fields[0].path, 'clientId');
  });
});

describe('Idempotency-Key on message sends', () => {
  const t = useTestServer();
  let s: Staff;
  let threadId: string;
  before(async () => {
    s = await practiceWithStaff(t.request);
    const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'Hello' },
    });
    threadId = started.body.thread.id;
  });
  const send = (key: string, body: string) =>
    t.request('POST', `/api/v1/threads/${threadId}/messages`, {
      token: s.client.token,
      body: { body },
      headers: { 'idempotency-key': key },
    });
  const count = () => t.server.db.collection('messages').countDocuments({ threadId: new Types.ObjectId(threadId) });

  test('the same key and body return the same message with 200; another body with that key is 409', async () => {
    const first = await send('key-aaaaaaaa-1', 'Can we move my appointment?');
    assert.equal(first.status, 201);
    const replay = await send('key-aaaaaaaa-1', 'Can we move my appointment?');
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body.message, first.body.message);
    const clash = await send('key-aaaaaaaa-1', 'Something else entirely');
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'conflict');
    const bad = await send('no spaces!', 'x');
    assert.equal(bad.status, 400);
  });

  test('50 concurrent sends with one key store exactly one message', async () => {
    const before = await count();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => send('key-concurrent-50', 'Sent from a flaky network')),
    );
    assert.ok(
      results.every((r) => r.status === 200 || r.status === 201),
      results.map((r) => r.status).join(','),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    assert.equal(new Set(results.map((r) => r.body.message.id)).size, 1);
    assert.equal((await count()) - before, 1);
  });

  test('20 different replies sent at once are all stored, each under its own sequence number', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(`key-parallel-${String(i).padStart(4, '0')}`, `parallel ${i}`)),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(20).fill(201),
    );
    const seqs = results.map((r) => r.body.message.seq as number);
    assert.equal(new Set(seqs).size, 20, 'no two share a sequence number');
    const read = await t.request('GET', `/api/v1/threads/${threadId}`, { token: s.client.token });
    for (let i = 0; i < 20; i++)
      assert.ok(read.body.messages.some((m: { body: string }) => m.body === `parallel ${i}`));
  });

  test('keys are kept at least 24 hours, then removed by the scheduled sweep', async () => {
    await send('key-sweep-0001', 'first');
    t.server.clock.advance(23 * 3600_000);
    await t.server.app.jobs.sweep();
    await signIn(t.request, s.client); // the session itself idled out long ago
    assert.equal((await send('key-sweep-0001', 'first')).status, 200, 'still replayed after 23 h');
    t.server.clock.advance(3 * 3600_000);
    await t.server.app.jobs.sweep();
    assert.equal(await t.server.db.collection('idempotency_keys').countDocuments({ key: 'key-sweep-0001' }), 0);
  });
});
