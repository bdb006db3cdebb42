import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RosterChangedEvent } from '@clocktree/protocol';
import { Types } from 'mongoose';
import { PASSWORD, practiceWithStaff, register, signIn, type Account } from '../testing/fixtures.ts';
import { online, type ClientSocket, type Transport } from '../testing/sockets.ts';
import { useTestServer } from '../testing/test-server.ts';

const INVITE_LINK = /#invite=([A-Za-z0-9_-]{43})/;
const DAY = 86_400_000;

/** Everything a socket hears, in order: its `roster:changed` events, and the fence marks that close a round. */
interface Ear {
  socket: ClientSocket;
  roster: RosterChangedEvent[];
  /** Resolves once `done` holds for what was heard (checked as each event arrives). */
  until(done: (ear: Ear) => boolean): Promise<void>;
  fences: number;
}

function listen(socket: ClientSocket): Ear {
  const waiting = new Set<() => void>();
  const ear: Ear = {
    socket,
    roster: [],
    fences: 0,
    until: (done) =>
      new Promise((resolve) => {
        const check = () => {
          if (!done(ear)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      }),
  };
  const heard = () => [...waiting].forEach((check) => check());
  socket.on('roster:changed', (event) => {
    ear.roster.push(event);
    heard();
  });
  // The fences: Socket.IO delivers to a socket in the order the server emitted, so what was not heard before a later
  // event was never sent to it.
  socket.on('message:new', () => {
    ear.fences++;
    heard();
  });
  return ear;
}

describe('roster:changed: a practice’s consoles follow invitations and membership live', () => {
  const t = useTestServer();
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  let other: Awaited<ReturnType<typeof practiceWithStaff>>;
  let threadId: string;
  const sockets: ClientSocket[] = [];

  before(async () => {
    s = await practiceWithStaff(t.request);
    other = await practiceWithStaff(t.request);
    const thread = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'a thread for the fence' },
    });
    threadId = thread.body.thread.id;
  });
  after(() => sockets.forEach((socket) => socket.close()));

  async function ears(account: Account, transport: Transport) {
    const socket = await online(t.server.url, account.token, transport);
    sockets.push(socket);
    return listen(socket);
  }

  for (const transport of ['websocket', 'polling'] as const) {
    test(`members hear every change of their practice; its clients and another practice hear none (${transport})`, async () => {
      const [admin, colleague, client, stranger] = await Promise.all([
        ears(s.admin, transport),
        ears(s.colleague, transport),
        ears(s.client, transport),
        ears(other.admin, transport),
      ]);
      const pid = s.practiceId;
      const expected: Omit<RosterChangedEvent, 'practiceId'>[] = [];
      const members = [admin, colleague];
      /** Both members hear `event` next: their practice's latest change. */
      async function heard(event: Omit<RosterChangedEvent, 'practiceId'>) {
        expected.push(event);
        await Promise.all(members.map((m) => m.until((ear) => ear.roster.length === expected.length)));
      }
      const as = (account: Account) => ({ token: account.token });

      // A client invited by address (no account yet), who sets a password from the e-mail's link.
      const email = `roster.${transport}.${Date.now().toString(36)}@example.test`;
      const added = await t.request('POST', `/api/v1/practices/${pid}/clients`, {
        ...as(s.colleague),
        body: { email, name: 'Roster Newcomer' },
      });
      assert.equal(added.status, 201);
      const invitationId: string = added.body.client.id;
      await heard({ list: 'clients', change: 'invited', id: invitationId, invitationId: null });
      const token = INVITE_LINK.exec(t.server.mails.filter((m) => m.to === email).at(-1)?.text ?? '')?.[1];
      assert.ok(token, 'the invitation e-mail carries its link');
      const redeemed = await t.request('POST', '/api/v1/auth/invite', {
        body: { token, password: PASSWORD },
        headers: { origin: t.server.url },
      });
      assert.equal(redeemed.status, 200);
      const newcomerId: string = redeemed.body.user.id;
      await heard({ list: 'clients', change: 'joined', id: newcomerId, invitationId });

      // A colleague with an account, invited and accepting after signing in; then a role change and a removal.
      const pro = await register(t.request, 'professional');
      const member = `/api/v1/practices/${pid}/members`;
      const invited = await t.request('POST', member, {
        ...as(s.admin),
        body: { email: pro.email, role: 'colleague' },
      });
      assert.equal(invited.status, 201);
      const proInvitation: string = invited.body.member.id;
      await heard({ list: 'members', change: 'invited', id: proInvitation, invitationId: null });
      assert.equal((await t.request('POST', `/api/v1/invitations/${proInvitation}/accept`, as(pro))).status, 200);
      await heard({ list: 'members', change: 'joined', id: pro.id, invitationId: proInvitation });
      const promoted = await t.request('PATCH', `${member}/${pro.id}`, { ...as(s.admin), body: { role: 'admin' } });
      assert.equal(promoted.status, 200);
      await heard({ list: 'members', change: 'role', id: pro.id, invitationId: null });
      assert.equal((await t.request('DELETE', `${member}/${pro.id}`, as(s.admin))).status, 204);
      await heard({ list: 'members', change: 'removed', id: pro.id, invitationId: null });
      const unlinked = await t.request('DELETE', `/api/v1/practices/${pid}/clients/${newcomerId}`, as(s.admin));
      assert.equal(unlinked.status, 204);
      await heard({ list: 'clients', change: 'removed', id: newcomerId, invitationId: null });

      const want = expected.map((e) => ({ practiceId: pid, ...e }));
      for (const member of members) assert.deepEqual(member.roster, want, 'ids and states, nothing more');

      // Fences: the client hears a message of their own thread, the other practice's admin a change of theirs.
      const fenced = await t.request('POST', `/api/v1/threads/${threadId}/messages`, {
        token: s.colleague.token,
        body: { body: 'fence' },
        headers: { 'idempotency-key': `roster-fence-${transport}` },
      });
      assert.equal(fenced.status, 201);
      const theirs = await t.request('POST', `/api/v1/practices/${other.practiceId}/clients`, {
        token: other.admin.token,
        body: { email: `other.${email}`, name: 'Someone Else' },
      });
      assert.equal(theirs.status, 201);
      await client.until((ear) => ear.fences > 0);
      await stranger.until((ear) => ear.roster.length > 0);
      assert.deepEqual(client.roster, [], 'a client of the practice hears nothing of its roster');
      assert.deepEqual(
        stranger.roster.map((e) => e.practiceId),
        [other.practiceId],
        'another practice’s admin hears only their own practice',
      );
      for (const ear of [admin, colleague, client, stranger]) ear.socket.close();
    });
  }
  test('a decline sends nothing, exactly like silence; at 7 days both expire alike, and a resend brings a row back', async () => {
    // A practice of its own: the clock moves a week here, and every invitation that expires is announced.
    const p = await practiceWithStaff(t.request);
    const pid = p.practiceId;
    const thread = await t.request('POST', `/api/v1/practices/${pid}/threads`, {
      token: p.colleague.token,
      body: { clientId: p.client.id, body: 'a thread for the fence' },
    });
    assert.equal(thread.status, 201);
    const [admin, colleague] = await Promise.all([ears(p.admin, 'websocket'), ears(p.colleague, 'websocket')]);
    const members = [admin, colleague];
    let fence = 0;
    /** Everything sent to the members before this is heard by them now (a message of the practice closes the round). */
    async function fenced() {
      const reply = await t.request('POST', `/api/v1/threads/${thread.body.thread.id}/messages`, {
        token: p.colleague.token,
        body: { body: 'fence' },
        headers: { 'idempotency-key': `roster-expiry-fence-${++fence}` },
      });
      assert.equal(reply.status, 201);
      await Promise.all(members.map((m) => m.until((ear) => ear.fences === fence)));
    }
    const heard = () => members.map((m) => m.roster.map(({ change, id, list }) => `${list}:${change}:${id}`));

    // Four invitations of people with accounts: a client and a colleague who decline, and two who never answer.
    const [clientDeclines, clientSilent, proDeclines, proSilent] = await Promise.all(
      (['client', 'client', 'professional', 'professional'] as const).map((kind) => register(t.request, kind)),
    );
    const invite = async (person: Account, list: 'clients' | 'members') => {
      const reply =
        list === 'members'
          ? await t.request('POST', `/api/v1/practices/${pid}/members`, {
              token: p.admin.token,
              body: { email: person.email, role: 'colleague' },
            })
          : await t.request('POST', `/api/v1/practices/${pid}/clients`, {
              token: p.colleague.token,
              body: { email: person.email, name: 'Typed Name' },
            });
      assert.equal(reply.status, 201);
      return { list, id: String((reply.body.member ?? reply.body.client).id) };
    };
    const cd = await invite(clientDeclines!, 'clients');
    const cs = await invite(clientSilent!, 'clients');
    const pd = await invite(proDeclines!, 'members');
    const ps = await invite(proSilent!, 'members');
    const invitations = [cd, cs, pd, ps];
    await fenced();
    const invitedHeard = invitations.map(({ list, id }) => `${list}:invited:${id}`);
    assert.deepEqual(heard(), [invitedHeard, invitedHeard]);

    for (const [person, invitation] of [
      [clientDeclines!, cd],
      [proDeclines!, pd],
    ] as const) {
      const declined = await t.request('POST', `/api/v1/invitations/${invitation.id}/decline`, { token: person.token });
      assert.equal(declined.status, 204);
    }
    await fenced();
    assert.deepEqual(heard(), [invitedHeard, invitedHeard], 'a decline sends the practice nothing');
    const lists = async () => {
      const [clients, team] = await Promise.all([
        t.request('GET', `/api/v1/practices/${pid}/clients`, { token: p.admin.token }),
        t.request('GET', `/api/v1/practices/${pid}/members`, { token: p.admin.token }),
      ]);
      return [
        ...clients.body.clients
          .filter((c: { status: string }) => c.status === 'invited')
          .map((c: { id: string }) => c.id),
        ...team.body.invited.map((m: { id: string }) => m.id),
      ].sort();
    };
    assert.deepEqual(await lists(), [cd.id, cs.id, pd.id, ps.id].sort(), 'declined or not, all four still invited');

    // One second before the 7 days are over, nothing expires yet; then all four do, at once, and alike.
    t.server.clock.advance(7 * DAY - 1000);
    // A week without use ended the sessions: the members sign in again (their sockets stay).
    await Promise.all([p.admin, p.colleague].map((m) => signIn(t.request, m)));
    assert.equal(await t.server.app.jobs.invitationExpiries().then(() => 'ran'), 'ran');
    await fenced();
    assert.deepEqual(heard(), [invitedHeard, invitedHeard], 'nothing expired yet');
    t.server.clock.advance(1001);
    // The sweep right after does not take them before their announcement.
    await t.server.app.jobs.sweep();
    await t.server.app.jobs.invitationExpiries();
    await fenced();
    const expiredHeard = invitations.map(({ list, id }) => `${list}:expired:${id}`);
    for (const member of members) {
      assert.deepEqual(
        member.roster
          .slice(4)
          .map(({ list, change, id }) => `${list}:${change}:${id}`)
          .sort(),
        [...expiredHeard].sort(),
      );
      for (const event of member.roster.slice(4))
        assert.deepEqual(Object.keys(event).sort(), ['change', 'id', 'invitationId', 'list', 'practiceId']);
      for (const event of member.roster.slice(4)) assert.deepEqual([event.practiceId, event.invitationId], [pid, null]);
    }
    assert.deepEqual(await lists(), [], 'what a reload shows: no invited rows');
    await t.server.app.jobs.invitationExpiries();
    await fenced();
    assert.equal(admin.roster.length, 8, 'each expiry is announced once');

    // A resend of the expired colleague invitation, and a re-add of the expired client, bring their rows back.
    const resent = await t.request('POST', `/api/v1/invitations/${ps.id}/resend`, { token: p.admin.token });
    assert.equal(resent.status, 200);
    const readded = await t.request('POST', `/api/v1/practices/${pid}/clients`, {
      token: p.colleague.token,
      body: { email: clientSilent!.email, name: 'Typed Name' },
    });
    assert.equal(readded.status, 201);
    assert.equal(readded.body.client.id, cs.id, 'the same invitation, revived');
    await fenced();
    for (const member of members)
      assert.deepEqual(
        member.roster.slice(8).map(({ list, change, id }) => `${list}:${change}:${id}`),
        [`members:invited:${ps.id}`, `clients:invited:${cs.id}`],
      );
    assert.deepEqual(await lists(), [cs.id, ps.id].sort());

    // An hour later the sweep deletes the two left expired; the revived ones stay.
    t.server.clock.advance(3600_000 + 1);
    await t.server.app.jobs.sweep();
    const left = await t.server.db
      .collection('invitations')
      .find({ practiceId: new Types.ObjectId(pid) })
      .toArray();
    assert.deepEqual(left.map((d) => String(d._id)).sort(), [cs.id, ps.id].sort());
    for (const ear of members) ear.socket.close();
  });
});
