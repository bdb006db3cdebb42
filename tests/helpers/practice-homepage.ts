import { after, before } from 'node:test';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium } from './browser.ts';
import { servePage } from './static-site.ts';

/**
 * Registers before/after hooks for a suite that drives the example practice homepage in Chromium: a real server (with
 * `options`), a practice with staff, and the page as the server renders it, served from another origin: the SDK and
 * the API are cross-origin to the page, exactly as on a real practice's website.
 */
export function usePracticeHomepage(options: Parameters<typeof startTestServer>[0] = {}) {
  const handle = {} as {
    server: TestServer;
    request: Request;
    staff: Awaited<ReturnType<typeof practiceWithStaff>>;
    site: Awaited<ReturnType<typeof servePage>>;
    chromium: Awaited<ReturnType<typeof launchChromium>>;
  };
  before(async () => {
    handle.server = await startTestServer(options);
    handle.request = httpClient(handle.server.url);
    handle.staff = await practiceWithStaff(handle.request);
    const page = await fetch(`${handle.server.url}/examples/practice-site/?practice=${handle.staff.practiceId}`);
    if (page.status !== 200) throw new Error(`the example page answered ${page.status}`);
    handle.site = await servePage(await page.text());
    handle.chromium = await launchChromium();
  });
  after(async () => {
    await handle.chromium?.close();
    await handle.site?.close();
    await handle.server?.close();
  });
  return handle;
}

/**
 * The practice's own website on another origin, which its admin allows (`allowedOrigins`): each of `files` is an example
 * page (examples/practice-site/) as the server renders it for the practice, served at `/<file>` (index.html at `/`).
 */
export async function servePracticeSite(
  setup: { server: TestServer; request: Request; staff: Awaited<ReturnType<typeof practiceWithStaff>> },
  files: string[],
): Promise<Awaited<ReturnType<typeof servePage>>> {
  const { server, request, staff } = setup;
  const pages: Record<string, string> = {};
  for (const file of files) {
    const page = await fetch(`${server.url}/examples/practice-site/${file}?practice=${staff.practiceId}`);
    pages[file === 'index.html' ? '/' : `/${file}`] = await page.text();
  }
  const site = await servePage(pages);
  await request('PATCH', `/api/v1/practices/${staff.practiceId}`, {
    token: staff.admin.token,
    body: { allowedOrigins: [new URL(site.url).origin] },
  });
  return site;
}
