import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { register, type Account } from '../../server/src/testing/fixtures.ts';
import { useTestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium } from '../helpers/browser.ts';
import { click, count, fill, installDeepQuery, waitFor, waitGone } from '../helpers/deep-dom.ts';
import { unmet } from '../helpers/prerequisites.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);

describe(
  'the directory page (examples/directory/) against the real server',
  { skip: unmet([[existsSync(SDK), 'the SDK is not built: run `npm run build` first']]) },
  () => {
    const t = useTestServer();
    const tag = `d${Date.now().toString(36)}`;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;
    let admin: Account;
    const practices: Record<string, string> = {};

    before(async () => {
      admin = await register(t.request, 'professional');
      const listed = {
        directoryOptIn: true,
        specialties: ['Anxiety'],
        languages: ['en'],
        telehealth: true,
        acceptingNewClients: true,
        about: `Counseling in the ${tag} valley.`,
      };
      for (const name of [`Alder ${tag} Counseling`, `Willow ${tag} Therapy`, `Unlisted ${tag} Practice`]) {
        const created = await t.request('POST', '/api/v1/practices', { token: admin.token, body: { name } });
        const id: string = created.body.practice.id;
        const patch = name.startsWith('Unlisted') ? { specialties: ['Anxiety'] } : listed;
        const res = await t.request('PATCH', `/api/v1/practices/${id}`, { token: admin.token, body: patch });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        practices[name.split(' ')[0]!] = id;
      }
      chromium = await launchChromium();
    });
    after(() => chromium?.close());

    test('searches, opens Contact Us from a card and sends a message that reaches the practice', async () => {
      const page = await chromium.browser.newPage();
      await installDeepQuery(page);
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(String(err)));
      await page.goto(`${t.server.url}/examples/directory/`, { waitUntil: 'load' });

      // Free text finds both listed practices (the unlisted one never shows), then a name narrows to one.
      await fill(page, 'input[name="q"]', tag);
      await waitFor(page, '[part~="card"]', `Willow ${tag} Therapy`);
      await waitFor(page, '[part~="card"]', `Alder ${tag} Counseling`);
      assert.equal(await count(page, '[part~="card"]', `Unlisted ${tag}`), 0);
      await fill(page, 'input[name="q"]', `Willow ${tag}`);
      await waitGone(page, '[part~="card"]', `Alder ${tag} Counseling`);
      assert.equal(await count(page, '[part~="card"]'), 1);

      // Contact Us opens in place, on the card.
      await click(page, '[part~="card"] [part~="contact-button"]');
      await fill(page, 'ct-contact-us input[name="name"], input[name="name"]', 'Robin Visitor');
      await fill(page, 'input[name="email"]', 'robin@example.test');
      await fill(page, 'textarea[name="body"]', `Do you have evening times? ${tag}`);
      await click(page, '[part~="send-button"]', 'Send');
      await waitFor(page, '[part~="success"]');
      assert.deepEqual(errors, []);

      // The practice's staff see the Contact Us thread; the other practice has none.
      const threads = async (pid: string) =>
        (await t.request('GET', `/api/v1/threads?practiceId=${pid}&kind=contact-us`, { token: admin.token })).body
          .threads as { id: string }[];
      const willow = await threads(practices.Willow!);
      assert.equal(willow.length, 1);
      const read = await t.request('GET', `/api/v1/threads/${willow[0]!.id}`, { token: admin.token });
      assert.match(read.body.messages[0].body, new RegExp(`evening times\\? ${tag}`));
      assert.equal((await threads(practices.Alder!)).length, 0);
      await page.close();
    });
  },
);
