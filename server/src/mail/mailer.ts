import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';
import { privateDir } from '../private-dir.ts';

export interface MailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /**
   * The sender's display name, before the service's own address (`"Front desk" <no-reply@…>`); unset: the neutral
   * default. A practice chooses it (notifications/practice-sender.ts): its own name can itself reveal care.
   */
  fromName?: string;
  replyTo?: string;
  attachments?: MailAttachment[];
}

/** Notifications leave through this one door; their content must never carry health information. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

const FROM_ADDRESS = 'no-reply@clocktree.invalid';
const FROM_NAME = 'Clocktree';

/** What nodemailer sends: the display name quoted by nodemailer, the address always the service's own. */
const envelopeOf = ({ fromName, ...mail }: Mail) => ({
  ...mail,
  from: { name: fromName || FROM_NAME, address: FROM_ADDRESS },
});

export function smtpMailer(smtpUrl: string): Mailer {
  // Pooled connections: the relay sends several mails at once, and opening a connection per mail capped it at ~4/s.
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(mail) {
      await transport.sendMail(envelopeOf(mail));
    },
    close: () => transport.close(),
  };
}

/**
 * The embedded default: each mail becomes an .eml file in the outbox folder, and its file name (never its recipient,
 * an e-mail address being personal data) appears in the console's log so a developer can open it. Folder and files
 * are this user's only.
 */
export function outboxMailer(dir: string, logger?: Logger): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  let counter = 0;
  return {
    async send(mail) {
      const info = await transport.sendMail(envelopeOf(mail));
      privateDir(dir);
      const file = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++counter}.eml`;
      await writeFile(path.join(dir, file), info.message as Buffer, { mode: 0o600 });
      logger?.info({ file: path.join(dir, file) }, 'e-mail written to the outbox');
    },
    close: () => transport.close(),
  };
}
