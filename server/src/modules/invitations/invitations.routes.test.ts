import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  acceptInvitation,
  PASSWORD,
  practiceWithStaff,
  register,
  signIn,
  type Account,
} from '../../testing/fixtures.ts';
import type { Reply } from '../../testing/http.ts';
import { useTestServer } from '../../testing/test-server.ts';

const INVITE_LINK = /(https?:\/\/\S+?)#invite=([A-Za-z0-9_-]{43})/;
const DAY = 86_400_000;

let counter = 0;
const freshEmail = () => `invitee.${Date.now().toString(36)}${++counter}@example.test`;

describe('invitations: linking needs consent, and the answer does not tell whether an account exists', () => {
  const t = useTestServer();
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  const addClient = (email: string, name = 'Typed By Practice', token = s.colleague.token) =>
    t.request('POST', `/api/v1/practices/${s.practiceId}/clients`, { token, body: { email, name } });
  const addColleague = (email: string, token = s.admin.token) =>
    t.request('POST', `/api/v1/practices/${s.practiceId}/members`, { token, body: { email, role: 'colleague' } });
  const mailsTo = (email: string) => t.server.mails.filter((m) => m.to === email);
  const inviteLink = (email: string) => {
    const mails = mailsTo(email);
    const match = INVITE_LINK.exec(mails.at(-1)?.text ?? '');
    assert.ok(match, `an invitation link went to ${email}`);
    return { page: match[1], token: match[2]! };
  };
  /** The reply with what must differ between two addresses (ids, the address itself) blanked out. */
  const shape = (reply: Reply, email: string) => ({
    status: reply.status,
    body: JSON.parse(
      JSON.stringify(reply.body)
        .replaceAll(email, 'EMAIL')
        .replace(/"[a-f0-9]{24}"/g, '"ID"'),
    ),
    headers: [...reply.headers.keys()].filter((h) => !['date', 'x-request-id', 'content-length'].includes(h)).sort(),
  });

  before(async () => {
    s = await practiceWithStaff(t.request);
  });

  test('adding an address answers the same whether or not it has an account: no account id, no 409', async (ctx) => {
    const existing = await register(t.request, 'client', 'Account Name');
    const other = await practiceWithStaff(t.request); // someone else's client: still no conflict here
    const mailsBefore = mailsTo(other.client.email).length; // their own practice invited them already
    const pairs: [Reply, Reply][] = [
      [await addClient(existing.email), await addClient(freshEmail())],
      [await addClient(other.client.email), await addClient(freshEmail())],
    ];
    for (const [known, unknown] of pairs) {
      const knownEmail = known.body.client.email;
      const unknownEmail = unknown.body.client.email;
      assert.deepEqual(shape(known, knownEmail), shape(unknown, unknownEmail));
      assert.equal(known.status, 201);
      assert.deepEqual(Object.keys(known.body.client).sort(), ['email', 'id', 'name', 'status']);
      assert.equal(known.body.client.name, 'Typed By Practice', 'what the practice typed, not the account’s name');
    }
    const colleague = await register(t.request, 'professional');
    const asColleague = [await addColleague(colleague.email), await addColleague(freshEmail())];
    assert.deepEqual(
      shape(asColleague[0]!, colleague.email),
      shape(asColleague[1]!, asColleague[1]!.body.member.email),
    );
    for (const [account, mailed] of [
      [existing, 1],
      [other.client, mailsBefore + 1],
      [colleague, 1],
    ] as const) {
      const reply = JSON.stringify((await addClient(account.email)).body);
      assert.equal(reply.includes(account.id), false, 'no account id in any answer');
      assert.equal(mailsTo(account.email).length, mailed, 'one e-mail each: a re-add within a minute sends none');
    }

    const list = await t.request('GET', `/api/v1/practices/${s.practiceId}/clients`, { token: s.colleague.token });
    const rows = list.body.clients.filter((c: { status: string }) => c.status === 'invited');
    assert.equal(rows.length, 4);
    for (const row of rows) {
      assert.deepEqual(Object.keys(row).sort(), ['email', 'id', 'name', 'needsResponse', 'status']);
      assert.equal(row.name, 'Typed By Practice');
    }
    assert.equal(JSON.stringify(list.body).includes(existing.id), false);

    // How long the answer takes, for an address with an account and one without (reported, not asserted: the
    // machine is shared). Both do the same queries, the same sealing and send one e-mail.
    const timings = { account: [] as number[], none: [] as number[] };
    for (let i = 0; i < 15; i++) {
      const withAccount = await register(t.request, 'client');
      for (const [key, email] of [
        ['account', withAccount.email],
        ['none', freshEmail()],
      ] as const) {
        const started = performance.now();
        assert.equal((await addClient(email)).status, 201);
        timings[key].push(performance.now() - started);
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
    ctx.diagnostic(
      `POST /clients median ms: existing account ${median(timings.account)}, none ${median(timings.none)}`,
    );
  });

  test('until the person accepts, the practice reaches nothing of theirs', async () => {
    const person = await register(t.request, 'client', 'Account Name');
    const added = await addClient(person.email);
    const invitationId = added.body.client.id;
    for (const clientId of [person.id, invitationId]) {
      const thread = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
        token: s.colleague.token,
        body: { clientId, body: 'Hello' },
      });
      assert.equal(thread.status, 400, 'no thread');
      const call = await t.request('POST', '/api/v1/calls', {
        token: s.colleague.token,
        body: { practiceId: s.practiceId, clientId },
      });
      assert.equal(call.status, 400, 'no ring');
      const startsAt = new Date(t.server.clock.now().getTime() + DAY).toISOString();
      const booked = await t.request('POST', `/api/v1/practices/${s.practiceId}/appointments`, {
        token: s.colleague.token,
        body: { clientId, startsAt, durationMinutes: 30 },
      });
      assert.equal(booked.status, 400, 'no appointment');
    }
    const mail = mailsTo(person.email).at(-1)!;
    assert.equal(INVITE_LINK.test(mail.text), false, 'an account holder gets no password link');
    assert.ok(mail.text.includes(`${t.server.url}/messages/?practice=${s.practiceId}`), 'the practice’s portal');
    assert.doesNotMatch(mail.text + mail.subject, /Harbor|Typed By Practice/, 'no practice or person named');

    const seen = await t.request('GET', '/api/v1/invitations', { token: person.token });
    assert.deepEqual(seen.body, {
      invitations: [{ id: invitationId, practice: { id: s.practiceId, name: 'Harbor Therapy' }, role: 'client' }],
    });
    const stranger = await register(t.request, 'client');
    const stolen = await t.request('POST', `/api/v1/invitations/${invitationId}/accept`, { token: stranger.token });
    assert.equal(stolen.status, 404, 'only the invitee can accept');

    const accepted = await t.request('POST', `/api/v1/invitations/${invitationId}/accept`, { token: person.token });
    assert.equal(accepted.status, 200);
    assert.deepEqual(accepted.body, { practice: { id: s.practiceId, name: 'Harbor Therapy' }, role: 'client' });
    const list = await t.request('GET', `/api/v1/practices/${s.practiceId}/clients`, { token: s.colleague.token });
    const row = list.body.clients.find((c: { id: string }) => c.id === person.id);
    assert.deepEqual(row, {
      id: person.id,
      email: person.email,
      name: 'Typed By Practice',
      needsResponse: false,
      status: 'active',
    });
    assert.equal(
      list.body.clients.some((c: { id: string }) => c.id === invitationId),
      false,
    );
    const thread = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: person.id, body: 'Welcome' },
    });
    assert.equal(thread.status, 201);
    assert.equal((await t.request('GET', '/api/v1/invitations', { token: person.token })).body.invitations.length, 0);
  });

  test('declining: the invitee hears no more of it, and the practice cannot tell a decline from silence', async () => {
    const person = await register(t.request, 'professional');
    const added = await addColleague(person.email);
    const id = added.body.member.id;
    assert.equal((await t.request('POST', `/api/v1/invitations/${id}/decline`, { token: person.token })).status, 204);
    assert.deepEqual((await t.request('GET', '/api/v1/invitations', { token: person.token })).body.invitations, []);
    const accept = await t.request('POST', `/api/v1/invitations/${id}/accept`, { token: person.token });
    assert.equal(accept.status, 404);
    const team = await t.request('GET', `/api/v1/practices/${s.practiceId}/members`, { token: s.admin.token });
    assert.ok(
      team.body.invited.some((m: { id: string }) => m.id === id),
      'still shown as invited',
    );
    assert.equal(
      team.body.members.some((m: { userId: string }) => m.userId === person.id),
      false,
    );
    const inside = await t.request('GET', `/api/v1/practices/${s.practiceId}/clients`, { token: person.token });
    assert.equal(inside.status, 403);
  });

  test('an address without an account gets a single-use 7-day link that sets a password and signs in', async () => {
    const email = freshEmail();
    await addClient(email, 'Newcomer Typed');
    const { page, token } = inviteLink(email);
    assert.equal(page, `${t.server.url}/messages/`);
    const mail = mailsTo(email).at(-1)!;
    assert.doesNotMatch(mail.text + mail.subject, /Harbor|Newcomer/, 'no practice or person named');
    const stored = await t.server.db.collection('invitations').find().toArray();
    assert.ok(stored.length > 0);
    assert.equal(JSON.stringify(stored).includes(token), false, 'only the token’s hash is stored');

    const redeemed = await t.request('POST', '/api/v1/auth/invite', {
      body: { token, password: PASSWORD },
      headers: { origin: t.server.url },
    });
    assert.equal(redeemed.status, 200);
    assert.equal(redeemed.body.user.email, email);
    assert.equal(redeemed.body.user.name, 'Newcomer Typed');
    assert.equal(redeemed.body.user.kind, 'client');
    assert.equal(redeemed.body.practiceId, s.practiceId);
    assert.equal(redeemed.body.role, 'client');
    const me = await t.request('GET', '/api/v1/me', { token: redeemed.body.token });
    assert.deepEqual(me.body.clientOf, [s.practiceId]);
    const login = await t.request('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    assert.equal(login.status, 200, 'the password works from now on');

    const again = await t.request('POST', '/api/v1/auth/invite', { body: { token, password: PASSWORD } });
    assert.equal(again.status, 401, 'single use');
    assert.equal(again.body.error.code, 'unauthenticated');
  });

  test('a colleague’s link opens the console, asks for a name, and makes them a member', async () => {
    const email = freshEmail();
    await addColleague(email);
    const { page, token } = inviteLink(email);
    assert.equal(page, `${t.server.url}/console`);
    const nameless = await t.request('POST', '/api/v1/auth/invite', { body: { token, password: PASSWORD } });
    assert.equal(nameless.status, 400);
    assert.deepEqual(nameless.body.error.fields, [{ path: 'name', message: 'is required' }]);
    const redeemed = await t.request('POST', '/api/v1/auth/invite', {
      body: { token, password: PASSWORD, name: 'Robin Colleague' },
    });
    assert.equal(redeemed.status, 200, 'a refused try does not use up the link');
    assert.equal(redeemed.body.user.kind, 'professional');
    const me = await t.request('GET', '/api/v1/me', { token: redeemed.body.token });
    assert.deepEqual(me.body.memberships, [{ practiceId: s.practiceId, role: 'colleague' }]);
  });

  test('a link stops working after 7 days; re-adding sends a new one', async () => {
    const email = freshEmail();
    await addClient(email);
    const { token: old } = inviteLink(email);
    t.server.clock.advance(7 * DAY + 1);
    // A week without use ended every session too.
    await Promise.all([signIn(t.request, s.colleague), signIn(t.request, s.admin)]);
    const late = await t.request('POST', '/api/v1/auth/invite', { body: { token: old, password: PASSWORD } });
    assert.equal(late.status, 401);
    await addClient(email);
    const { token } = inviteLink(email);
    assert.notEqual(token, old);
    assert.equal(
      (await t.request('POST', '/api/v1/auth/invite', { body: { token: old, password: PASSWORD } })).status,
      401,
    );
    assert.equal((await t.request('POST', '/api/v1/auth/invite', { body: { token, password: PASSWORD } })).status, 200);
  });

  test('someone who registered after being invited signs in and accepts instead', async () => {
    const email = freshEmail();
    await addClient(email);
    const { token } = inviteLink(email);
    const reg = await t.request('POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD, name: 'Registered Meanwhile', kind: 'client' },
    });
    assert.equal(reg.status, 201, 'registering an invited address works (no account was made for it)');
    const redeem = await t.request('POST', '/api/v1/auth/invite', { body: { token, password: 'another password!' } });
    assert.equal(redeem.status, 409);
    const person: Account = { id: reg.body.user.id, email, name: 'Registered Meanwhile', token: reg.body.token };
    await acceptInvitation(t.request, s.practiceId, person);
    const me = await t.request('GET', '/api/v1/me', { token: person.token });
    assert.deepEqual(me.body.clientOf, [s.practiceId]);
  });

  test('two admins adding the same address at once leave one invitation and one e-mail (20 rounds)', async () => {
    const second = await register(t.request, 'professional');
    await t.request('POST', `/api/v1/practices/${s.practiceId}/members`, {
      token: s.admin.token,
      body: { email: second.email, role: 'admin' },
    });
    await acceptInvitation(t.request, s.practiceId, second);
    for (let round = 0; round < 20; round++) {
      const email = freshEmail();
      const [a, b] = await Promise.all([addClient(email, 'A', s.admin.token), addClient(email, 'B', second.token)]);
      assert.deepEqual([a.status, b.status], [201, 201], `round ${round}`);
      assert.equal(a.body.client.id, b.body.client.id, `round ${round}: one invitation`);
      const list = await t.request('GET', `/api/v1/practices/${s.practiceId}/clients`, { token: s.admin.token });
      assert.equal(list.body.clients.filter((c: { email: string }) => c.email === email).length, 1, `round ${round}`);
      assert.equal(mailsTo(email).length, 1, `round ${round}: one e-mail`);
    }
  });
  test('resend: a new link to the same address, the old one dead; colleagues’ invitations are admins’ to resend', async () => {
    await Promise.all([s.colleague, s.admin, s.client].map((who) => signIn(t.request, who)));
    const email = freshEmail();
    const added = await addColleague(email);
    const { token: old } = inviteLink(email);
    const resend = (token: string) =>
      t.request('POST', `/api/v1/invitations/${added.body.member.id}/resend`, { token });
    assert.equal((await resend(s.colleague.token)).status, 403, 'a colleague cannot resend a colleague’s invitation');
    assert.equal((await resend(s.client.token)).status, 404);
    const again = await resend(s.admin.token);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.invitation, { id: added.body.member.id, email, role: 'colleague', status: 'invited' });
    assert.equal(mailsTo(email).length, 2, 'to the same address');
    const { token } = inviteLink(email);
    assert.notEqual(token, old);
    const redeem = (link: string) =>
      t.request('POST', '/api/v1/auth/invite', { body: { token: link, password: PASSWORD, name: 'Sam New' } });
    assert.equal((await redeem(old)).status, 401, 'the old link is dead');
    assert.equal((await redeem(token)).status, 200);
    const team = await t.request('GET', `/api/v1/practices/${s.practiceId}/members`, { token: s.admin.token });
    assert.ok(
      team.body.members.some((m: { email: string }) => m.email === email),
      'now active',
    );
    assert.ok(!team.body.invited.some((m: { email: string }) => m.email === email), 'no longer invited');
    assert.equal((await resend(s.admin.token)).status, 404, 'an accepted invitation is gone');
  });

  test('resend of a client’s invitation by any member revives an expired link; at once twice, one link works', async () => {
    const email = freshEmail();
    const added = await addClient(email);
    const id = added.body.client.id;
    t.server.clock.advance(7 * DAY + 1);
    await Promise.all([signIn(t.request, s.colleague), signIn(t.request, s.admin)]);
    const revived = await t.request('POST', `/api/v1/invitations/${id}/resend`, { token: s.colleague.token });
    assert.equal(revived.status, 200);
    assert.deepEqual(revived.body.invitation, { id, email, name: 'Typed By Practice', status: 'invited' });
    for (let round = 0; round < 10; round++) {
      const before = mailsTo(email).length;
      const replies = await Promise.all(
        [s.colleague, s.admin].map((m) => t.request('POST', `/api/v1/invitations/${id}/resend`, { token: m.token })),
      );
      const statuses = replies.map((r) => r.status).sort();
      assert.ok(['200,200', '200,409'].includes(statuses.join(',')), `round ${round}: ${statuses}`);
      const sent = mailsTo(email).slice(before);
      assert.equal(sent.length, statuses.filter((x) => x === 200).length, `round ${round}: one mail per resend`);
    }
    // Of every link mailed, exactly one (the one stored last) still opens the invitation.
    const links = mailsTo(email).map((m) => INVITE_LINK.exec(m.text)![2]!);
    let opened = 0;
    for (const link of links)
      if (
        (await t.request('POST', '/api/v1/auth/invite', { body: { token: link, password: PASSWORD } })).status === 200
      )
        opened++;
    assert.equal(opened, 1, `${links.length} links mailed`);
  });
});
