import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { cannedAvTest } from './widget/test/canned-av-test.mjs';
import { floodedContactUs } from './widget/test/canned-challenge.mjs';
import { cannedDirectory } from './widget/test/canned-directory.mjs';
import { cannedInbox, cannedInboxSockets } from './widget/test/canned-inbox.mjs';
import { cannedMessages, cannedMessagesSockets } from './widget/test/canned-messages.mjs';
import { checkShape } from './widget/test/canned-shapes.mjs';

/**
 * Canned API answers for widget tests, served by the test server itself: a test points a widget's `api` at
 * `/__canned/<scenario>` and gets real HTTP responses through the real client, with no stubbed `fetch`.
 * The real server is covered by the end-to-end tests.
 */
const CANNED_THREAD_ID = '0123456789abcdef01234567';
const CONTACT_US_KEYS = new Set(['name', 'email', 'phone', 'body', 'altcha']);

const scenarios = {
  ok: () => [201, { thread: { id: CANNED_THREAD_ID } }],
  slow: async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return [201, { thread: { id: CANNED_THREAD_ID } }];
  },
  invalid: () => [
    400,
    {
      error: {
        code: 'validation_failed',
        message: 'Some fields are not valid.',
        fields: [
          { path: 'email', message: 'is not accepted by this practice' },
          { path: 'phone', message: 'must be a phone number that can be reached' },
        ],
      },
    },
  ],
  limited: () => [429, { error: { code: 'rate_limited', message: 'Too many requests' } }],
  down: () => [503, { error: { code: 'unavailable', message: 'Service unavailable' } }],
  flooded: (sent) => floodedContactUs('flooded', sent),
  stale: (sent) => floodedContactUs('stale', sent),
};

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The public profile of the practice Contact Us writes to. */
const cannedPractice = (id) => ({
  id,
  name: 'Maple Street Counseling',
  phone: '',
  address: {},
  timeZone: 'America/Los_Angeles',
  photoUrl: null,
  services: [],
  listed: true,
});

async function cannedApi(ctx, next) {
  const match = /^\/__canned\/(\w+)\/api\/v1\/practices\/([^/]+)(\/contact-us)?$/.exec(ctx.path);
  if (!match) return next();
  const [, scenario, pid, contactUs] = match;
  let status;
  let body;
  if (!contactUs && ctx.method === 'GET') {
    [status, body] = scenario === 'down' ? scenarios.down() : [200, { practice: cannedPractice(pid) }];
  } else if (contactUs && ctx.method === 'POST' && scenarios[scenario]) {
    const sent = await readJson(ctx.req);
    // Catches a widget sending a shape the API would refuse (strict object: no unknown keys).
    const wellFormed = sent && typeof sent === 'object' && Object.keys(sent).every((key) => CONTACT_US_KEYS.has(key));
    [status, body] = wellFormed
      ? await scenarios[scenario](sent)
      : [400, { error: { code: 'validation_failed', message: 'Unexpected body' } }];
  } else {
    [status, body] = [404, { error: { code: 'not_found', message: 'Not found' } }];
  }
  // In the protocol's shapes, as the other canned APIs (widget/test/canned-shapes.mjs).
  [status, body] = checkShape(ctx.method, ctx.path.replace(/^\/__canned\/\w+\/api\/v1/, ''), [status, body]);
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
}

// chrome-launcher finds Debian's chromium by itself; CHROMIUM_PATH overrides, and nothing is ever downloaded.
const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default {
  files: ['widget/src/**/*.test.ts'],
  // Browser builds of dependencies (socket.io-client's, not its Node one that imports `ws`), as rollup.config.mjs.
  nodeResolve: { browser: true },
  concurrency: 1,
  // The whole suite, one file at a time in one Chromium: ~1.5 min on an idle 2-core machine, twice that when it is
  // shared. The default (2 min) cut it short there; a hung test still fails on its own mocha timeout.
  testsFinishTimeout: 600_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), cannedMessagesSockets, cannedInboxSockets],
  // cannedDirectory first: it hands the Contact Us posts of its forms on to cannedApi.
  middleware: [cannedDirectory, cannedApi, cannedAvTest, cannedInbox, cannedMessages],
  browsers: [
    chromeLauncher({
      launchOptions: {
        ...(executablePath ? { executablePath } : {}),
        args: [
          '--no-sandbox',
          '--disable-gpu',
          // Without these Chromium keeps calling Google services, which floods a closed network.
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          // getUserMedia answers at once, without a prompt, with Chromium's fake camera (a moving pattern) and fake
          // microphone (a periodic beep): what <ct-device-check> and <ct-av-test> are tested with.
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
        ],
      },
    }),
  ],
  testFramework: { config: { timeout: 5000 } },
  // Lit announces its development build on every page; anything else a widget logs is worth seeing.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
};
