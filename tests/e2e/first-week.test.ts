// A new practice's first week, through the pages the service serves (/console and /messages/), in Chromium: the admin
// edits the profile and time zone and invites a colleague and a client; both choose passwords from their mails (read
// from a real SMTP server); the colleague books an appointment; the client sees it, gets the reminder (the practice's
// zone, an .ics attached), is rung at the start and joins; then forgets the password and resets it.
// Screenshots at 1280 px and 360 px go to test-results/first-week/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { PASSWORD, register } from '../../server/src/testing/fixtures.ts';
import type { ReceivedMail } from '../../server/src/testing/smtp.ts';
import { MEDIA_FLAGS, openPage } from '../helpers/browser.ts';
import { click, count, fill, setValue, waitFor, waitForFocus, waitGone } from '../helpers/deep-dom.ts';
import { useMailingStory } from '../helpers/mailing-story.ts';
import { unmet } from '../helpers/prerequisites.ts';
import { screenshots } from '../helpers/screenshots.ts';

const SDK = new URL('../../dist/sdk/v1/ct.js', import.meta.url);
const ZONE = 'America/New_York';
const NEW_PASSWORD = 'an even longer new password';
const MINUTE = 60_000;

/** The wall-clock date and time of `at` in `zone`, as the booking form's date and time inputs take them. */
function wallClock(at: Date, zone: string) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  // What the console shows (Chromium runs in en-US): "1:05 PM", not the form's "13:05". Comparing the console with the
  // 24-hour text passed only between 10:00 and 12:59 in New York.
  const shown = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(at);
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
    shown,
  };
}

