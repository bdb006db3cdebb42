// The whole video story: a provider in the console calls a client signed in on the practice's website; the
// client's page rings, the client accepts, both Chromium pages decode each other's (fake) video and audio through a
// real Janus in a network namespace of its own; hang-up destroys the room at Janus and the usage minutes are recorded.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { VideoRoomControl } from '../../server/src/modules/media/janus-client.ts';
import { openPage } from '../helpers/browser.ts';
import { callStoryUnmet, useCallSetup } from '../helpers/call-setup.ts';
import { click, waitFor, waitGone } from '../helpers/deep-dom.ts';
import { signInConsole, signInMessages } from '../helpers/sign-in-page.ts';
import { roomStats, waitForMedia } from '../helpers/video-page.ts';

const run = promisify(execFile);

/**
 * Takes the namespace's end of the veth down while `during` runs. Packets to it are then dropped at our end of the
 * veth, whose route the kernel keeps using while the link is down unless `ignore_routes_with_linkdown` is set, in
 * which case they could leave by the default route: the test refuses to run then.
 */
async function withLinkDown(namespace: string, during: () => Promise<unknown>): Promise<void> {
  const sysctl = await readFile('/proc/sys/net/ipv4/conf/all/ignore_routes_with_linkdown', 'utf8');
  assert.equal(sysctl.trim(), '0', 'net.ipv4.conf.all.ignore_routes_with_linkdown must be 0 for this test');
  const { stdout } = await run('ip', ['-n', namespace, '-o', 'link', 'show', 'type', 'veth']);
  const dev = /^\d+: ([^@:]+)/.exec(stdout)?.[1];
  assert.ok(dev, `no veth in ${namespace}`);
  await run('ip', ['-n', namespace, 'link', 'set', dev, 'down']);
  try {
    await during();
  } finally {
    await run('ip', ['-n', namespace, 'link', 'set', dev, 'up']);
  }
}

describe(
  'a video call between the console and the practice website, through a real Janus',
  {
    skip: callStoryUnmet({ janus: true }),
  },
  () => {
    let control: VideoRoomControl;
    let client: Page;
    let provider: Page;
    // Before the Janus it talks to stops: after hooks run in the order they are registered.
    after(() => control?.close());
    const setup = useCallSetup({ janus: true, site: true });

    before(async () => {
      control = new VideoRoomControl(setup.media.janus.httpUrl, setup.media.janus.adminKey);
      client = await openPage(setup.chromium);
      provider = await openPage(setup.chromium);
    });

    test('ring, accept, both sides decode video and audio, hang-up destroys the room, usage recorded', async () => {
      const { server, request, staff, site, media } = setup;
      // The client is signed in on the practice's website (any ct-* element signed in rings).
      await signInMessages(client, `${site.url}messages.html`, staff.client.email);

      // The provider calls from the client's profile in the console, checks their camera and joins to wait.
      await signInConsole(provider, server.url, staff.colleague.email);
      await click(provider, '[part~="client-item"] button', staff.client.name);
      await click(provider, '[part~="video-call-button"]');
      await waitFor(provider, 'ct-device-check');
      await click(provider, '[part~="join-button"]:not([disabled])');
      await waitFor(provider, '[part~="status"]', 'Waiting for the other participant');

      // The client's page rings; they accept, see themselves, and join.
      await waitFor(client, '[part~="caller"]', `${staff.colleague.name} is calling`);
      await click(client, '[part~="accept-button"]');
      await waitGone(client, '[part~="prompt"]');
      await waitFor(client, 'ct-device-check');
      await click(client, '[part~="join-button"]:not([disabled])');

      for (const p of [client, provider]) await waitForMedia(p);
      const [seenByClient, seenByProvider] = [await roomStats(client), await roomStats(provider)];
      assert.ok(seenByClient.framesDecoded > 0 && seenByProvider.framesDecoded > 0, 'both decode remote video');
      assert.ok(seenByClient.audioSamplesReceived > 0 && seenByProvider.audioSamplesReceived > 0, 'and audio');
      await waitFor(provider, '[part~="status"]', 'Connected');

      // A network drop: Janus's end of the veth goes down. The room says so, restarts ICE, and media flows again.
      await withLinkDown(media.janus.namespace, () =>
        waitFor(client, '[part~="status-reconnecting"]', 'reconnecting', 30_000),
      );
      await waitFor(client, '[part~="status"]', 'Connected', 30_000);
      await waitForMedia(client, { newFrames: 30 });

      const [room] = (await control.list()).filter((r) => r.num_participants === 2);
      assert.ok(room, 'Janus holds one room with both participants');

      // The client hangs up: both sides show the end, and the room is gone at Janus.
      await click(client, '[part~="hangup-button"]');
      await waitFor(client, '[part~="ended-text"]', 'You left the call');
      await waitFor(provider, '[part~="ended-text"]', 'The call has ended');
      assert.equal(
        (await control.list()).find((r) => r.room === room.room),
        undefined,
        'the room is destroyed',
      );

      await server.app.services.usage.settled();
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const usage = await request('GET', `/api/v1/practices/${staff.practiceId}/usage?from=${from}&to=${to}`, {
        token: staff.admin.token,
      });
      assert.equal(usage.status, 200);
      assert.equal(usage.body.calls.length, 1);
      assert.equal(usage.body.calls[0].kind, 'instant');
      assert.equal(usage.body.calls[0].billed, true);
      assert.ok(usage.body.calls[0].seconds >= 1, `both connected for ${usage.body.calls[0].seconds} s`);
      assert.equal(usage.body.minutes, 1);
    });
  },
);
