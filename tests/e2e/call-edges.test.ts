// The rough edges of calls a practice's first week hits, in Chromium against the real server (no Janus needed: every
// step happens before anyone enters the room): a phone-sized client page whose ring prompt takes the practice's
// theme, rings set aside with Escape, a ring that never stacks over an open call window, the provider's pre-join
// Cancel and Escape, focus moving to the call window, and a caller closing the tab stopping the ringing everywhere.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { openPage } from '../helpers/browser.ts';
import { callStoryUnmet, useCallSetup } from '../helpers/call-setup.ts';
import { click, count, waitFor, waitGone } from '../helpers/deep-dom.ts';
import { signIn, signInConsole } from '../helpers/sign-in-page.ts';

const PHONE = { width: 360, height: 640 };
const CALLER_GRACE_MS = 1_500;
/** The practice themes its widget, as examples/practice-site/messages.css does. */
const THEME = 'ct-messages { --ct-color-success: rgb(1, 102, 51); --ct-color-danger: rgb(153, 0, 17); }';

type Deep = { __deepAll: (sel: string) => Element[] };

/** The `part` of the element focused deepest inside the page's shadow roots. */
function focusedPart(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('part') ?? null;
  });
}

/** The box of the first element matching `selector` (across shadow roots), and the viewport's size. */
function box(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = (window as unknown as Deep).__deepAll(sel)[0];
    const r = el?.getBoundingClientRect();
    return {
      found: Boolean(el),
      top: r?.top ?? NaN,
      left: r?.left ?? NaN,
      bottom: r?.bottom ?? NaN,
      right: r?.right ?? NaN,
      width: window.innerWidth,
      height: window.innerHeight,
    };
  }, selector);
}

async function assertOnScreen(page: Page, selector: string): Promise<void> {
  const b = await box(page, selector);
  assert.ok(b.found, `${selector} is there`);
  assert.ok(
    b.top >= 0 && b.left >= 0 && b.bottom <= b.height && b.right <= b.width,
    `${selector} is inside the ${b.width}×${b.height} viewport: ${JSON.stringify(b)}`,
  );
}

function style(page: Page, selector: string, property: string): Promise<string> {
  return page.evaluate(
    (sel, prop) => getComputedStyle((window as unknown as Deep).__deepAll(sel)[0]!).getPropertyValue(prop),
    selector,
    property,
  );
}

