import { existsSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium, MEDIA_FLAGS } from './browser.ts';
import { installDeepQuery } from './deep-dom.ts';
import { JANUS_BIN } from './janus-netns.ts';
import { startRelayedJanus, type RelayedJanus } from './janus-relay.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);

/** What a browser test of a call through a real Janus needs, for `unmet` (prerequisites.ts). */
export const CALL_STACK_PREREQUISITES: [met: boolean, missing: string][] = [
  [existsSync(SDK), 'the SDK is not built: run `npm run build` first'],
  [Boolean(process.env.MONGODB_URI), 'MONGODB_URI is not set (run through `npm test`)'],
  [existsSync(JANUS_BIN), `${JANUS_BIN} is not installed`],
];

export interface CallStack {
  media: RelayedJanus;
  server: TestServer;
  request: Request;
  /** A page of its own browser context (its own cookies and storage), able to find elements in shadow roots. */
  newPage(): Promise<Page>;
  /** Stops Chromium, the server and Janus, in that order. */
  close(): Promise<void>;
}

/**
 * Everything a call between two Chromium pages runs on: a real Janus in a network namespace of its own, whose event
 * handler reaches the server under test through a relay, and Chromium with a fake camera and microphone.
 */
export async function startCallStack(): Promise<CallStack> {
  const media = await startRelayedJanus();
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ janus: media.deps });
    media.forwardTo(server.app.server);
    const chromium = await launchChromium(MEDIA_FLAGS);
    const started = server;
    return {
      media,
      server: started,
      request: httpClient(started.url),
      async newPage() {
        const page = await (await chromium.browser.createBrowserContext()).newPage();
        await installDeepQuery(page);
        return page;
      },
      async close() {
        await chromium.close();
        await started.close();
        await media.stop();
      },
    };
  } catch (error) {
    await server?.close();
    await media.stop();
    throw error;
  }
}