/** The link of the newest mail to `to` that carries `#kind=TOKEN`. */
async function linkIn(mails: ReceivedMail[], to: string, kind: 'invite' | 'reset'): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<>]+#${kind}=[A-Za-z0-9_-]+`);
  const until = Date.now() + 10_000;
  for (;;) {
    const mail = mails.filter((m) => m.to.includes(to) && pattern.test(m.text)).at(-1);
    if (mail) return pattern.exec(mail.text)![0];
    if (Date.now() > until) throw new Error(`no ${kind} mail to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until the portal's header has settled as a person sees it: the practice's name and phone (loaded after the
 * page) and the live connection. Until then the header reflows, and "Sign out" moves under a click aimed at it: the
 * first sign-out of the reset step once landed on the header beside the button (about 1 run in 7).
 */
async function settled(page: Page) {
  await waitFor(page, '[part~="title"]', 'Maple Street Counseling');
  await waitFor(page, '[part~="phone"]');
  await waitFor(page, '[part~="connection-online"]');
}

describe(
  "a new practice's first week, in Chromium against the pages the server serves",
  { skip: unmet([[existsSync(SDK), 'the SDK is not built: run `npm run build` first']]) },
  () => {
    const story = useMailingStory({}, MEDIA_FLAGS);
    let practiceId: string;
    let admin: Awaited<ReturnType<typeof register>>;
    const colleague = { name: 'Robin Okafor', email: `robin.${Date.now()}@example.test` };
    const client = { name: 'Sam Rivera', email: `sam.${Date.now()}@example.test` };
    let adminPage: Page;
    let colleaguePage: Page;
    let clientPage: Page;
    let startsAt: Date;
    const shoot = (page: Page, name: string) => screenshots(page, 'first-week', name);

    before(async () => {
      const { server, request, chromium } = story;
      // The browsers live in real time: the server's clock starts there too, and the test moves it on from there.
      server.clock.advance(Date.now() - server.clock.now().getTime());
      admin = await register(request, 'professional', 'Alex Moreno');
      const created = await request('POST', '/api/v1/practices', {
        token: admin.token,
        body: { name: 'New Practice', phone: '555 0100' },
      });
      practiceId = created.body.practice.id;
      const pages: Page[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await openPage(chromium);
        await page.setViewport({ width: 1280, height: 900 });
        pages.push(page);
      }
      [adminPage, colleaguePage, clientPage] = pages as [Page, Page, Page];
    });

    test('the admin edits the practice profile and time zone, and invites a colleague and a client', async () => {
      await adminPage.goto(`${story.server.url}/console`);
      await fill(adminPage, 'input[name="email"]', admin.email);
      await fill(adminPage, 'input[name="password"]', PASSWORD);
      await adminPage.keyboard.press('Enter');
      // Signed in from the keyboard: focus continues at the console's first heading.
      await waitForFocus(adminPage, { tag: 'h1' });
      await waitFor(adminPage, 'h1[part~="title"]', 'New Practice inbox');
      await click(adminPage, '[role="tab"]', 'Settings');
      await waitFor(adminPage, '#profile-heading');
      await fill(adminPage, 'input[name="name"]', 'Maple Street Counseling');
      await fill(adminPage, 'input[name="phone"]', '+1 212 555 0147');
      await setValue(adminPage, 'select[name="timeZone"]', ZONE);
      await click(adminPage, 'button[type="submit"]', 'Save profile');
      await waitFor(adminPage, '[part~="status"]', 'saved');
      const practice = (await story.request('GET', `/api/v1/practices/${practiceId}`)).body.practice;
      assert.equal(practice.name, 'Maple Street Counseling');
      assert.equal(practice.timeZone, ZONE);
      await shoot(adminPage, 'console-settings');

      await fill(adminPage, '#invite-email', colleague.email);
      await click(adminPage, 'button[type="submit"]', 'Send invitation');
      await waitFor(adminPage, '[part~="member"]', colleague.email);

      await click(adminPage, '[role="tab"]', 'Clients');
      await click(adminPage, '[part~="add-client-button"]');
      await fill(adminPage, '#client-name', client.name);
      await fill(adminPage, '#client-email', client.email);
      await click(adminPage, 'button[type="submit"]', 'Add client');
      await waitFor(adminPage, '[part~="client-item"]', client.name);
      await shoot(adminPage, 'console-clients-invited');
    });

    test('the colleague and the client choose their passwords from the invitation mails', async () => {
      const colleagueLink = await linkIn(story.smtp.mails, colleague.email, 'invite');
      assert.match(colleagueLink, /\/console#invite=/);
      await colleaguePage.goto(colleagueLink);
      await waitFor(colleaguePage, '[part~="heading"]', 'Join your practice');
      await fill(colleaguePage, 'input[name="name"]', colleague.name);
      await fill(colleaguePage, 'input[name="password"]', PASSWORD);
      await click(colleaguePage, '[part~="sign-in-button"]');
      await waitFor(colleaguePage, '[part~="client-item"]', client.name);
      assert.equal(new URL(colleaguePage.url()).hash.includes('invite='), false, 'the token left the address bar');
      await shoot(colleaguePage, 'console-colleague-signed-in');

      const clientLink = await linkIn(story.smtp.mails, client.email, 'invite');
      assert.match(clientLink, /\/messages\/#invite=/);
      await clientPage.goto(clientLink);
      await shoot(clientPage, 'messages-choose-password');
      await fill(clientPage, 'input[name="password"]', PASSWORD);
      await click(clientPage, '[part~="sign-in-button"]');
      await waitFor(clientPage, '[part~="new-message-button"]');
      await waitFor(clientPage, '[part~="sign-out-button"]');
      await shoot(clientPage, 'messages-signed-in');

      // The colleague starts a video call from the client's profile with the keyboard, then leaves the pre-join panel
      // with Escape: the client's ring stops, and focus is back on "Video call". The client's row turned from invited
      // to active on the colleague's console by itself (roster:changed), without a reload.
      const videoCall = await waitFor(colleaguePage, '[part~="client-item"] button', client.name);
      await videoCall.click();
      // Once the profile has loaded (its thread list), "Video call" answers.
      await waitFor(colleaguePage, '[part~="empty"]', 'No messages with this client yet.');
      await (await waitFor(colleaguePage, '[part~="video-call-button"]')).focus();
      await colleaguePage.keyboard.press('Enter');
      await waitFor(colleaguePage, 'button', 'Join the call');
      await waitFor(colleaguePage, '[part~="heading"]', `Video call with ${client.name}`);
      await waitFor(clientPage, '[part~="accept-button"]');
      await colleaguePage.keyboard.press('Escape');
      await waitGone(colleaguePage, 'ct-video-room');
      await waitForFocus(colleaguePage, { part: 'video-call-button' }, 5_000);
      await waitGone(clientPage, '[part~="accept-button"]');

      // The admin's console, open all along, shows the client as active now (an active client's row is a button).
      await waitFor(adminPage, '[part~="client-item"] button', client.name);
      assert.equal(await count(adminPage, '[part~="client-invited"]', client.name), 0, 'no longer "invited"');
    });

    test('the colleague books an appointment in the practice zone; the client sees it and gets the reminder', async () => {
      // The next 5-minute step at least 3 minutes ahead (the form's time input steps by 5 minutes).
      startsAt = new Date(Math.ceil((Date.now() + 3 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE);
      const wall = wallClock(startsAt, ZONE);
      await click(colleaguePage, '[part~="client-item"] button', client.name);
      await click(colleaguePage, '[part~="book-appointment-button"]');
      await setValue(colleaguePage, '#book-date', wall.date);
      await setValue(colleaguePage, '#book-time', wall.time);
      await waitFor(colleaguePage, '[part~="hint"]', 'America/New York');
      await shoot(colleaguePage, 'console-book-appointment');
      await click(colleaguePage, 'button[type="submit"]', 'Book appointment');
      await waitFor(colleaguePage, '[part~="status"]', wall.shown);
      const listed = await story.request('GET', `/api/v1/practices/${practiceId}/appointments`, { token: admin.token });
      assert.deepEqual(
        listed.body.appointments.map((a: { startsAt: string }) => Date.parse(a.startsAt)),
        [startsAt.getTime()],
        'booked at that wall-clock time in New York, whatever zone the browser is in',
      );

      await click(colleaguePage, '[role="tab"]', 'Appointments');
      await waitFor(colleaguePage, '[part~="appointment-time"]', wall.shown);
      await shoot(colleaguePage, 'console-appointments');

      await clientPage.reload();
      await waitFor(clientPage, '[part~="appointment"]');
      await waitFor(clientPage, '[part~="join-button"]');
      await shoot(clientPage, 'messages-appointments');

      // Booked less than an hour ahead: the one-hour reminder goes out on the job's next run.
      assert.equal(await story.server.app.jobs.appointmentReminders(), 1);
      const until = Date.now() + 10_000;
      let reminder: ReceivedMail | undefined;
      while (!(reminder = story.smtp.mails.find((m) => m.to.includes(client.email) && /Reminder/.test(m.raw)))) {
        if (Date.now() > until) throw new Error('no reminder mail');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(reminder.text.includes(`${wall.time} (${ZONE})`), `the time in the practice's zone: ${wall.time}`);
      assert.match(reminder.raw, /Content-Type: text\/calendar/i);
      assert.match(reminder.raw, /filename="?appointment\.ics/);
      for (const secret of [client.name, 'Maple Street', colleague.name])
        assert.equal(reminder.text.includes(secret), false, `the reminder names ${secret}`);
    });

    test('at the start time the client is rung, accepts, and the video room opens', async () => {
      story.server.clock.advance(startsAt.getTime() - story.server.clock.now().getTime());
      assert.equal(await story.server.app.jobs.appointmentRings(), 1);
      await waitFor(clientPage, '[part~="accept-button"]');
      await shoot(clientPage, 'messages-ringing');
      await click(clientPage, '[part~="accept-button"]');
      // The room opens on its pre-join panel (camera preview, devices). Media goes through Janus, which this test does
      // not start (tests/e2e/video-call.test.ts covers a call through a real one): it stops before "Join the call".
      await waitFor(clientPage, '[part~="heading"]', `Video call with ${colleague.name}`);
      await waitFor(clientPage, `[part~="window"][aria-label="Video call with ${colleague.name}"]`);
      await waitFor(clientPage, 'button', 'Join the call');
      await shoot(clientPage, 'messages-video-room');
    });

    test('the client forgets the password, resets it from the mail and signs in with the new one', async () => {
      await clientPage.goto(`${story.server.url}/messages/?practice=${practiceId}`);
      await settled(clientPage);
      await click(clientPage, '[part~="sign-out-button"]');
      await click(clientPage, '[part~="forgot-password-button"]');
      await fill(clientPage, '#reset-email', client.email);
      await click(clientPage, '[part~="reset-request-button"]');
      await waitFor(clientPage, '[part~="reset-sent"]');
      const link = await linkIn(story.smtp.mails, client.email, 'reset');
      await clientPage.goto(link);
      await fill(clientPage, '#reset-password', NEW_PASSWORD);
      await shoot(clientPage, 'messages-reset-password');
      await click(clientPage, '[part~="sign-in-button"]');
      await waitFor(clientPage, '[part~="sign-out-button"]');

      await settled(clientPage);
      await click(clientPage, '[part~="sign-out-button"]');
      await fill(clientPage, 'input[name="email"]', client.email);
      await fill(clientPage, 'input[name="password"]', PASSWORD);
      await click(clientPage, '[part~="sign-in-button"]');
      await waitFor(clientPage, '[role="alert"]', 'The e-mail address or the password is not right.');
      assert.equal(await count(clientPage, '[part~="sign-out-button"]'), 0, 'the old password no longer works');
      await fill(clientPage, 'input[name="password"]', NEW_PASSWORD);
      await click(clientPage, '[part~="sign-in-button"]');
      await waitFor(clientPage, '[part~="sign-out-button"]');
      await waitGone(clientPage, '[part~="sign-in-button"]');
    });
  },
);