describe(
  'rough edges of calls: phone layout, theme, keyboard, busy, a caller who leaves',
  {
    skip: callStoryUnmet({ janus: false }),
  },
  () => {
    const setup = useCallSetup({ site: true, server: { callerGraceMs: CALLER_GRACE_MS } });
    let client: Page;

    const openProvider = async () => {
      const page = await openPage(setup.chromium);
      await signInConsole(page, setup.server.url, setup.staff.colleague.email);
      await click(page, '[part~="client-item"] button', setup.staff.client.name);
      return page;
    };
    const liveCalls = async () =>
      (await setup.request('GET', '/api/v1/calls', { token: setup.staff.client.token })).body.calls as { id: string }[];
    const callState = async (id: string) =>
      (await setup.request('GET', `/api/v1/calls/${id}`, { token: setup.staff.colleague.token })).body.call as {
        state: string;
        endReason: string | null;
      };

    before(async () => {
      client = await openPage(setup.chromium);
      await client.setViewport(PHONE);
      await client.goto(`${setup.site.url}messages.html`);
      await client.addStyleTag({ content: THEME });
      await signIn(client, setup.staff.client.email);
      await waitFor(client, '[part~="new-message-button"]');
    });

    test('the ring prompt on a phone: themed, Accept unlike Decline; Escape sets it aside without declining', async () => {
      const provider = await openProvider();
      try {
        const focusBefore = await focusedPart(client);
        await click(provider, '[part~="video-call-button"]');
        await waitFor(client, '[part~="caller"]', `${setup.staff.colleague.name} is calling`);
        await assertOnScreen(client, '[part~="accept-button"]');
        await assertOnScreen(client, '[part~="decline-button"]');
        assert.equal(await style(client, '[part~="accept-button"]', 'background-color'), 'rgb(1, 102, 51)');
        assert.equal(await style(client, '[part~="decline-button"]', 'color'), 'rgb(153, 0, 17)');
        assert.notEqual(
          await style(client, '[part~="decline-button"]', 'background-color'),
          'rgb(1, 102, 51)',
          'Decline does not look like Accept',
        );
        assert.equal(await focusedPart(client), focusBefore, 'the prompt does not take focus');

        // A keyboard user reaches the prompt, then presses Escape: gone here, still ringing for the caller.
        await client.evaluate(() =>
          ((window as unknown as Deep).__deepAll('[part~="accept-button"]')[0] as HTMLElement).focus(),
        );
        await client.keyboard.press('Escape');
        await waitGone(client, '[part~="prompt"]');
        const [ringing] = await liveCalls();
        assert.ok(ringing, 'not declined: the call still rings');
        assert.equal((await callState(ringing.id)).state, 'ringing');

        // The provider's pre-join panel: focus on its heading, Cancel there, and Escape does the same.
        await waitFor(provider, '[part~="check"]');
        await provider.waitForFunction(
          () => {
            let active = document.activeElement;
            while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
            return active?.getAttribute('part') === 'heading';
          },
          { timeout: 10_000 },
        );
        await waitFor(provider, '[part~="cancel-button"]', 'Cancel');
        await provider.keyboard.press('Escape');
        await waitGone(provider, '[part~="window"]');
        const final = await callState(ringing.id);
        assert.deepEqual([final.state, final.endReason], ['ended', 'cancelled'], 'Escape hung up the ringing call');
      } finally {
        await provider.close();
      }
    });

    test('accepted on a phone: the window keeps its heading and Join on screen; a newer ring does not stack over it', async () => {
      const provider = await openProvider();
      try {
        await click(provider, '[part~="video-call-button"]');
        await click(client, '[part~="accept-button"]');
        await waitFor(client, '[part~="join-button"]:not([disabled])', 'Join the call');
        assert.equal(await focusedPart(client), 'heading', 'focus on the call window’s heading');
        await assertOnScreen(client, '[part~="heading"]');
        await assertOnScreen(client, '[part~="join-button"]');
        await assertOnScreen(client, '[part~="cancel-button"]');

        // A colleague rings the client meanwhile: a quiet line with Decline, no prompt over the window.
        const newer = await setup.request('POST', '/api/v1/calls', {
          token: setup.staff.admin.token,
          body: { practiceId: setup.staff.practiceId, clientId: setup.staff.client.id },
        });
        assert.equal(newer.status, 201);
        await waitFor(client, '[part~="busy"]', `${setup.staff.admin.name} is calling`);
        assert.equal(await count(client, '[part~="prompt"]'), 0, 'no ring prompt stacked over the call window');
        await assertOnScreen(client, '[part~="heading"]');
        await assertOnScreen(client, '[part~="join-button"]');

        // The client cancels the first call from its check: the window closes, and the newer call rings properly.
        await click(client, '[part~="cancel-button"]');
        await waitGone(client, '[part~="window"]');
        await waitFor(client, '[part~="prompt"] [part~="caller"]', `${setup.staff.admin.name} is calling`);
        await waitFor(provider, '[part~="ended-text"]', 'The call has ended');

        // The colleague hangs up before an answer: the prompt goes at once.
        await setup.request('POST', `/api/v1/calls/${newer.body.call.id}/hangup`, { token: setup.staff.admin.token });
        await waitGone(client, '[part~="prompt"]', undefined, 3_000);
      } finally {
        await provider.close();
      }
    });

    test('the caller closes the tab while it rings: the client’s prompt goes soon after', async () => {
      const provider = await openProvider();
      await click(provider, '[part~="video-call-button"]');
      await waitFor(client, '[part~="caller"]', `${setup.staff.colleague.name} is calling`);
      const [call] = await liveCalls();
      const closedAt = Date.now();
      await provider.close();
      await waitGone(client, '[part~="prompt"]', undefined, CALLER_GRACE_MS + 5_000);
      const took = Date.now() - closedAt;
      assert.ok(took < CALLER_GRACE_MS + 5_000, `gone after ${took} ms`);
      const final = await callState(call!.id);
      assert.deepEqual([final.state, final.endReason], ['ended', 'cancelled']);
    });
  },
);
