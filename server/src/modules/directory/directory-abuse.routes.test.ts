import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS } from '../../app.ts';
import { register } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

const from = (address: string) => ({ 'x-forwarded-for': address });

describe('the public directory against hostile input and floods', () => {
  const t = useTestServer({ trustProxy: true, limits: { directory: DEFAULT_LIMITS.directory } });
  const tag = `a${Date.now().toString(36)}`;
  const search = (query: string, address = '192.0.2.1') =>
    t.request('GET', `/api/v1/directory?${query}`, { headers: from(address) });

  test('every malformed query gets a 4xx with a code that says what is wrong, and listed practices stay', async () => {
    const admin = await register(t.request, 'professional');
    const created = await t.request('POST', '/api/v1/practices', { token: admin.token, body: { name: `Oak ${tag}` } });
    const id: string = created.body.practice.id;
    const address = { city: 'Portland', region: 'OR', postcode: '97201', country: 'US' };
    const patched = await t.request('PATCH', `/api/v1/practices/${id}`, {
      token: admin.token,
      body: { directoryOptIn: true, address },
    });
    assert.equal(patched.status, 200);

    const refused: [string, number, string, string, RegExp][] = [
      ['near=97201&distanceKm=-5', 400, 'validation_failed', 'distanceKm', /small/],
      ['near=97201&distanceKm=0', 400, 'validation_failed', 'distanceKm', /small/],
      ['near=97201&distanceKm=1e9', 400, 'validation_failed', 'distanceKm', /big/],
      ['near=97201&distanceKm=NaN', 400, 'validation_failed', 'distanceKm', /number/],
      ['near=97201&distanceKm=10abc', 400, 'validation_failed', 'distanceKm', /number/],
      ['near=97201&distanceKm=1.5', 400, 'validation_failed', 'distanceKm', /int/],
      ['near=97201&distanceKm=1&distanceKm=2', 400, 'validation_failed', 'distanceKm', /more than once/],
      [`near=${'a'.repeat(10_240)}&distanceKm=10`, 400, 'validation_failed', 'near', /80/],
      ['distanceKm=10', 400, 'validation_failed', 'near', /needed with distanceKm/],
      ['near=%20&distanceKm=10', 400, 'validation_failed', 'near', /needed with distanceKm/],
      ['page=1e9', 400, 'validation_failed', 'page', /big/],
      ['page=-1', 400, 'validation_failed', 'page', /small/],
      ['q[$ne]=x', 400, 'validation_failed', '', /unknown field/],
      ['near=__proto__&distanceKm=10', 422, 'unknown_place', '', /ZIP code/],
      ['near=constructor%2C%20OR&distanceKm=10', 422, 'unknown_place', '', /ZIP code/],
      ['near=%E2%98%83%F0%9F%98%80&distanceKm=10', 422, 'unknown_place', '', /ZIP code/],
    ];
    for (const [query, status, code, path, message] of refused) {
      const res = await search(query);
      assert.equal(res.status, status, `${query.slice(0, 50)}: ${JSON.stringify(res.body).slice(0, 300)}`);
      assert.equal(res.body.error.code, code, query.slice(0, 50));
      const fields: { path: string; message: string }[] | undefined = res.body.error.fields;
      const said = fields ? fields.find((f) => f.path === path)?.message : res.body.error.message;
      assert.match(said ?? '', message, `${query.slice(0, 50)}: ${JSON.stringify(res.body)}`);
    }
    assert.equal((await search('near=__proto__')).body.total, 0, 'an exact place match on __proto__ finds nothing');
    const still = await search(`q=${tag}&near=97201&distanceKm=10`);
    assert.deepEqual(
      still.body.practices.map((p: { id: string }) => p.id),
      [id],
      'the practice is still listed after all that',
    );
  });

  test(`searches are limited to ${DEFAULT_LIMITS.directory.perIpPerMinute} a minute per address, with Retry-After`, async () => {
    const max = DEFAULT_LIMITS.directory.perIpPerMinute;
    t.server.clock.advance(60_000 - (t.server.clock.now().getTime() % 60_000) + 1000);
    const flood = await Promise.all(Array.from({ length: max + 30 }, () => search(`q=${tag}`, '198.51.100.7')));
    const statuses = flood.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, max);
    const refused = flood.filter((r) => r.status === 429);
    assert.equal(refused.length, 30);
    assert.equal(refused[0]!.body.error.code, 'rate_limited');
    assert.match(refused[0]!.body.error.message, /Try again in \d+ seconds\./);
    assert.ok(Number(refused[0]!.headers.get('retry-after')) > 0);
    assert.equal((await search(`q=${tag}`, '198.51.100.8')).status, 200, 'another address is not held back');
    t.server.clock.advance(60_000);
    assert.equal((await search(`q=${tag}`, '198.51.100.7')).status, 200, 'the next minute is open again');
  });
});
