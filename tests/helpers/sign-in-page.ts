import type { Page } from 'puppeteer-core';
import { PASSWORD } from '../../server/src/testing/fixtures.ts';
import { click, fill, waitFor } from './deep-dom.ts';

/** Signs in with the sign-in form the page shows (the console's, a widget's, the video page's), as a person types. */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await fill(page, 'input[name="email"]', email);
  await fill(page, 'input[name="password"]', password);
  await click(page, '[part~="sign-in-button"]');
}

/** The provider console the server serves, signed in. */
export async function signInConsole(page: Page, serverUrl: string, email: string): Promise<void> {
  await page.goto(`${serverUrl}/console`);
  await signIn(page, email);
}

/** A client signed in to <ct-messages> on `url` (a practice's page), once their messages have shown. */
export async function signInMessages(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await signIn(page, email);
  await waitFor(page, '[part~="new-message-button"]');
}
