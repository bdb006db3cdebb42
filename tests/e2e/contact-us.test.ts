import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium } from '../helpers/browser.ts';
import { servePage } from '../helpers/static-site.ts';
import { unmet } from '../helpers/prerequisites.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);

describe(
  'walking skeleton: the snippet on a practice website stores a Contact Us message',
  { skip: unmet([[existsSync(SDK), 'the SDK is not built: run `npm run build` first']]) },
  () => {
    let server: TestServer;
    let request: Request;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;
    let site: Awaited<ReturnType<typeof servePage>>;
    let staff: Awaited<ReturnType<typeof practiceWithStaff>>;

    before(async () => {
      server = await startTestServer();
      request = httpClient(server.url);
      staff = await practiceWithStaff(request);
      // The example page as the server renders it, with HOST and PRACTICE_ID filled in, but served from another
      // origin: the SDK and the API are cross-origin to the page, exactly as on a real practice's website.
      const page = await fetch(`${server.url}/examples/practice-site/?practice=${staff.practiceId}`);
      assert.equal(page.status, 200);
      site = await servePage(await page.text());
      chromium = await launchChromium();
    });
    after(async () => {
      await chromium?.close();
      await site?.close();
      await server?.close();
    });

    test('a visitor fills and sends the form; the assigned colleague reads the stored thread through the API', async () => {
      const page = await chromium.browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(String(err)));
      page.on('response', (res) => {
        // Browsers ask every site for a favicon; the stand-in practice site has none.
        if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) problems.push(`${res.status()} ${res.url()}`);
      });
      await page.goto(site.url, { waitUntil: 'load' });
      assert.notEqual(new URL(site.url).origin, new URL(server.url).origin, 'the page is cross-origin to the API');

      // The practice's name arrives from the public profile endpoint.
      await page.waitForFunction(
        () => document.querySelector('ct-contact-us')?.shadowRoot?.querySelector('h2')?.textContent?.includes('Harbor'),
        { timeout: 15_000 },
      );
      const canary = `canary-${Date.now()} I have been feeling anxious and would like an appointment.`;
      await page.locator('ct-contact-us >>> input[name=name]').fill('Robin Visitor');
      await page.locator('ct-contact-us >>> input[name=email]').fill('robin.visitor@example.test');
      await page.locator('ct-contact-us >>> input[name=phone]').fill('+1 555 0199');
      await page.locator('ct-contact-us >>> textarea[name=body]').fill(canary);
      await page.locator('ct-contact-us >>> button[type=submit]').click();
      await page.waitForFunction(
        () => document.querySelector('ct-contact-us')?.shadowRoot?.querySelector('[part~="success"]'),
        { timeout: 15_000 },
      );
      const confirmation = await page.$eval('ct-contact-us', (el) => el.shadowRoot!.textContent ?? '');
      assert.match(confirmation, /Message sent/);
      assert.equal(confirmation.includes('canary'), false, 'the confirmation does not echo the message');

      const list = await request('GET', `/api/v1/threads?practiceId=${staff.practiceId}`, {
        token: staff.colleague.token,
      });
      assert.equal(list.status, 200);
      assert.equal(list.body.threads.length, 1);
      const thread = await request('GET', `/api/v1/threads/${list.body.threads[0].id}`, {
        token: staff.colleague.token,
      });
      assert.equal(thread.body.thread.kind, 'contact-us');
      assert.equal(thread.body.thread.awaiting, true);
      assert.deepEqual(thread.body.thread.contact, {
        name: 'Robin Visitor',
        email: 'robin.visitor@example.test',
        phone: '+1 555 0199',
      });
      assert.equal(thread.body.messages.length, 1);
      assert.equal(thread.body.messages[0].body, canary);
      assert.deepEqual(problems, [], 'no script errors on the practice page');
      await page.close();
    });
  },
);
