import { after, before } from 'node:test';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startSmtp } from '../../server/src/testing/smtp.ts';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server.ts';
import { launchChromium } from './browser.ts';

export interface MailingStory {
  /** A real SMTP server on loopback: every mail the server sends lands in `smtp.mails`. */
  smtp: Awaited<ReturnType<typeof startSmtp>>;
  server: TestServer;
  request: Request;
  chromium: Awaited<ReturnType<typeof launchChromium>>;
}

/**
 * Registers before/after hooks for a story told in Chromium against a real server that mails through a real SMTP
 * server: the server takes `options` (its mail goes to the SMTP server), Chromium takes `chromiumFlags`.
 */
export function useMailingStory(
  options: Parameters<typeof startTestServer>[0] = {},
  chromiumFlags: string[] = [],
): MailingStory {
  const story = {} as MailingStory;
  before(async () => {
    story.smtp = await startSmtp();
    story.server = await startTestServer({ ...options, smtpUrl: story.smtp.url });
    story.request = httpClient(story.server.url);
    story.chromium = await launchChromium(chromiumFlags);
  });
  after(async () => {
    await story.chromium?.close();
    await story.server?.close();
    await story.smtp?.close();
  });
  return story;
}
