import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { EVIL_SITE, evilClinicScenario, HARBOR_SITE } from '../testing/evil-clinic.ts';
import { signIn, type Account } from '../testing/fixtures.ts';
import { useTestServer } from '../testing/test-server.ts';

/**
 * Issue 8, section 2: a self-registered professional opens "Evil Clinic", lists their own site in its
 * `allowedOrigins`, and gets a client of Harbor Therapy to sign in on that site. Nothing of Harbor may be reached
 * with that session — from the evil site, or by the same token replayed without any Origin.
 */
describe('a session acts only for the site and practice it was issued to', () => {
  const t = useTestServer();
  let harbor: Awaited<ReturnType<typeof evilClinicScenario>>['harbor'];
  let victim: Account;
  let evilAdmin: Account;
  let evilPracticeId: string;
  let harborThread: string;
  let harborAttachment: string;
  let harborAppointment: string;
  let harborCall: string;
  let evilToken: string;

  before(async () => {
    let evil;
    ({ harbor, victim, evil } = await evilClinicScenario(t.request));
    ({ admin: evilAdmin, practiceId: evilPracticeId } = evil);

    // Harbor's records about the victim: a conversation with a file, an appointment and a ringing call.
    const form = new FormData();
    form.append('file', new Blob(['harbor-canary notes'], { type: 'text/plain' }), 'notes.txt');
    const uploaded = await fetch(`${t.server.url}/api/v1/attachments?practiceId=${harbor.practiceId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harbor.colleague.token}` },
      body: form,
    });
    assert.equal(uploaded.status, 201);
    harborAttachment = ((await uploaded.json()) as { attachment: { id: string } }).attachment.id;
    const thread = await t.request('POST', `/api/v1/practices/${harbor.practiceId}/threads`, {
      token: harbor.colleague.token,
      body: {
        clientId: victim.id,
        subject: 'harbor-canary',
        body: 'harbor-canary body',
        attachmentIds: [harborAttachment],
      },
    });
    assert.equal(thread.status, 201);
    harborThread = thread.body.thread.id;
    const startsAt = new Date(t.server.clock.now().getTime() + 2 * 86_400_000).toISOString();
    const appointment = await t.request('POST', `/api/v1/practices/${harbor.practiceId}/appointments`, {
      token: harbor.colleague.token,
      body: { clientId: victim.id, startsAt, durationMinutes: 50 },
    });
    assert.equal(appointment.status, 201);
    harborAppointment = appointment.body.appointment.id;
    const call = await t.request('POST', '/api/v1/calls', {
      token: harbor.colleague.token,
      body: { practiceId: harbor.practiceId, clientId: victim.id },
    });
    assert.equal(call.status, 201);
    harborCall = call.body.call.id;

    evilToken = await signIn(t.request, victim, EVIL_SITE);
  });

  for (const [label, headers] of [
    ['from the evil site', { origin: EVIL_SITE }],
    ['replayed by a script without Origin', {}],
  ] as const) {
    test(`the victim's evil-site session reads nothing of Harbor, ${label}`, async () => {
      const as = (method: string, path: string, body?: unknown) =>
        t.request(method, `/api/v1${path}`, { token: evilToken, headers, body });

      const me = await as('GET', '/me');
      assert.equal(me.status, 200);
      assert.deepEqual(me.body.clientOf, [], 'Harbor is not listed');
      const threads = await as('GET', '/threads');
      assert.deepEqual(threads.body.threads, []);
      const narrowed = await as('GET', `/threads?practiceId=${harbor.practiceId}`);
      assert.deepEqual(narrowed.body.threads, []);
      assert.deepEqual((await as('GET', '/appointments')).body.appointments, []);
      assert.deepEqual((await as('GET', '/calls')).body.calls, []);

      for (const [method, path, body] of [
        ['GET', `/threads/${harborThread}`],
        ['POST', `/threads/${harborThread}/messages`, { body: 'written from the evil site' }],
        ['POST', `/threads/${harborThread}/read`, { seq: 1 }],
        ['GET', `/attachments/${harborAttachment}`],
        ['GET', `/appointments/${harborAppointment}`],
        ['POST', `/appointments/${harborAppointment}/join`],
        ['GET', `/calls/${harborCall}`],
        ['POST', `/calls/${harborCall}/answer`],
      ] as const) {
        const res = await as(method, path, body);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error.code, 'not_found');
        assert.doesNotMatch(JSON.stringify(res.body), /harbor-canary/);
        assert.notEqual(res.headers.get('access-control-allow-origin'), '*');
      }
      const upload = await as('POST', `/attachments?practiceId=${harbor.practiceId}`);
      assert.equal(upload.status, 403);
      const practiceRoute = await as('GET', `/practices/${harbor.practiceId}/members`);
      assert.equal(practiceRoute.status, 403);
      const newPractice = await as('POST', '/practices', { name: 'Made from the evil site' });
      assert.equal(newPractice.status, 403, 'a route that names no practice stays first-party');

      const replies = await t.request('GET', `/api/v1/threads/${harborThread}`, { token: harbor.colleague.token });
      assert.equal(replies.body.messages.length, 1, 'nothing was written');
    });
  }

  test('Contact Us from the evil site does not act as Harbor’s client', async () => {
    const sent = await t.request('POST', `/api/v1/practices/${harbor.practiceId}/contact-us`, {
      token: evilToken,
      headers: { origin: EVIL_SITE },
      body: { name: 'Sam', email: victim.email, body: 'contact-canary' },
    });
    assert.equal(sent.status, 201);
    const thread = await t.request('GET', `/api/v1/threads/${sent.body.thread.id}`, { token: harbor.colleague.token });
    assert.equal(thread.body.thread.clientId, null, 'written as an anonymous visitor, not as the client');
  });

  test('the victim’s Harbor-site token is refused on the evil site and anywhere but Harbor’s site', async () => {
    const harborToken = await signIn(t.request, victim, HARBOR_SITE);
    const onHarbor = await t.request('GET', `/api/v1/threads/${harborThread}`, {
      token: harborToken,
      headers: { origin: HARBOR_SITE },
    });
    assert.equal(onHarbor.status, 200, 'on Harbor’s own site it works');
    const lifted = await t.request('GET', `/api/v1/threads/${harborThread}`, {
      token: harborToken,
      headers: { origin: EVIL_SITE },
    });
    assert.equal(lifted.status, 401);
    assert.equal(lifted.body.error.code, 'unauthenticated');
  });

  test('Harbor’s site reaches Harbor’s records, and only while Harbor lists it', async () => {
    const harborToken = await signIn(t.request, victim, HARBOR_SITE);
    const list = await t.request('GET', '/api/v1/threads', { token: harborToken, headers: { origin: HARBOR_SITE } });
    assert.deepEqual(
      list.body.threads.map((th: { id: string }) => th.id),
      [harborThread],
    );
    await t.request('PATCH', `/api/v1/practices/${harbor.practiceId}`, {
      token: harbor.admin.token,
      body: { allowedOrigins: [] },
    });
    try {
      const after = await t.request('GET', `/api/v1/threads/${harborThread}`, { token: harborToken });
      assert.equal(after.status, 404, 'a session of a site the practice no longer lists reaches nothing of it');
    } finally {
      await t.request('PATCH', `/api/v1/practices/${harbor.practiceId}`, {
        token: harbor.admin.token,
        body: { allowedOrigins: [HARBOR_SITE] },
      });
    }
  });

  test('the evil clinic itself works from its site', async () => {
    const token = await signIn(t.request, evilAdmin, EVIL_SITE);
    const settings = await t.request('GET', `/api/v1/practices/${evilPracticeId}/settings`, {
      token,
      headers: { origin: EVIL_SITE },
    });
    assert.equal(settings.status, 200);
  });
});
