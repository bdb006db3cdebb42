import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { practiceWithStaff, PASSWORD } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startSmtp } from '../../server/src/testing/smtp.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium } from '../helpers/browser.ts';
import { click, fill, installDeepQuery, waitFor } from '../helpers/deep-dom.ts';
import { unmet } from '../helpers/prerequisites.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);
const CANARY = `canary-network-${Date.now()}`;

describe(
  'My Network: two professionals of different practices, in two Chromium pages',
  { skip: unmet([[existsSync(SDK), 'the SDK is not built: run `npm run build` first']]) },
  () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let server: TestServer;
    let request: Request;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;
    let first: Awaited<ReturnType<typeof practiceWithStaff>>;
    let second: Awaited<ReturnType<typeof practiceWithStaff>>;
    let pageA: Page;
    let pageB: Page;

    before(async () => {
      smtp = await startSmtp();
      server = await startTestServer({ smtpUrl: smtp.url });
      request = httpClient(server.url);
      first = await practiceWithStaff(request);
      second = await practiceWithStaff(request);
      chromium = await launchChromium();
      pageA = await (await chromium.browser.createBrowserContext()).newPage();
      pageB = await (await chromium.browser.createBrowserContext()).newPage();
      for (const page of [pageA, pageB]) await installDeepQuery(page);
    });
    after(async () => {
      await chromium?.close();
      await server?.close();
      await smtp?.close();
    });

    async function openHome(page: Page, email: string) {
      await page.goto(`${server.url}/console`);
      await fill(page, 'input[name="email"]', email);
      await fill(page, 'input[name="password"]', PASSWORD);
      await click(page, '[part~="sign-in-button"]');
      await click(page, '[part~="home-button"]');
      await waitFor(page, 'h2', 'My Network');
    }

    test('connect through an invite, exchange a message with a PDF, and the second sees it live', async () => {
      const a = first.admin;
      const b = second.admin;
      await openHome(pageA, a.email);
      await fill(pageA, '#network-email', b.email);
      await fill(pageA, '#network-note', 'We met at the conference.');
      await click(pageA, 'form [type="submit"]', 'Send invitation');
      await waitFor(pageA, '[part~="status"]', `Invitation sent to ${b.email}.`);
      // The invitee has an account: the e-mail tells them to look in the console, and carries no note.
      const toB = () => smtp.mails.filter((m) => m.to.includes(b.email));
      const deadline = Date.now() + 10_000;
      while (!toB().length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(toB().length, 1, 'one e-mail to the invitee');
      assert.ok(!toB()[0]!.raw.includes('We met at the conference.'), 'the note stays out of the e-mail');

      await openHome(pageB, b.email);
      await waitFor(pageB, '[part~="member"]', 'We met at the conference.');
      await click(pageB, 'button', 'Accept');
      await waitFor(pageB, '[part~="status"]', `You are now connected with ${a.name}.`);

      // A sees the connection (the view is kept in the address: a reload comes back to Home) and writes first.
      await pageA.reload();
      await waitFor(pageA, '[part~="member-name"]', b.name);
      await click(pageA, `[aria-label="Send a message to ${b.name}"]`);
      await fill(pageA, '#network-body', `A referral question. ${CANARY}`);
      await click(pageA, '[part~="compose-form"] [part~="send-button"]');
      await waitFor(pageA, '[part~="message-body"]', CANARY);

      // B sees the conversation arrive live, opens it, and answers.
      await click(pageB, '[part~="thread"]', 'unread');
      await waitFor(pageB, '[part~="message-body"]', CANARY);
      await fill(pageB, '[part~="reply-form"] textarea', 'Happy to help.');
      await click(pageB, '[part~="reply-form"] [part~="send-button"]');
      await waitFor(pageA, '[part~="message-body"]', 'Happy to help.');

      // A's session notes, as a PDF, on the network thread (the console's reply form attaches files to practice
      // threads only so far: the upload goes through the API with A's session); B sees it live and downloads it.
      const threads = await request('GET', '/api/v1/threads?kind=network', { token: a.token });
      const threadId: string = threads.body.threads[0].id;
      const network = await request('GET', '/api/v1/network', { token: a.token });
      const connectionId: string = network.body.connections[0].id;
      const form = new FormData();
      const pdf = `%PDF-1.4\n% ${CANARY}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`;
      form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'session-notes.pdf');
      const uploaded = await fetch(`${server.url}/api/v1/attachments?connectionId=${connectionId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}` },
        body: form,
      });
      assert.equal(uploaded.status, 201);
      const { attachment } = (await uploaded.json()) as { attachment: { id: string } };
      const sent = await request('POST', `/api/v1/threads/${threadId}/messages`, {
        token: a.token,
        body: { body: 'The notes from our call.', attachmentIds: [attachment.id] },
      });
      assert.equal(sent.status, 201);
      await waitFor(pageB, '[part~="message-body"]', 'The notes from our call.');
      await waitFor(pageB, '[part~="attachment"]', 'session-notes.pdf');
      const downloaded = await fetch(`${server.url}/api/v1/attachments/${attachment.id}`, {
        headers: { authorization: `Bearer ${b.token}` },
      });
      assert.equal(downloaded.status, 200);
      assert.ok((await downloaded.text()).includes(CANARY));
      // Neither practice's staff can read it.
      const outsider = await request('GET', `/api/v1/threads/${threadId}`, { token: first.colleague.token });
      assert.equal(outsider.status, 404);
    });
  },
);
