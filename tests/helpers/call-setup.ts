import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium, MEDIA_FLAGS } from './browser.ts';
import { JANUS_BIN } from './janus-netns.ts';
import { startRelayedJanus, type RelayedJanus } from './janus-relay.ts';
import { servePracticeSite } from './practice-homepage.ts';
import { unmet } from './prerequisites.ts';
import type { servePage } from './static-site.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);

/** `describe`'s skip for a call story: the built SDK and a database, and Janus where the story needs a real one. */
export function callStoryUnmet({ janus }: { janus: boolean }): string | false {
  return unmet([
    [existsSync(SDK), 'the SDK is not built: run `npm run build` first'],
    [Boolean(process.env.MONGODB_URI), 'MONGODB_URI is not set (run through `npm test`)'],
    ...(janus ? [[existsSync(JANUS_BIN), `${JANUS_BIN} is not installed`] as [boolean, string]] : []),
  ]);
}

export interface CallSetup {
  /** Only with `janus`: a real Janus in a network namespace of its own, its events relayed to the server. */
  media: RelayedJanus;
  server: TestServer;
  request: Request;
  staff: Awaited<ReturnType<typeof practiceWithStaff>>;
  /** Only with `site`: the practice's messages page, on its own origin. */
  site: Awaited<ReturnType<typeof servePage>>;
  chromium: Awaited<ReturnType<typeof launchChromium>>;
}

/**
 * Registers before/after hooks for a call story in Chromium with fake camera and microphone: a real server (with
 * `server` options, and a relayed Janus when `janus`), a practice with staff and, with `site`, the practice's own
 * messages page on another origin that the practice allows.
 */
export function useCallSetup(
  options: { janus?: boolean; site?: boolean; server?: Parameters<typeof startTestServer>[0] } = {},
): CallSetup {
  const setup = {} as CallSetup;
  before(async () => {
    if (options.janus) setup.media = await startRelayedJanus();
    setup.server = await startTestServer({ ...options.server, ...(setup.media ? { janus: setup.media.deps } : {}) });
    setup.media?.forwardTo(setup.server.app.server);
    setup.request = httpClient(setup.server.url);
    setup.staff = await practiceWithStaff(setup.request);
    if (options.site) setup.site = await servePracticeSite(setup, ['messages.html']);
    setup.chromium = await launchChromium(MEDIA_FLAGS);
  });
  after(async () => {
    await setup.chromium?.close();
    await setup.site?.close();
    await setup.server?.close();
    await setup.media?.stop();
  });
  return setup;
}
