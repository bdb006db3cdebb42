import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { register, signIn, type Account } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { DIRECTORY_PAGE_SIZE } from './directory.service.ts';

describe('the directory', () => {
  const t = useTestServer();
  const tag = `z${Date.now().toString(36)}`;
  let admin: Account;

  async function practice(name: string, patch: Record<string, unknown>) {
    const created = await t.request('POST', '/api/v1/practices', { token: admin.token, body: { name } });
    const id: string = created.body.practice.id;
    const res = await t.request('PATCH', `/api/v1/practices/${id}`, { token: admin.token, body: patch });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return id;
  }
  const search = async (query: string) => {
    const res = await t.request('GET', `/api/v1/directory?${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const ids = async (query: string) =>
    (await search(`q=${tag}&${query}`)).practices.map((p: { id: string }) => p.id).sort();

  test('searches name and free text, filters, and shows only public fields of listed practices', async () => {
    admin = await register(t.request, 'professional');
    const harbor = await practice(`Harbor ${tag} Counseling`, {
      directoryOptIn: true,
      specialties: ['Trauma', 'Anxiety'],
      issues: ['Insomnia'],
      approaches: ['EMDR'],
      languages: ['es-MX', 'en'],
      telehealth: true,
      acceptingNewClients: true,
      insurance: ['Blue Shield'],
      about: 'A calm practice near the Lakeshore.',
      address: { city: 'Montréal', postcode: 'H2X 1Y4', country: 'CA' },
      allowedOrigins: ['https://harbor.example'],
    });
    const oak = await practice(`Oak ${tag} Clinic`, {
      directoryOptIn: true,
      specialties: ['Couples'],
      languages: ['en'],
      inPerson: true,
      insurance: ['Aetna'],
      address: { city: 'Portland', postcode: '97201', country: 'US' },
    });
    const hidden = await practice(`Hidden ${tag} Practice`, { specialties: ['Trauma'] });

    assert.deepEqual(await ids(''), [harbor, oak].sort());
    assert.deepEqual(await ids('specialty=trauma'), [harbor], 'case-insensitive tag; the unlisted one never shows');
    assert.deepEqual(await ids('language=es'), [harbor], 'es finds es-MX');
    assert.deepEqual(await ids('language=en'), [harbor, oak].sort());
    assert.deepEqual(await ids('insurance=aetna'), [oak]);
    assert.deepEqual(await ids('telehealth=true'), [harbor]);
    assert.deepEqual(await ids('accepting=false'), [oak]);
    assert.deepEqual(await ids('near=montreal'), [harbor], 'accents and case do not matter');
    assert.deepEqual(await ids(`near=${encodeURIComponent('h2x1y4')}`), [harbor], 'postcode without its space');
    assert.deepEqual(await ids('near=97201'), [oak]);
    for (const q of ['trau', 'INSOMNIA', 'emdr', 'lakeshore', 'oak']) {
      const found = (await search(`q=${tag}+${q}`)).practices.map((p: { id: string }) => p.id);
      assert.equal(found.length, 1, q);
    }
    assert.deepEqual((await search(`q=${tag}+nothing-like-this`)).practices, []);

    const card = (await search(`q=${tag}+harbor`)).practices[0];
    assert.deepEqual(
      [card.name, card.listed, card.specialties, card.languages, card.address.city],
      [`Harbor ${tag} Counseling`, true, ['Trauma', 'Anxiety'], ['es-MX', 'en'], 'Montréal'],
    );
    for (const secret of ['allowedOrigins', 'members', 'directoryOptIn', 'contactUsAssigneeIds', 'replyTo'])
      assert.equal(secret in card, false, secret);

    // Opting out takes it off at once; a practice never opted in stays off.
    await t.request('PATCH', `/api/v1/practices/${oak}`, { token: admin.token, body: { directoryOptIn: false } });
    assert.deepEqual(await ids(''), [harbor]);
    assert.equal((await ids('')).includes(hidden), false);
  });

  test('public to any origin without credentials; bad input is 400', async () => {
    const res = await t.request('GET', '/api/v1/directory', { headers: { origin: 'https://any-directory.example' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    for (const query of ['page=0', 'page=x', 'language=!!', 'telehealth=yes', 'distanceKm=0', 'unknown=1'])
      assert.equal((await t.request('GET', `/api/v1/directory?${query}`)).body.error.code, 'validation_failed', query);
  });

  test(`pages of ${DIRECTORY_PAGE_SIZE}, by name, with the total`, async () => {
    const pageTag = `${tag}p`;
    for (let i = 0; i < 23; i++)
      await practice(`Page ${pageTag} ${String(i).padStart(2, '0')}`, { directoryOptIn: true });
    const first = await search(`q=${pageTag}`);
    const second = await search(`q=${pageTag}&page=2`);
    assert.deepEqual([first.total, first.pageSize, first.page, first.practices.length], [23, 20, 1, 20]);
    assert.deepEqual([second.page, second.practices.length], [2, 3]);
    assert.equal(first.practices[0].name, `Page ${pageTag} 00`);
    assert.equal(second.practices[2].name, `Page ${pageTag} 22`);
  });

  test('a practice with a thread awaiting beyond 7 days drops out, and is back once it answers', async () => {
    const owner = await register(t.request, 'professional');
    const created = await t.request('POST', '/api/v1/practices', { token: owner.token, body: { name: `Late ${tag}` } });
    const pid = created.body.practice.id;
    await t.request('PATCH', `/api/v1/practices/${pid}`, { token: owner.token, body: { directoryOptIn: true } });
    const sent = await t.request('POST', `/api/v1/practices/${pid}/contact-us`, {
      body: { name: 'Visitor', email: 'visitor@example.test', body: 'Hello?' },
    });
    const listed = async () => (await search(`q=late+${tag}`)).practices.some((p: { id: string }) => p.id === pid);
    assert.equal(await listed(), true);
    t.server.clock.advance(7 * 24 * 3600_000 + 60_000);
    assert.equal(await listed(), false);
    const reply = await t.request('POST', `/api/v1/threads/${sent.body.thread.id}/messages`, {
      token: await signIn(t.request, owner),
      body: { body: 'Yes, we are here.' },
    });
    assert.equal(reply.status, 201);
    assert.equal(await listed(), true);
  });
});
