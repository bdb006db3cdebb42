import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { installDeepQuery } from './deep-dom.ts';

/**
 * Fake camera (a moving test pattern) and microphone (a periodic beep), permission granted without a prompt, sound
 * allowed without a gesture, and WebRTC over the veth pair to a Janus in its own namespace.
 */
export const MEDIA_FLAGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Debian's Chromium, headless, with its own throw-away profile. The networking flags stop Chromium from calling
 * Google's services, which this machine's closed network refuses (and which tests must not reach anyway).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(tmpdir(), 'ct-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // Tests read dates and times as an American visitor sees them, whatever the machine's LANG.
      '--lang=en-US',
      ...extraArgs,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A page in a browser context of its own (its own session storage and cookies: another person), deep queries on. */
export async function openPage(chromium: Awaited<ReturnType<typeof launchChromium>>): Promise<Page> {
  const page = await (await chromium.browser.createBrowserContext()).newPage();
  await installDeepQuery(page);
  return page;
}
