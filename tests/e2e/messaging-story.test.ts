import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { practiceWithStaff, signIn } from '../../server/src/testing/fixtures.ts';
import { waitForMails } from '../../server/src/testing/smtp.ts';
import { openPage } from '../helpers/browser.ts';
import { click, count, fill, waitFor, waitGone } from '../helpers/deep-dom.ts';
import { useMailingStory } from '../helpers/mailing-story.ts';
import { servePracticeSite } from '../helpers/practice-homepage.ts';
import { unmet } from '../helpers/prerequisites.ts';
import { signInConsole, signInMessages } from '../helpers/sign-in-page.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);
const CANARY = `canary-story-${Date.now()}`;
const NOTIFY_DELAY = 30_000;

describe(
  'the whole messaging story, in two Chromium pages',
  { skip: unmet([[existsSync(SDK), 'the SDK is not built: run `npm run build` first']]) },
  () => {
    const story = useMailingStory({ notifyDelayMs: NOTIFY_DELAY });
    let site: Awaited<ReturnType<typeof servePracticeSite>>;
    let staff: Awaited<ReturnType<typeof practiceWithStaff>>;
    let serviceId: string;
    let files: string;
    let client: Page;
    let console_: Page;
    const badge = () =>
      count(console_, '[part~="client-item"]', staff.client.name).then(async (n) => {
        assert.equal(n, 1);
        return count(console_, '[part~="client-item"] [part~="badge"]');
      });

    before(async () => {
      const { request } = story;
      staff = await practiceWithStaff(request);
      const svc = await request('POST', `/api/v1/practices/${staff.practiceId}/services`, {
        token: staff.admin.token,
        body: { name: 'Billing question', description: 'Invoices and insurance', assigneeIds: [staff.colleague.id] },
      });
      serviceId = svc.body.service.id;
      // The practice's own website, on its own origin: the SDK and API are cross-origin to it.
      site = await servePracticeSite({ ...story, staff }, ['index.html', 'messages.html']);
      files = mkdtempSync(path.join(tmpdir(), 'ct-story-'));
      writeFileSync(
        path.join(files, 'insurance-card.pdf'),
        `%PDF-1.4\n% ${CANARY}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`,
      );
      client = await openPage(story.chromium);
      console_ = await openPage(story.chromium);
    });
    after(async () => {
      await site?.close();
      if (files) rmSync(files, { recursive: true, force: true });
    });

    test('contact, badge, reply, service thread with an attachment, close, and private notifications', async () => {
      // The colleague assigned to Contact Us signs in to the console.
      await signInConsole(console_, story.server.url, staff.colleague.email);
      await waitFor(console_, '[part~="client-item"]', staff.client.name);
      assert.equal(await badge(), 0);

      // The client signs in on the practice's portal page, then writes through the Contact Us form.
      await signInMessages(client, `${site.url}messages.html`, staff.client.email);
      await client.goto(site.url);
      await client.waitForFunction(
        (name) =>
          (window as unknown as { __deepAll: (s: string) => HTMLInputElement[] }).__deepAll('input[name="name"]')[0]
            ?.value === name,
        { timeout: 15_000 },
        staff.client.name,
      );
      await fill(client, 'textarea[name="body"]', `I would like to talk about my sleep. ${CANARY}`);
      await click(client, '[part~="send-button"]');
      await waitFor(client, '[part~="success"]');

      // The console shows the red badge live; opening the thread does not clear it; a reply does.
      await waitFor(console_, '[part~="client-item"] [part~="badge"]');
      await click(console_, '[part~="client-item"] button', staff.client.name);
      await click(console_, '[part~="thread-item"] button');
      await waitFor(console_, '[part~="message-body"]', CANARY);
      assert.equal(await badge(), 1, 'viewing keeps the badge');
      await fill(console_, '[part~="reply-form"] textarea', 'Thank you for writing. We have time on Tuesday.');
      await click(console_, '[part~="reply-form"] [part~="send-button"]');
      await waitGone(console_, '[part~="client-item"] [part~="badge"]');

      // The client starts a service thread, then replies in it with an attachment: the badge returns.
      await client.goto(`${site.url}messages.html`);
      await click(client, '[part~="new-message-button"]');
      await client.evaluate((id) => {
        const select = (window as unknown as { __deepAll: (s: string) => HTMLSelectElement[] }).__deepAll(
          'select[name="serviceId"]',
        )[0]!;
        select.value = id;
        select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
        select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      }, serviceId);
      await fill(client, 'textarea[name="body"]', `Was I charged twice for March? ${CANARY}`);
      await click(client, '[part~="send-button"]');
      await waitFor(client, '[part~="reply-input"]');
      const picker = await waitFor(client, 'input[type="file"]');
      await (picker as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(
        path.join(files, 'insurance-card.pdf'),
      );
      await waitFor(client, '[part~="upload"]', 'insurance-card.pdf');
      await client.waitForFunction(
        () =>
          !(window as unknown as { __deepAll: (s: string) => Element[] })
            .__deepAll('[part~="upload-progress"]')
            .some((p) => (p as HTMLProgressElement).value < (p as HTMLProgressElement).max),
        { timeout: 15_000 },
      );
      await fill(client, '[part~="reply-input"]', 'Here is my insurance card.');
      await click(client, '[part~="send-button"]');
      await waitFor(client, '[part~="attachment"]', 'insurance-card.pdf');
      await waitFor(console_, '[part~="client-item"] [part~="badge"]');

      // The colleague closes the service thread: the client's reply box goes, and a forced POST is refused.
      const threads = await story.request('GET', `/api/v1/threads?practiceId=${staff.practiceId}&kind=service`, {
        token: staff.colleague.token,
      });
      const serviceThread = threads.body.threads[0];
      assert.equal(serviceThread.seq, 2);
      await click(console_, '[part~="back-button"]'); // from the open Contact Us thread to the client's profile
      await waitFor(console_, '[part~="thread-item"] button', 'Billing question');
      await click(console_, '[part~="thread-item"] button', 'Billing question');
      await waitFor(console_, '[part~="attachment"]', 'insurance-card.pdf');
      await click(console_, '[part~="close-button"]');
      await click(console_, '[part~="confirm-close-button"]');
      await waitFor(client, '[part~="closed-notice"]');
      assert.equal(await count(client, '[part~="reply-input"]'), 0, 'no reply box on a closed thread');
      await waitGone(console_, '[part~="client-item"] [part~="badge"]');
      const forced = await story.request('POST', `/api/v1/threads/${serviceThread.id}/messages`, {
        token: await signIn(story.request, staff.client),
        body: { body: 'Trying anyway' },
      });
      assert.equal(forced.status, 409);
      assert.equal(forced.body.error.code, 'thread_closed');

      // Notifications went out (nobody was online for all of it) and none carries health information.
      story.server.clock.advance(NOTIFY_DELAY);
      await story.server.app.jobs.relayNotifications();
      await waitForMails(story.smtp.mails, 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(
        story.smtp.mails.some((m) => m.to.includes(staff.client.email)),
        'the client was told of the reply',
      );
      for (const mail of story.smtp.mails) {
        for (const secret of [CANARY, 'sleep', 'charged', 'insurance', 'Billing', 'Harbor Therapy', staff.client.name])
          assert.equal(mail.text.includes(secret), false, `a mail contains ${secret}`);
      }
    });
  },
);
