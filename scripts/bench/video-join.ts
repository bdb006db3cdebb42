// `npm run bench:video`: click Join in <ct-video-room> → first frame of the other participant's video, median of 5,
// beside the same join written directly against janus.js (scripts/bench/bare-janus-page.ts), measured in the same run
// against the same Janus (Debian's, in a network namespace of its own) with two headless Chromium pages and fake
// media. A benchmark, not a test: compare the rows of one run with each other. Goal: ours ≤ 1.5 × bare.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'puppeteer-core';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startTestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium, MEDIA_FLAGS } from '../../tests/helpers/browser.ts';
import { click, fill, installDeepQuery, waitFor } from '../../tests/helpers/deep-dom.ts';
import { startRelayedJanus } from '../../tests/helpers/janus-relay.ts';
import { servePage } from '../../tests/helpers/static-site.ts';
import { database } from './database.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
type Staff = Awaited<ReturnType<typeof practiceWithStaff>>;
type Deep = { __deepAll: (sel: string) => HTMLElement[] };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bareBundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./bare-janus-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
  });
  return result.outputFiles[0]!.text;
}

/** A fresh `<ct-video-room call=…>` on the page; resolves once its device check holds the camera and microphone. */
async function openRoom(page: Page, api: string, callId: string): Promise<void> {
  await page.evaluate(
    (apiUrl, id) => {
      for (const old of document.querySelectorAll('ct-video-room')) old.remove();
      const room = document.createElement('ct-video-room');
      room.setAttribute('api', apiUrl);
      room.setAttribute('call', id);
      document.body.append(room);
    },
    api,
    callId,
  );
  await page.waitForFunction(
    () => (window as unknown as Deep).__deepAll('ct-device-check').some((d) => (d as { stream?: unknown }).stream),
    { timeout: 15_000 },
  );
}

async function signInThroughRoom(page: Page, api: string, email: string): Promise<void> {
  await openRoom(page, api, '000000000000000000000000').catch(() => undefined);
  await fill(page, 'input[name="email"]', email);
  await fill(page, 'input[name="password"]', 'a long enough password');
  await click(page, '[part~="sign-in-button"]');
  await page.waitForFunction(() => !(window as unknown as Deep).__deepAll('input[name="password"]').length);
}

async function ringAndAnswer(request: Request, s: Staff): Promise<string> {
  const { body } = await request('POST', '/api/v1/calls', {
    token: s.colleague.token,
    body: { practiceId: s.practiceId, clientId: s.client.id },
  });
  await request('POST', `/api/v1/calls/${body.call.id}/answer`, { token: s.client.token });
  return body.call.id;
}

/** The provider's page joins first and waits in the room, publishing, as in a real call. */
async function providerWaits(page: Page, api: string, callId: string): Promise<void> {
  await openRoom(page, api, callId);
  await click(page, '[part~="join-button"]');
  await waitFor(page, '[part~="status"]', 'Waiting for the other participant');
}

async function oursOnce(page: Page, api: string, callId: string): Promise<number> {
  await openRoom(page, api, callId);
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const room = (window as unknown as Deep).__deepAll('ct-video-room')[0]!;
        room.addEventListener('ct-call-connected', (e) => resolve((e as CustomEvent).detail.firstFrameMs), {
          once: true,
        });
        setTimeout(() => reject(new Error('no remote frame within 20 s')), 20_000);
        (window as unknown as Deep).__deepAll('[part~="join-button"]')[0]!.click();
      }),
  );
}

const joinApiMs: number[] = [];

async function bareOnce(page: Page, request: Request, s: Staff, callId: string): Promise<number> {
  const started = performance.now();
  const { body: creds } = await request('POST', `/api/v1/calls/${callId}/join`, { token: s.client.token });
  joinApiMs.push(performance.now() - started);
  return page.evaluate(async (c) => {
    const w = window as unknown as {
      bareJoin(c: unknown, local: MediaStream, video: HTMLVideoElement): Promise<number>;
    };
    const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const video = document.querySelector('video')!;
    return w.bareJoin(c, local, video);
  }, creds);
}

const db = await database();
process.env.MONGODB_URI = db.uri;
const media = await startRelayedJanus();
const server = await startTestServer({ janus: media.deps });
media.forwardTo(server.app.server);
const chromium = await launchChromium(MEDIA_FLAGS);
let site: Awaited<ReturnType<typeof servePage>> | undefined;
try {
  const request = httpClient(server.url);
  const s = await practiceWithStaff(request);
  site = await servePage({
    '/ours.html': `<!doctype html><title>ours</title><script type="module" src="${server.url}/sdk/v1/ct.js"></script>`,
    '/bare.html': `<!doctype html><title>bare</title><video autoplay playsinline></video><script type="module">${await bareBundle()}</script>`,
  });
  await request('PATCH', `/api/v1/practices/${s.practiceId}`, {
    token: s.admin.token,
    body: { allowedOrigins: [new URL(site.url).origin] },
  });
  const [provider, client, bare] = await Promise.all(
    [0, 1, 2].map(async () => {
      const page = await (await chromium.browser.createBrowserContext()).newPage();
      await installDeepQuery(page);
      return page;
    }),
  );
  for (const page of [provider, client]) await page!.goto(`${site.url}ours.html`);
  await bare!.goto(`${site.url}bare.html`);
  await signInThroughRoom(provider!, server.url, s.colleague.email);
  await signInThroughRoom(client!, server.url, s.client.email);

  const rows: Record<'ours' | 'bare', number[]> = { ours: [], bare: [] };
  // Alternating, so a slow patch of the shared machine hits both columns alike; one warm-up round of each first.
  for (let round = -1; round < ROUNDS; round++) {
    for (const kind of ['ours', 'bare'] as const) {
      const callId = await ringAndAnswer(request, s);
      await providerWaits(provider!, server.url, callId);
      const ms =
        kind === 'ours' ? await oursOnce(client!, server.url, callId) : await bareOnce(bare!, request, s, callId);
      if (round >= 0) rows[kind].push(ms);
      await request('POST', `/api/v1/calls/${callId}/hangup`, { token: s.colleague.token });
      if (kind === 'bare')
        await bare!.evaluate(() => (window as unknown as { bareLeave(): Promise<void> }).bareLeave());
      process.stdout.write('.');
    }
  }
  const line = (label: string, xs: number[]) =>
    `${label.padEnd(58)}  ${median(xs).toFixed(0).padStart(9)}  ${Math.min(...xs)
      .toFixed(0)
      .padStart(6)}  ${Math.max(...xs)
      .toFixed(0)
      .padStart(6)}`;
  console.log(
    `\n\n${'Join → first remote frame'.padEnd(58)}  ${'median ms'.padStart(9)}  ${'min'.padStart(6)}  ${'max'.padStart(6)}`,
  );
  console.log(`${'-'.repeat(58)}  ---------  ------  ------`);
  console.log(line('ours: click Join in <ct-video-room> (POST /join + janus.js)', rows.ours));
  console.log(line('reference: bare janus.js join, credentials in hand', rows.bare));
  console.log(line('part of ours: POST /calls/:id/join alone (from Node)', joinApiMs.slice(1)));
  console.log(
    `\nratio ours / bare (medians): ${(median(rows.ours) / median(rows.bare)).toFixed(2)} (goal ≤ 1.5), n = ${ROUNDS} each`,
  );
} finally {
  await chromium.close();
  await site?.close();
  await server.close();
  await media.stop();
  await db.stop();
}
