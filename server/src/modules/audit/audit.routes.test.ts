import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

describe('audit log', () => {
  const t = useTestServer();

  test('reads and writes of protected records are recorded with actor, target, time and address', async () => {
    const { practiceId, admin, colleague } = await practiceWithStaff(t.request);
    const sent = await t.request('POST', `/api/v1/practices/${practiceId}/contact-us`, {
      body: { name: 'Kim', email: 'kim@example.test', body: 'canary-audit-7731' },
    });
    const threadId = sent.body.thread.id;
    await t.request('GET', `/api/v1/threads/${threadId}`, { token: colleague.token });
    await t.request('GET', `/api/v1/practices/${practiceId}/clients`, { token: colleague.token });
    const page = await t.request('GET', `/api/v1/practices/${practiceId}/audit`, { token: admin.token });
    assert.equal(page.status, 200);
    const actions = page.body.entries.map((e: { action: string }) => e.action);
    for (const action of [
      'practice.create',
      'member.add',
      'contact-us.assign',
      'client.add',
      'thread.create',
      'thread.read',
      'client.list',
    ])
      assert.ok(actions.includes(action), `${action} recorded`);
    const read = page.body.entries.find((e: { action: string }) => e.action === 'thread.read');
    assert.equal(read.actorId, colleague.id);
    assert.equal(read.target, `thread:${threadId}`);
    assert.equal(read.time, '2026-03-02T09:00:00.000Z');
    assert.match(read.ip, /127\.0\.0\.1/);
    const raw = JSON.stringify(await t.server.db.collection('audit_log').find({}).toArray());
    assert.equal(raw.includes('canary-audit-7731'), false, 'no body in the audit log');
    assert.equal(raw.includes('kim@example.test'), false, 'no e-mail in the audit log');
  });

  test('pages go from newest to oldest with a cursor and never repeat an entry', async () => {
    const { practiceId, admin } = await practiceWithStaff(t.request);
    for (let i = 0; i < 5; i++)
      await t.request('GET', `/api/v1/practices/${practiceId}/clients`, { token: admin.token });
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: { body: { entries: { id: string }[]; next: string | null } } = await t.request(
        'GET',
        `/api/v1/practices/${practiceId}/audit?limit=3${next ? `&before=${next}` : ''}`,
        { token: admin.token },
      );
      assert.ok(page.body.entries.length <= 3);
      seen.push(...page.body.entries.map((e) => e.id));
      next = page.body.next;
    } while (next);
    assert.equal(new Set(seen).size, seen.length);
    assert.deepEqual([...seen].sort().reverse(), seen, 'newest first');
    assert.ok(seen.length >= 9);
  });

  test('the log is append-only: the model refuses updates and deletes, and the API has no route for them', async () => {
    const { practiceId, admin } = await practiceWithStaff(t.request);
    const { Audit } = t.server.app.models;
    await assert.rejects(Audit.updateOne({}, { $set: { action: 'x' } }), /append-only/);
    await assert.rejects(Audit.deleteMany({}), /append-only/);
    await assert.rejects(Audit.findOneAndDelete({}), /append-only/);
    for (const method of ['DELETE', 'PUT', 'PATCH', 'POST']) {
      const res = await t.request(method, `/api/v1/practices/${practiceId}/audit`, { token: admin.token, body: {} });
      assert.ok([404, 405].includes(res.status), `${method} → ${res.status}`);
    }
  });
});
