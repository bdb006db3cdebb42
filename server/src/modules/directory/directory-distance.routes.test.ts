import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { register, type Account } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

describe('the directory by distance', () => {
  const t = useTestServer();
  const tag = `d${Date.now().toString(36)}`;
  let admin: Account;

  async function practice(name: string, address: Record<string, string>, patch: Record<string, unknown> = {}) {
    const created = await t.request('POST', '/api/v1/practices', { token: admin.token, body: { name } });
    const id: string = created.body.practice.id;
    const res = await t.request('PATCH', `/api/v1/practices/${id}`, {
      token: admin.token,
      body: { directoryOptIn: true, address, ...patch },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return id;
  }
  const search = async (query: string) => {
    const res = await t.request('GET', `/api/v1/directory?q=${tag}&${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { total: number; practices: { id: string; name: string; distanceKm?: number }[] };
  };
  const near = async (place: string, km: number, extra = '') =>
    (await search(`near=${encodeURIComponent(place)}&distanceKm=${km}${extra}`)).practices;

  test('near and distanceKm: within the great-circle distance, nearest first, each with its distance', async () => {
    admin = await register(t.request, 'professional');
    const portland = await practice(`Portland ${tag}`, {
      city: 'Portland',
      region: 'OR',
      postcode: '97201',
      country: 'US',
    });
    const vancouver = await practice(
      `Vancouver WA ${tag}`,
      { city: 'Vancouver', region: 'WA', postcode: '98660' },
      {
        telehealth: true,
      },
    );
    const seattle = await practice(`Seattle ${tag}`, { city: 'Seattle', region: 'WA', country: 'US' });
    const montreal = await practice(`Montreal ${tag}`, { city: 'Montréal', postcode: 'H2X 1Y4', country: 'CA' });
    const berlin = await practice(`Berlin ${tag}`, { city: 'Berlin', postcode: '10115', country: 'DE' });

    const around = await near('97201', 50);
    assert.deepEqual(
      around.map((p) => p.id),
      [portland, vancouver],
      'nearest first; Seattle (about 233 km) is out',
    );
    assert.equal(around[0]!.distanceKm, 0);
    assert.ok(around[1]!.distanceKm! > 5 && around[1]!.distanceKm! < 20, `${around[1]!.distanceKm}`);

    const wide = await near('Portland, OR', 300);
    assert.deepEqual(
      wide.map((p) => p.id),
      [portland, vancouver, seattle],
    );
    assert.ok(wide[2]!.distanceKm! > 215 && wide[2]!.distanceKm! < 250, `Seattle at ${wide[2]!.distanceKm} km`);
    assert.deepEqual(
      (await near('seattle wa', 5)).map((p) => p.id),
      [seattle],
      'a city typed with its state',
    );
    assert.deepEqual(
      (await near('h2x', 10)).map((p) => p.id),
      [montreal],
    );
    assert.deepEqual(
      (await near('97201', 50, '&telehealth=true')).map((p) => p.id),
      [vancouver],
      'with the other filters',
    );
    assert.equal((await search('near=97201&distanceKm=300')).total, 3);

    // Without distanceKm, near keeps the exact city or postcode match; a practice without a point is found that way.
    assert.deepEqual(
      (await search('near=portland')).practices.map((p) => p.id),
      [portland],
    );
    assert.equal((await search('near=portland')).practices[0]!.distanceKm, undefined);
    assert.deepEqual(
      (await search('near=berlin')).practices.map((p) => p.id),
      [berlin],
    );

    // A listing names its distance, never the practice's coordinates.
    const card = around[0] as Record<string, unknown>;
    for (const hidden of ['lat', 'lon', 'point', 'card', 'listedUntil', 'services'])
      assert.equal(hidden in card, false, hidden);

    // Moving the practice moves its point.
    await t.request('PATCH', `/api/v1/practices/${vancouver}`, {
      token: admin.token,
      body: { address: { city: 'Boston', region: 'MA', postcode: '02108', country: 'US' } },
    });
    assert.deepEqual(
      (await near('97201', 50)).map((p) => p.id),
      [portland],
    );
  });

  test('a card follows the profile and the photo as they are saved', async () => {
    const id = await practice(`Photo ${tag}`, { city: 'Eugene', region: 'OR', postcode: '97401', country: 'US' });
    const card = async () =>
      (await search(`near=97401&distanceKm=5`)).practices.find((p) => p.id === id) as
        { name: string; photoUrl: string | null; phone: string } | undefined;
    assert.equal((await card())?.photoUrl, null);
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    const put = await t.request('PUT', `/api/v1/practices/${id}/photo`, {
      token: admin.token,
      raw: png,
      headers: { 'content-type': 'image/png' },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.match((await card())!.photoUrl!, new RegExp(`/api/v1/practices/${id}/photo\\?v=1$`));
    await t.request('PATCH', `/api/v1/practices/${id}`, { token: admin.token, body: { phone: '+1 541 555 0199' } });
    assert.equal((await card())!.phone, '+1 541 555 0199');
    assert.equal((await t.request('DELETE', `/api/v1/practices/${id}/photo`, { token: admin.token })).status, 204);
    assert.equal((await card())!.photoUrl, null);
  });

  test('a place the table does not know, with a distance, is a 422 unknown_place, not an empty page', async () => {
    for (const place of ['Atlantis', 'SW1A 1AA', 'Portland, Narnia']) {
      const res = await t.request('GET', `/api/v1/directory?near=${encodeURIComponent(place)}&distanceKm=25`);
      assert.equal(res.status, 422, place);
      assert.equal(res.body.error.code, 'unknown_place', place);
      assert.match(res.body.error.message, /ZIP code/);
    }
    const exact = await t.request('GET', '/api/v1/directory?near=Atlantis');
    assert.equal(exact.status, 200, 'without a distance it is the exact match, which finds nothing');
    for (const query of ['distanceKm=501', 'distanceKm=-3', 'distanceKm=far'])
      assert.equal(
        (await t.request('GET', `/api/v1/directory?near=97201&${query}`)).body.error.code,
        'validation_failed',
        query,
      );
  });
});
