import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addClient,
  addMember,
  practiceOnSite,
  practiceWithStaff,
  register,
  signIn,
  type Account,
} from '../../testing/fixtures.ts';
import { online, type ClientSocket } from '../../testing/sockets.ts';
import { useTestServer } from '../../testing/test-server.ts';

const SITE = 'https://harbor-therapy.example';
const OTHER_SITE = 'https://cedar-clinic.example';
const DAY = 86_400_000;

const dropped = (socket: ClientSocket) =>
  new Promise<string>((resolve) => {
    if (!socket.connected) resolve('already');
    socket.once('disconnect', resolve);
  });

describe('admins remove colleagues, change roles and unlink clients; access ends at once', () => {
  const t = useTestServer();
  const api = (method: string, path: string, who: Account, body?: unknown) =>
    t.request(method, `/api/v1${path}`, { token: who.token, body });
  const auditActions = async (pid: string, admin: Account) =>
    (await api('GET', `/practices/${pid}/audit`, admin)).body.entries.map((e: { action: string }) => e.action);

  test('a removed colleague loses sockets, HTTP access, assignments and appointments at once', async () => {
    const s = await practiceWithStaff(t.request);
    const thread = await api('POST', `/practices/${s.practiceId}/threads`, s.colleague, {
      clientId: s.client.id,
      body: 'Hello',
    });
    const startsAt = new Date(t.server.clock.now().getTime() + DAY).toISOString();
    const booked = await api('POST', `/practices/${s.practiceId}/appointments`, s.colleague, {
      clientId: s.client.id,
      startsAt,
      durationMinutes: 30,
    });
    assert.equal(booked.status, 201);
    const socket = await online(t.server.url, s.colleague.token);
    const ended = dropped(socket);

    assert.equal((await api('DELETE', `/practices/${s.practiceId}/members/${s.colleague.id}`, s.admin)).status, 204);
    assert.equal(await ended, 'io server disconnect');
    const next = await api('GET', `/practices/${s.practiceId}/clients`, s.colleague);
    assert.equal(next.status, 403);
    assert.equal((await api('GET', `/threads/${thread.body.thread.id}`, s.colleague)).status, 404);
    const settings = await api('GET', `/practices/${s.practiceId}/settings`, s.admin);
    assert.deepEqual(settings.body.practice.contactUsAssigneeIds, [], 'no longer assigned to Contact Us');
    assert.equal(
      settings.body.members.some((m: { userId: string }) => m.userId === s.colleague.id),
      false,
    );
    const appointment = await api('GET', `/appointments/${booked.body.appointment.id}`, s.admin);
    assert.equal(appointment.body.appointment.status, 'cancelled');

    // Reconnected, the socket hears nothing more of the practice.
    const again = await online(t.server.url, s.colleague.token);
    let heard = 0;
    again.on('message:new', () => heard++);
    await api('POST', `/threads/${thread.body.thread.id}/messages`, s.client, { body: 'Are you there?' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(heard, 0);
    again.close();
    assert.ok((await auditActions(s.practiceId, s.admin)).includes('member.remove'));
  });

  test('roles change; the last admin can neither be removed nor demoted (409)', async () => {
    const s = await practiceWithStaff(t.request);
    const path = `/practices/${s.practiceId}/members`;
    assert.equal((await api('GET', `/practices/${s.practiceId}/settings`, s.colleague)).status, 403);
    const promoted = await api('PATCH', `${path}/${s.colleague.id}`, s.admin, { role: 'admin' });
    assert.equal(promoted.status, 200);
    assert.deepEqual(promoted.body, { member: { userId: s.colleague.id, role: 'admin' } });
    assert.equal((await api('GET', `/practices/${s.practiceId}/settings`, s.colleague)).status, 200);
    const demoted = await api('PATCH', `${path}/${s.colleague.id}`, s.admin, { role: 'colleague' });
    assert.equal(demoted.status, 200);
    assert.equal((await api('GET', `/practices/${s.practiceId}/settings`, s.colleague)).status, 403, 'at once');

    for (const [method, body] of [
      ['PATCH', { role: 'colleague' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await api(method, `${path}/${s.admin.id}`, s.admin, body);
      assert.equal(res.status, 409, `${method} the last admin`);
      assert.equal(res.body.error.code, 'conflict');
    }
    assert.equal((await api('DELETE', `${path}/${s.colleague.id}`, s.colleague)).status, 403, 'admins only');
    assert.equal((await api('PATCH', `${path}/${s.colleague.id}`, s.admin, { role: 'owner' })).status, 400);
    assert.equal((await api('DELETE', `${path}/${s.client.id}`, s.admin)).status, 404, 'not a member');

    const second = await register(t.request, 'professional');
    await addMember(t.request, s.practiceId, s.admin, second, 'admin');
    assert.equal((await api('DELETE', `${path}/${s.admin.id}`, second)).status, 204, 'with another admin, it can go');
    const actions = await auditActions(s.practiceId, second);
    assert.ok(actions.includes('member.role') && actions.includes('member.remove'));
  });

  test('an unlinked client loses the practice’s sockets, conversations, services and appointments', async () => {
    const s = await practiceOnSite(t.request, SITE);
    const other = await practiceOnSite(t.request, OTHER_SITE);
    await addClient(t.request, other.practiceId, other.admin, s.client);
    const service = await api('POST', `/practices/${s.practiceId}/services`, s.admin, {
      name: 'Billing question',
      description: '',
      assigneeIds: [],
    });
    const thread = await api('POST', `/practices/${s.practiceId}/threads`, s.colleague, {
      clientId: s.client.id,
      body: 'Notes from our session',
    });
    const startsAt = new Date(t.server.clock.now().getTime() + DAY).toISOString();
    const booked = await api('POST', `/practices/${s.practiceId}/appointments`, s.colleague, {
      clientId: s.client.id,
      startsAt,
      durationMinutes: 30,
    });
    const [firstParty, onSite, onOtherSite] = await Promise.all([
      online(t.server.url, s.client.token),
      online(t.server.url, await signIn(t.request, s.client, SITE), 'websocket', SITE),
      online(t.server.url, await signIn(t.request, s.client, OTHER_SITE), 'websocket', OTHER_SITE),
    ]);
    const ends = [dropped(firstParty), dropped(onSite)];

    assert.equal((await api('DELETE', `/practices/${s.practiceId}/clients/${s.client.id}`, s.admin)).status, 204);
    assert.deepEqual(await Promise.all(ends), ['io server disconnect', 'io server disconnect']);
    assert.equal(onOtherSite.connected, true, 'the socket of the other practice’s site stays');
    onOtherSite.close();

    const read = await api('GET', `/threads/${thread.body.thread.id}`, s.client);
    assert.equal(read.status, 404);
    const mine = await api('GET', '/threads', s.client);
    assert.equal(
      mine.body.threads.some((th: { practiceId: string }) => th.practiceId === s.practiceId),
      false,
    );
    const viaService = await api(
      'POST',
      `/practices/${s.practiceId}/services/${service.body.service.id}/threads`,
      s.client,
      {
        body: 'Still there?',
      },
    );
    assert.equal(viaService.status, 403);
    const me = await api('GET', '/me', s.client);
    assert.deepEqual(me.body.clientOf, [other.practiceId]);
    const asPractice = await api('GET', `/threads/${thread.body.thread.id}`, s.colleague);
    assert.equal(asPractice.body.thread.status, 'closed', 'their open conversations close');
    const appointment = await api('GET', `/appointments/${booked.body.appointment.id}`, s.colleague);
    assert.equal(appointment.body.appointment.status, 'cancelled');
    const list = await api('GET', `/practices/${s.practiceId}/clients`, s.colleague);
    assert.equal(
      list.body.clients.some((c: { id: string }) => c.id === s.client.id),
      false,
    );
    assert.ok((await auditActions(s.practiceId, s.admin)).includes('client.remove'));

    // Invited again and accepted: their conversations are theirs to read again.
    await addClient(t.request, s.practiceId, s.admin, s.client);
    assert.equal((await api('GET', `/threads/${thread.body.thread.id}`, s.client)).status, 200);
  });

  test('removing someone invited withdraws the invitation; unknown ids are 404', async () => {
    const s = await practiceWithStaff(t.request);
    const invited = await api('POST', `/practices/${s.practiceId}/clients`, s.colleague, {
      email: 'withdrawn@example.test',
      name: 'Withdrawn',
    });
    const link = /#invite=([A-Za-z0-9_-]+)/.exec(t.server.mails.at(-1)!.text)![1];
    const colleague = await api('POST', `/practices/${s.practiceId}/members`, s.admin, {
      email: 'team.withdrawn@example.test',
      role: 'colleague',
    });
    assert.equal(
      (await api('DELETE', `/practices/${s.practiceId}/clients/${invited.body.client.id}`, s.admin)).status,
      204,
    );
    assert.equal(
      (await api('DELETE', `/practices/${s.practiceId}/members/${colleague.body.member.id}`, s.admin)).status,
      204,
    );
    const list = await api('GET', `/practices/${s.practiceId}/clients`, s.admin);
    assert.equal(
      list.body.clients.some((c: { status: string }) => c.status === 'invited'),
      false,
    );
    const team = await api('GET', `/practices/${s.practiceId}/members`, s.admin);
    assert.deepEqual(team.body.invited, []);
    const redeem = await t.request('POST', '/api/v1/auth/invite', {
      body: { token: link, password: 'a long enough password' },
    });
    assert.equal(redeem.status, 401, 'the withdrawn link no longer works');
    for (const path of [`/clients/${s.admin.id}`, `/members/${'0'.repeat(24)}`]) {
      const res = await api('DELETE', `/practices/${s.practiceId}${path}`, s.admin);
      assert.equal(res.status, 404, path);
    }
    assert.equal(
      (await api('DELETE', `/practices/${s.practiceId}/clients/${s.client.id}`, s.colleague)).status,
      403,
      'only admins unlink clients',
    );
  });
});
