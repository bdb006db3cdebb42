// "Connection: poor" while the other side has not joined yet: the provider waits alone in a real Janus room for
// longer than the quality indicator's measuring interval, and no quality line shows; once the client joins and their
// media arrives, it does.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { openPage } from '../helpers/browser.ts';
import { callStoryUnmet, useCallSetup } from '../helpers/call-setup.ts';
import { click, count, waitFor, waitGone } from '../helpers/deep-dom.ts';
import { signInConsole, signInMessages } from '../helpers/sign-in-page.ts';
import { waitForMedia } from '../helpers/video-page.ts';

/** Past two of the room's 2 s statistics intervals: when the old indicator said "poor" to someone waiting alone. */
const ALONE_MS = 5_000;

describe(
  'the connection-quality line waits for the other participant',
  {
    skip: callStoryUnmet({ janus: true }),
  },
  () => {
    const setup = useCallSetup({ janus: true });
    let provider: Page;
    let client: Page;

    before(async () => {
      provider = await openPage(setup.chromium);
      client = await openPage(setup.chromium);
    });

    test('alone in the room: no quality line, not "poor"; with the client’s media: a quality line', async () => {
      const { server, staff } = setup;
      // The client is signed in on the client portal, where calls ring.
      const portal = `${server.url}/examples/practice-site/messages.html?practice=${staff.practiceId}`;
      await signInMessages(client, portal, staff.client.email);

      await signInConsole(provider, server.url, staff.colleague.email);
      await click(provider, '[part~="client-item"] button', staff.client.name);
      await click(provider, '[part~="video-call-button"]');
      await click(provider, '[part~="join-button"]:not([disabled])');
      await waitFor(provider, '[part~="status"]', 'Waiting for the other participant');

      const until = Date.now() + ALONE_MS;
      while (Date.now() < until) {
        assert.equal(await count(provider, '[part~="quality"]'), 0, 'no quality line while alone');
        assert.equal(await count(provider, '[part~="quality-poor"]'), 0);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }

      await click(client, '[part~="accept-button"]');
      await click(client, '[part~="join-button"]:not([disabled])');
      await waitForMedia(provider);
      await waitFor(provider, '[part~="status"]', 'Connected');
      // Rated from the first interval with media: "measuring", then good, fair or poor as it really is.
      await waitFor(provider, '[part~="quality"]', 'Connection:');

      await click(provider, '[part~="hangup-button"]');
      await waitFor(client, '[part~="ended-text"]', 'The call has ended');
      await waitGone(client, '[part~="quality"]');
    });
  },
);
