import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { usePracticeHomepage } from '../helpers/practice-homepage.ts';
import { unmet } from '../helpers/prerequisites.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);

describe(
  'walking skeleton: the snippet on a practice website stores a Contact Us message',
  { skip: unmet([[existsSync(SDK), 'the SDK is not built: run `npm run build` first']]) },
  () => {
    const h = usePracticeHomepage();

    test('a visitor fills and sends the form; the assigned colleague reads the stored thread through the API', async () => {
      const page = await h.chromium.browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(String(err)));
      page.on('response', (res) => {
        // Browsers ask every site for a favicon; the stand-in practice site has none.
        if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) problems.push(`${res.status()} ${res.url()}`);
      });
      await page.goto(h.site.url, { waitUntil: 'load' });
      assert.notEqual(new URL(h.site.url).origin, new URL(h.server.url).origin, 'the page is cross-origin to the API');

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

      const list = await h.request('GET', `/api/v1/threads?practiceId=${h.staff.practiceId}`, {
        token: h.staff.colleague.token,
      });
      assert.equal(list.status, 200);
      assert.equal(list.body.threads.length, 1);
      const thread = await h.request('GET', `/api/v1/threads/${list.body.threads[0].id}`, {
        token: h.staff.colleague.token,
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
