import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { useTestServer } from '../testing/test-server.ts';
import { DEMO, seedDemo } from './seed-demo.ts';

describe('the demo practice of `npm start`', () => {
  const t = useTestServer();

  test('shows the example practice site’s own phone and address, in its time zone, and stays so across restarts', async () => {
    const site = await readFile(new URL('../../../examples/practice-site/index.html', import.meta.url), 'utf8');
    const pid = await seedDemo(t.server.app);
    const { practice } = (await t.request('GET', `/api/v1/practices/${pid}`)).body;
    assert.equal(practice.name, DEMO.practice);
    assert.ok(site.includes(practice.phone), `the site shows ${practice.phone}`);
    assert.ok(site.includes(practice.address.street), `the site shows ${practice.address.street}`);
    assert.ok(site.includes(`${practice.address.city}, ${practice.address.region} ${practice.address.postcode}`));
    assert.equal(practice.timeZone, 'America/Los_Angeles');

    // A demo practice seeded by an earlier version (another phone, no address) is brought in line.
    await t.server.app.models.Practice.updateOne(
      { _id: pid },
      { $set: { phone: '+1 (555) 010-2030', timeZone: 'UTC' } },
    );
    assert.equal(await seedDemo(t.server.app), pid, 'the same practice');
    const again = (await t.request('GET', `/api/v1/practices/${pid}`)).body.practice;
    assert.deepEqual(
      [again.phone, again.address, again.timeZone],
      [practice.phone, practice.address, practice.timeZone],
    );
  });
});
