// Issue 13: a call in progress survives the death of its Janus. Two Janus instances (Debian's, each in a network
// namespace of its own) serve one server; two Chromium pages are in a call on one of them; that Janus is killed
// (SIGKILL). Both pages say "Reconnecting the video…", join again through the join endpoint, which now answers with
// the survivor, and decode each other's video and audio there again, without asking for the camera again.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { VideoRoomControl } from '../../server/src/modules/media/janus-client.ts';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium, MEDIA_FLAGS, openPage } from '../helpers/browser.ts';
import { callStoryUnmet } from '../helpers/call-setup.ts';
import { click, waitFor } from '../helpers/deep-dom.ts';
import { startJanusInNetns, type JanusInNetns } from '../helpers/janus-netns.ts';
import { signIn } from '../helpers/sign-in-page.ts';
import { roomStats, waitForMedia } from '../helpers/video-page.ts';

type Watched = { __deepAll: (sel: string) => Element[]; __statuses: string[]; __joined: number[] };

/** Records every status line the room shows and every room it joins, from the page's first script on. */
async function watchRoom(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as Watched;
    w.__statuses = [];
    w.__joined = [];
    addEventListener('ct-call-joined', (e) => w.__joined.push((e as CustomEvent<{ roomId: number }>).detail.roomId));
    setInterval(() => {
      const text = w.__deepAll?.('[part~="status"]')[0]?.textContent?.trim() ?? '';
      if (text && w.__statuses.at(-1) !== text) w.__statuses.push(text);
    }, 20);
  });
}

const seen = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as Watched;
    return { statuses: [...w.__statuses], joined: [...w.__joined] };
  });

describe(
  'a call whose Janus dies rejoins on the other one',
  {
    skip: callStoryUnmet({ janus: true }),
  },
  () => {
    const janus: JanusInNetns[] = [];
    let server: TestServer;
    let request: Request;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;

    before(async () => {
      for (let i = 0; i < 2; i++) janus.push(await startJanusInNetns());
      server = await startTestServer({
        janus: {
          instances: janus.map((j) => ({ url: j.httpUrl, adminKey: j.adminKey })),
          eventSecret: randomBytes(16).toString('hex'),
        },
      });
      request = httpClient(server.url);
      chromium = await launchChromium(MEDIA_FLAGS);
    });

    after(async () => {
      await chromium?.close();
      await server?.close();
      await Promise.all(janus.map((j) => j.stop()));
    });

    test('both pages say they are reconnecting the video, then are connected again on the survivor', async () => {
      const staff = await practiceWithStaff(request);
      const call = (
        await request('POST', '/api/v1/calls', {
          token: staff.colleague.token,
          body: { practiceId: staff.practiceId, clientId: staff.client.id },
        })
      ).body.call as { id: string };
      assert.equal(
        (await request('POST', `/api/v1/calls/${call.id}/answer`, { token: staff.client.token })).status,
        200,
      );

      // Each party opens the call's page (the console and the ring prompt open the same element), signs in, joins.
      const pages: Page[] = [];
      for (const person of [staff.colleague, staff.client]) {
        const page = await openPage(chromium);
        await watchRoom(page);
        await page.goto(`${server.url}/video/?call=${call.id}`);
        await signIn(page, person.email);
        await click(page, '[part~="join-button"]:not([disabled])');
        pages.push(page);
      }
      for (const page of pages) await waitFor(page, '[part~="status"]', 'Connected', 30_000);
      for (const page of pages) await waitForMedia(page);

      const holding = await Promise.all(
        janus.map(async (j) => (await new VideoRoomControl(j.httpUrl, j.adminKey).list()).map((r) => r.room)),
      );
      const [first] = (await seen(pages[0]!)).joined;
      const dead = janus[holding.findIndex((rooms) => rooms.includes(first!))]!;
      const survivor = janus.find((j) => j !== dead)!;
      assert.ok(dead, 'one Janus holds the call');

      // Permission prompts would show up as new getUserMedia calls: count them from here on.
      for (const page of pages)
        await page.evaluate(() => {
          const w = window as unknown as { __gum: number };
          w.__gum = 0;
          const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
          navigator.mediaDevices.getUserMedia = (c) => (w.__gum++, original(c));
        });

      process.kill(dead.pid, 'SIGKILL');
      const killedAt = performance.now();

      try {
        for (const page of pages) {
          await page.waitForFunction(() => (window as unknown as Watched).__joined.length >= 2, { timeout: 30_000 });
          await waitFor(page, '[part~="status"]', 'Connected', 30_000);
          // New peer connections: their counters start from zero.
          await waitForMedia(page, { newFrames: 30, timeout: 30_000 });
        }
      } catch (err) {
        for (const page of pages) console.log(await seen(page), await roomStats(page));
        console.log(await new VideoRoomControl(survivor.httpUrl, survivor.adminKey).list());
        throw err;
      }
      console.log(`Janus killed → both pages decoding again: ${Math.round(performance.now() - killedAt)} ms`);

      const onSurvivor = await new VideoRoomControl(survivor.httpUrl, survivor.adminKey).list();
      for (const page of pages) {
        const { statuses, joined } = await seen(page);
        assert.ok(statuses.includes('Reconnecting the video…'), `the page said it was reconnecting: ${statuses}`);
        assert.equal(statuses.at(-1), 'Connected');
        const room = joined.at(-1)!;
        assert.notEqual(room, first, 'a new room');
        assert.equal(
          onSurvivor.find((r) => r.room === room)?.num_participants,
          2,
          'both participants are in the new room on the surviving Janus',
        );
        assert.equal(await page.evaluate(() => (window as unknown as { __gum: number }).__gum), 0, 'no new prompt');
      }
    });
  },
);
