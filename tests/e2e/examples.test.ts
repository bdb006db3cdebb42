import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { useTestServer } from '../../server/src/testing/test-server.ts';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { launchChromium, MEDIA_FLAGS } from '../helpers/browser.ts';
import { click, fill, installDeepQuery, waitFor } from '../helpers/deep-dom.ts';
import { unmet } from '../helpers/prerequisites.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);

/** Collects the page's CSP violations (as `directive blocked-uri`) from before its first script runs. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.evaluateOnNewDocument(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation: (v: string) => void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    ),
  );
  return violations;
}

describe(
  'the example pages, as the server serves them',
  { skip: unmet([[existsSync(SDK), 'the SDK is not built: run `npm run build` first']]) },
  () => {
    const t = useTestServer();
    let chromium: Awaited<ReturnType<typeof launchChromium>>;
    let practiceId: string;
    before(async () => {
      practiceId = (await practiceWithStaff(t.request)).practiceId;
      chromium = await launchChromium(MEDIA_FLAGS);
    });
    after(() => chromium?.close());

    test('strict CSP (no unsafe-inline, no unsafe-eval): both widgets work and nothing is blocked', async () => {
      const page = await chromium.browser.newPage();
      await installDeepQuery(page);
      const violations = await watchViolations(page);
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(String(err)));
      await page.goto(`${t.server.url}/examples/strict-csp/index.html?practice=${practiceId}`, { waitUntil: 'load' });
      const csp = await page.$eval(
        'meta[http-equiv="Content-Security-Policy"]',
        (m) => m.getAttribute('content') ?? '',
      );
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      await waitFor(page, 'ct-messages input[name="email"], input[name="password"]');
      await fill(page, 'ct-contact-us input[name="name"], input[name="name"]', 'Strict Visitor');
      await fill(page, 'input[name="email"]', 'strict@example.test');
      await fill(page, 'textarea[name="body"]', 'Sent under a strict CSP.');
      await click(page, '[part~="send-button"]', 'Send');
      await waitFor(page, '[part~="success"]');
      assert.deepEqual(violations, []);
      assert.deepEqual(errors, []);
      await page.close();
    });

    test('our own pages under their header CSP: widgets render, styles load, nothing is blocked; camera only where video runs', async () => {
      const pages: [path: string, tag: string, camera: boolean][] = [
        ['/console', 'ct-inbox', true],
        ['/messages/', 'ct-messages', true],
        ['/video/?appointment=0123456789abcdef01234567', 'ct-video-room', true],
        ['/examples/practice-site/av-test.html', 'ct-av-test', true],
        ['/examples/practice-site/', 'ct-contact-us', false],
        ['/examples/directory/', 'ct-directory', false],
      ];
      for (const [path, tag, camera] of pages) {
        const page = await chromium.browser.newPage();
        const violations = await watchViolations(page);
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(String(err)));
        // The page itself, its stylesheets and scripts (API calls may be cut short on purpose, e.g. the speed test).
        const failed: string[] = [];
        const ownFile = (r: HTTPRequest) => ['document', 'stylesheet', 'script'].includes(r.resourceType());
        page.on('requestfailed', (r) => void (ownFile(r) && failed.push(r.url())));
        page.on('response', (r) => void (ownFile(r.request()) && r.status() >= 400 && failed.push(r.url())));
        const url = `${t.server.url}${path}${path.includes('?') ? '&' : '?'}practice=${practiceId}`;
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(
          (name) => Boolean(document.querySelector(name)?.shadowRoot?.childElementCount),
          { timeout: 15_000 },
          tag,
        );
        // The page's own stylesheet applied: every page sets the body's margin to 0 there, not inline.
        assert.equal(await page.evaluate(() => getComputedStyle(document.body).marginTop), '0px', path);
        const media = await page.evaluate(() =>
          navigator.mediaDevices.getUserMedia({ video: true }).then(
            (stream) => (stream.getTracks().forEach((track) => track.stop()), 'allowed'),
            (err: Error) => err.name,
          ),
        );
        assert.equal(media, camera ? 'allowed' : 'NotAllowedError', `${path}: camera`);
        assert.deepEqual(violations, [], path);
        assert.deepEqual(errors, [], path);
        assert.deepEqual(failed, [], path);
        await page.close();
      }
    });

    test('SPA: mounting, unmounting and remounting widgets, two at once, raises no error', async () => {
      const page = await chromium.browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(String(err)));
      await page.goto(`${t.server.url}/examples/spa/index.html?practice=${practiceId}`, { waitUntil: 'load' });
      for (const action of ['mount-0', 'mount-1', 'unmount-0', 'mount-0']) {
        const [verb, slot] = action.split('-');
        await page.click(`button[data-action="${verb}"][data-slot="${slot}"]`);
      }
      await page.click('button[data-action="remount-many"]');
      // The page logs this line once the 20 remounts are over; before it, a form may be mid-remount.
      await page.waitForFunction(
        () => document.querySelector('#log')?.textContent?.includes('remounted both 20 times'),
        {
          timeout: 20_000,
        },
      );
      // Two mounted on load, three by the buttons, forty by the remounts.
      assert.equal(await page.$eval('#mounts', (el) => el.textContent), '45');
      await page.waitForFunction(
        () => {
          const mounted = [...document.querySelectorAll('ct-contact-us')];
          return mounted.length === 2 && mounted.every((el) => el.shadowRoot?.querySelector('form'));
        },
        { timeout: 15_000 },
      );
      assert.equal(await page.$$eval('ct-contact-us', (els) => els.length), 2);
      assert.equal(await page.$eval('#errors', (el) => el.textContent), '0');
      assert.deepEqual(errors, []);
      await page.close();
    });
  },
);
