// "Connection: poor" while the other side has not joined yet: the provider waits alone in a real Janus room for
// longer than the quality indicator's measuring interval, and no quality line shows; once the client joins and their
// media arrives, it does.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium, MEDIA_FLAGS } from '../helpers/browser.ts';
import { click, count, fill, installDeepQuery, waitFor, waitGone } from '../helpers/deep-dom.ts';
import { JANUS_BIN } from '../helpers/janus-netns.ts';
import { startRelayedJanus, type RelayedJanus } from '../helpers/janus-relay.ts';
import { unmet } from '../helpers/prerequisites.ts';
import { waitForMedia } from '../helpers/video-page.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);
/** Past two of the room's 2 s statistics intervals: when the old indicator said "poor" to someone waiting alone. */
const ALONE_MS = 5_000;

describe(
  'the connection-quality line waits for the other participant',
  {
    skip: unmet([
      [existsSync(SDK), 'the SDK is not built: run `npm run build` first'],
      [Boolean(process.env.MONGODB_URI), 'MONGODB_URI is not set (run through `npm test`)'],
      [existsSync(JANUS_BIN), `${JANUS_BIN} is not installed`],
    ]),
  },
  () => {
    let media: RelayedJanus;
    let server: TestServer;
    let request: Request;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;
    let staff: Awaited<ReturnType<typeof practiceWithStaff>>;
    let provider: Page;
    let client: Page;

    before(async () => {
      media = await startRelayedJanus();
      server = await startTestServer({ janus: media.deps });
      media.forwardTo(server.app.server);
      request = httpClient(server.url);
      staff = await practiceWithStaff(request);
      chromium = await launchChromium(MEDIA_FLAGS);
      provider = await (await chromium.browser.createBrowserContext()).newPage();
      client = await (await chromium.browser.createBrowserContext()).newPage();
      for (const p of [client, provider]) await installDeepQuery(p);
    });

    after(async () => {
      await chromium?.close();
      await server?.close();
      await media?.stop();
    });

    test('alone in the room: no quality line, not "poor"; with the client’s media: a quality line', async () => {
      // The client is signed in on the client portal, where calls ring.
      await client.goto(`${server.url}/examples/practice-site/messages.html?practice=${staff.practiceId}`);
      await fill(client, 'input[name="email"]', staff.client.email);
      await fill(client, 'input[name="password"]', 'a long enough password');
      await click(client, '[part~="sign-in-button"]');
      await waitFor(client, '[part~="new-message-button"]');

      await provider.goto(`${server.url}/console`);
      await fill(provider, 'input[name="email"]', staff.colleague.email);
      await fill(provider, 'input[name="password"]', 'a long enough password');
      await click(provider, '[part~="sign-in-button"]');
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
