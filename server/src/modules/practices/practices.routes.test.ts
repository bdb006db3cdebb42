import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { acceptInvitation, practiceWithStaff, register } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

describe('practices, members, assignees, services and clients', () => {
  const t = useTestServer();

  test('a professional creates a practice and becomes its admin; a client cannot create one', async () => {
    const pro = await register(t.request, 'professional');
    const res = await t.request('POST', '/api/v1/practices', { token: pro.token, body: { name: 'Cedar Clinic' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.practice.name, 'Cedar Clinic');
    const me = await t.request('GET', '/api/v1/me', { token: pro.token });
    assert.deepEqual(me.body.memberships, [{ practiceId: res.body.practice.id, role: 'admin' }]);
    const client = await register(t.request, 'client');
    const refused = await t.request('POST', '/api/v1/practices', { token: client.token, body: { name: 'Nope' } });
    assert.equal(refused.status, 403);
    assert.equal((await t.request('POST', '/api/v1/practices', { body: { name: 'Anon' } })).status, 401);
  });

  test('anyone reads the public profile, which never shows admin settings', async () => {
    const { practiceId, admin } = await practiceWithStaff(t.request);
    await t.request('PATCH', `/api/v1/practices/${practiceId}`, {
      token: admin.token,
      body: { allowedOrigins: ['https://harbor.example'] },
    });
    const res = await t.request('GET', `/api/v1/practices/${practiceId}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.practice).sort(), [
      'address',
      'id',
      'listed',
      'name',
      'phone',
      'photoUrl',
      'services',
      'timeZone',
    ]);
  });

  test('admins edit the profile: address, time zone, e-mail sender and reply-to; bad values get 400', async () => {
    const { practiceId, admin } = await practiceWithStaff(t.request);
    const path = `/api/v1/practices/${practiceId}`;
    const profile = {
      phone: '(503) 555-0142',
      address: {
        street: '1420 Maple Street, Suite 3',
        city: 'Portland',
        region: 'OR',
        postcode: '97214',
        country: 'US',
      },
      timeZone: 'America/Los_Angeles',
      mailFromName: 'Front desk',
      replyTo: 'desk@harbor.example',
    };
    const ok = await t.request('PATCH', path, { token: admin.token, body: profile });
    assert.equal(ok.status, 200);
    assert.deepEqual(
      [ok.body.practice.address, ok.body.practice.timeZone, ok.body.practice.mailFromName, ok.body.practice.replyTo],
      [profile.address, profile.timeZone, profile.mailFromName, profile.replyTo],
    );
    const pub = (await t.request('GET', path)).body.practice;
    assert.deepEqual([pub.phone, pub.address, pub.timeZone], [profile.phone, profile.address, profile.timeZone]);
    for (const body of [{ timeZone: 'Mars/Olympus' }, { timeZone: 'EST5EDT6' }, { replyTo: 'not an address' }]) {
      const bad = await t.request('PATCH', path, { token: admin.token, body });
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.body.error.code, 'validation_failed');
    }
    const cleared = await t.request('PATCH', path, { token: admin.token, body: { mailFromName: '', replyTo: '' } });
    assert.deepEqual([cleared.body.practice.mailFromName, cleared.body.practice.replyTo], ['', '']);
  });

  test('only admins change settings; colleagues get 403', async () => {
    const { practiceId, admin, colleague } = await practiceWithStaff(t.request);
    const patch = { name: 'Harbor Therapy Group', directoryOptIn: true, allowedOrigins: ['https://harbor.example'] };
    const ok = await t.request('PATCH', `/api/v1/practices/${practiceId}`, { token: admin.token, body: patch });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.practice.name, 'Harbor Therapy Group');
    assert.deepEqual(ok.body.practice.allowedOrigins, ['https://harbor.example']);
    assert.equal(ok.body.practice.listed, true);
    for (const [method, path, body] of [
      ['PATCH', '', { name: 'Hijacked' }],
      ['POST', '/members', { email: colleague.email, role: 'admin' }],
      ['PUT', '/contact-us', { assigneeIds: [colleague.id] }],
      ['POST', '/services', { name: 'x', description: '', assigneeIds: [] }],
      ['GET', '/audit', undefined],
    ] as const) {
      const res = await t.request(method, `/api/v1/practices/${practiceId}${path}`, { token: colleague.token, body });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
  });

  // Changed on purpose (issue 8, section 2): adding a colleague is an invitation they accept; the answer names no
  // account, and an unknown address is invited like a known one instead of answering 404.
  test('members: a professional may belong to several practices once they accept; adding a member is a conflict', async () => {
    const a = await practiceWithStaff(t.request);
    const b = await practiceWithStaff(t.request);
    const add = await t.request('POST', `/api/v1/practices/${b.practiceId}/members`, {
      token: b.admin.token,
      body: { email: a.colleague.email, role: 'colleague' },
    });
    assert.equal(add.status, 201);
    assert.deepEqual(Object.keys(add.body.member).sort(), ['email', 'id', 'role', 'status']);
    assert.notEqual(add.body.member.id, a.colleague.id);
    assert.deepEqual(
      { ...add.body.member, id: 'x' },
      {
        id: 'x',
        email: a.colleague.email,
        role: 'colleague',
        status: 'invited',
      },
    );
    const before = await t.request('GET', '/api/v1/me', { token: a.colleague.token });
    assert.deepEqual(
      before.body.memberships.map((m: { practiceId: string }) => m.practiceId),
      [a.practiceId],
      'not a member before accepting',
    );
    await acceptInvitation(t.request, b.practiceId, a.colleague);
    const again = await t.request('POST', `/api/v1/practices/${b.practiceId}/members`, {
      token: b.admin.token,
      body: { email: a.colleague.email, role: 'admin' },
    });
    assert.equal(again.status, 409);
    const me = await t.request('GET', '/api/v1/me', { token: a.colleague.token });
    assert.deepEqual(
      me.body.memberships.map((m: { practiceId: string }) => m.practiceId).sort(),
      [a.practiceId, b.practiceId].sort(),
    );
    const unknown = await t.request('POST', `/api/v1/practices/${b.practiceId}/members`, {
      token: b.admin.token,
      body: { email: 'nobody@example.test', role: 'colleague' },
    });
    assert.equal(unknown.status, 201);
    const team = await t.request('GET', `/api/v1/practices/${b.practiceId}/members`, { token: b.colleague.token });
    assert.deepEqual(
      team.body.invited.map((m: { email: string }) => m.email),
      ['nobody@example.test'],
    );
  });

  test('Contact Us assignees and service assignees must be members of the practice', async () => {
    const { practiceId, admin, colleague, client } = await practiceWithStaff(t.request);
    const bad = await t.request('PUT', `/api/v1/practices/${practiceId}/contact-us`, {
      token: admin.token,
      body: { assigneeIds: [colleague.id, client.id] },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.fields, [{ path: 'assigneeIds.1', message: 'is not a member of this practice' }]);
    const service = await t.request('POST', `/api/v1/practices/${practiceId}/services`, {
      token: admin.token,
      body: { name: 'Billing question', description: 'Invoices', assigneeIds: [admin.id] },
    });
    assert.equal(service.status, 201);
    assert.deepEqual(service.body.service.assigneeIds, [admin.id]);
    const pub = await t.request('GET', `/api/v1/practices/${practiceId}`);
    assert.deepEqual(pub.body.practice.services, [
      { id: service.body.service.id, name: 'Billing question', description: 'Invoices' },
    ]);
  });

  // Changed on purpose (issue 8, section 2): adding a client is an invitation; the answer is the invitation's id, not
  // the account's, and re-adding an invited address resends instead of answering 409.
  test('clients: members add and list them; a person may be a client of several practices', async () => {
    const a = await practiceWithStaff(t.request);
    const b = await practiceWithStaff(t.request);
    const added = await t.request('POST', `/api/v1/practices/${b.practiceId}/clients`, {
      token: b.colleague.token,
      body: { email: a.client.email, name: 'Sam from Harbor' },
    });
    assert.equal(added.status, 201);
    assert.notEqual(added.body.client.id, a.client.id);
    assert.equal(added.body.client.status, 'invited');
    await acceptInvitation(t.request, b.practiceId, a.client);
    const fresh = await t.request('POST', `/api/v1/practices/${b.practiceId}/clients`, {
      token: b.colleague.token,
      body: { email: 'new.client@example.test', name: 'New Client' },
    });
    assert.equal(fresh.status, 201, 'an address without an account is invited to make one');
    const dup = await t.request('POST', `/api/v1/practices/${b.practiceId}/clients`, {
      token: b.admin.token,
      body: { email: 'NEW.client@example.test', name: 'Again' },
    });
    assert.equal(dup.status, 201);
    assert.equal(dup.body.client.id, fresh.body.client.id, 'the same invitation, sent again');
    const linked = await t.request('POST', `/api/v1/practices/${b.practiceId}/clients`, {
      token: b.admin.token,
      body: { email: a.client.email, name: 'Sam again' },
    });
    assert.equal(linked.status, 409, 'already the practice’s client');
    const list = await t.request('GET', `/api/v1/practices/${b.practiceId}/clients`, { token: b.colleague.token });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.clients.map((c: { name: string; status: string }) => `${c.name}: ${c.status}`).sort(),
      [`${b.client.name}: active`, 'Again: invited', 'Sam from Harbor: active'].sort(),
    );
    assert.ok(list.body.clients.every((c: { needsResponse: boolean }) => c.needsResponse === false));
    const me = await t.request('GET', '/api/v1/me', { token: a.client.token });
    assert.deepEqual(me.body.clientOf.sort(), [a.practiceId, b.practiceId].sort());
    const outsider = await register(t.request, 'professional');
    const refused = await t.request('GET', `/api/v1/practices/${b.practiceId}/clients`, { token: outsider.token });
    assert.equal(refused.status, 403);
    const asClient = await t.request('GET', `/api/v1/practices/${b.practiceId}/clients`, { token: a.client.token });
    assert.equal(asClient.status, 403);
  });
});
