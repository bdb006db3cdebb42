import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

describe('admin settings and the directory', () => {
  const t = useTestServer();

  test('message services are created, edited and deleted by admins; assignees must be members', async () => {
    const s = await practiceWithStaff(t.request);
    const base = `/api/v1/practices/${s.practiceId}/services`;
    const created = await t.request('POST', base, {
      token: s.admin.token,
      body: { name: 'Billing', description: 'Invoices', assigneeIds: [s.admin.id] },
    });
    const sid = created.body.service.id;
    const edited = await t.request('PATCH', `${base}/${sid}`, {
      token: s.admin.token,
      body: { name: 'Billing question', assigneeIds: [s.colleague.id] },
    });
    assert.equal(edited.status, 200);
    assert.deepEqual(edited.body.service, {
      id: sid,
      name: 'Billing question',
      description: 'Invoices',
      assigneeIds: [s.colleague.id],
    });
    const bad = await t.request('PATCH', `${base}/${sid}`, {
      token: s.admin.token,
      body: { assigneeIds: [s.client.id] },
    });
    assert.equal(bad.status, 400);
    assert.equal(
      (await t.request('PATCH', `${base}/${sid}`, { token: s.colleague.token, body: { name: 'x' } })).status,
      403,
    );
    assert.equal((await t.request('DELETE', `${base}/${sid}`, { token: s.colleague.token })).status, 403);
    assert.equal((await t.request('DELETE', `${base}/${sid}`, { token: s.admin.token })).status, 204);
    assert.equal((await t.request('DELETE', `${base}/${sid}`, { token: s.admin.token })).status, 404);
    assert.deepEqual((await t.request('GET', `/api/v1/practices/${s.practiceId}`)).body.practice.services, []);
  });

  test('settings (admins) and members (every member) list the practice’s people', async () => {
    const s = await practiceWithStaff(t.request);
    const settings = await t.request('GET', `/api/v1/practices/${s.practiceId}/settings`, { token: s.admin.token });
    assert.equal(settings.status, 200);
    assert.deepEqual(settings.body.practice.contactUsAssigneeIds, [s.colleague.id]);
    assert.deepEqual(
      settings.body.members
        .map((m: { userId: string; role: string; email: string }) => [m.userId, m.role, m.email])
        .sort(),
      [
        [s.admin.id, 'admin', s.admin.email],
        [s.colleague.id, 'colleague', s.colleague.email],
      ].sort(),
    );
    assert.equal(
      (await t.request('GET', `/api/v1/practices/${s.practiceId}/settings`, { token: s.colleague.token })).status,
      403,
    );
    const members = await t.request('GET', `/api/v1/practices/${s.practiceId}/members`, { token: s.colleague.token });
    assert.equal(members.body.members.length, 2);
    assert.equal(
      (await t.request('GET', `/api/v1/practices/${s.practiceId}/members`, { token: s.client.token })).status,
      403,
    );
  });

  test('the directory lists opted-in practices matching the search, and treats the search as text', async () => {
    const s = await practiceWithStaff(t.request);
    await t.request('PATCH', `/api/v1/practices/${s.practiceId}`, {
      token: s.admin.token,
      body: { name: 'Willow (Family) Counseling', directoryOptIn: true },
    });
    const hidden = await practiceWithStaff(t.request);
    await t.request('PATCH', `/api/v1/practices/${hidden.practiceId}`, {
      token: hidden.admin.token,
      body: { name: 'Willow Hidden' },
    });
    const found = await t.request('GET', '/api/v1/directory?q=willow (family');
    assert.deepEqual(
      found.body.practices.map((p: { id: string }) => p.id),
      [s.practiceId],
    );
    const all = await t.request('GET', '/api/v1/directory?q=.*');
    assert.deepEqual(all.body.practices, [], 'regex characters match only themselves');
  });

  test('a filled honeypot gets the usual 201 and stores nothing', async () => {
    const s = await practiceWithStaff(t.request);
    const before = await t.server.db.collection('messages').countDocuments();
    const res = await t.request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: 'Bot', email: 'bot@example.test', body: 'Buy now', website: 'http://spam.example' },
    });
    assert.equal(res.status, 201);
    assert.match(res.body.thread.id, /^[a-f0-9]{24}$/);
    assert.equal(await t.server.db.collection('messages').countDocuments(), before);
  });
});
