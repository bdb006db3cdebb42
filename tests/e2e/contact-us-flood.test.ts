import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS } from '../../server/src/app.ts';
import { usePracticeHomepage } from '../helpers/practice-homepage.ts';
import { unmet } from '../helpers/prerequisites.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);
const VISITORS = 3;

describe(
  'Contact Us under a flood, in Chromium through the real widget and server',
  { skip: unmet([[existsSync(SDK), 'the SDK is not built: run `npm run build` first']]) },
  () => {
    // The server's default difficulty; the practice's cap is 1 so that one message puts it "under a flood".
    const h = usePracticeHomepage({
      limits: { contactUs: { perIpPer10Min: 1000, perPracticePerHour: 1 }, challenge: DEFAULT_LIMITS.challenge },
    });

    test(`${VISITORS} visitors in a row each solve the challenge in the browser and get their message through`, async (ctx) => {
      const flood = await h.request('POST', `/api/v1/practices/${h.staff.practiceId}/contact-us`, {
        body: { name: 'Flood', email: 'flood@example.test', body: 'flood' },
      });
      assert.equal(flood.status, 201, 'the cap of 1 is now used up');
      const page = await h.chromium.browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(String(err)));
      const statuses: number[] = [];
      page.on('response', (res) => {
        if (res.url().endsWith('/contact-us') && res.request().method() === 'POST') statuses.push(res.status());
      });
      await page.goto(h.site.url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('ct-contact-us')?.shadowRoot?.querySelector('form'), {
        timeout: 15_000,
      });
      const timings: { work: number; total: number }[] = [];
      for (let i = 0; i < VISITORS; i++) {
        await page.locator('ct-contact-us >>> input[name=name]').fill(`Visitor ${i}`);
        await page.locator('ct-contact-us >>> input[name=email]').fill(`visitor${i}@example.test`);
        await page.locator('ct-contact-us >>> textarea[name=body]').fill(`First appointment, please (${i}).`);
        const clicked = Date.now();
        await page.locator('ct-contact-us >>> button[type=submit]').click();
        await page.waitForFunction(
          () => document.querySelector('ct-contact-us')?.shadowRoot?.querySelector('[part~="success"]'),
          { timeout: 60_000 },
        );
        const total = Date.now() - clicked;
        const work = await page.evaluate(() => {
          const entries = performance.getEntriesByName('ct-contact-us:proof-of-work');
          return entries[entries.length - 1]!.duration;
        });
        timings.push({ work, total });
        await page.locator('ct-contact-us >>> [part~="new-message-button"]').click();
      }
      assert.deepEqual(statuses, Array.from({ length: VISITORS }, () => [428, 201]).flat());
      const list = await h.request('GET', `/api/v1/threads?practiceId=${h.staff.practiceId}`, {
        token: h.staff.colleague.token,
      });
      assert.equal(list.body.threads.length, 1 + VISITORS);
      assert.deepEqual(problems, []);
      ctx.diagnostic(
        `proof of work in headless Chromium (cost ${DEFAULT_LIMITS.challenge.cost}, counter ` +
          `${DEFAULT_LIMITS.challenge.counterMin}-${DEFAULT_LIMITS.challenge.counterMax}): ` +
          timings.map((t) => `${Math.round(t.work)} ms (click to "Message sent" ${t.total} ms)`).join(', '),
      );
      await page.close();
    });
  },
);
