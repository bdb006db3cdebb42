import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';
import { privateDir } from '../private-dir.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Notifications leave through this one door; their content must never carry health information. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

const FROM = 'Clocktree <no-reply@clocktree.invalid>';

export function smtpMailer(smtpUrl: string): Mailer {
  // Pooled connections: the relay sends several mails at once, and opening a connection per mail capped it at ~4/s.
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(mail) {
      await transport.sendMail({ from: FROM, ...mail });
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
      const info = await transport.sendMail({ from: FROM, ...mail });
      privateDir(dir);
      const file = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++counter}.eml`;
      await writeFile(path.join(dir, file), info.message as Buffer, { mode: 0o600 });
      logger?.info({ file: path.join(dir, file) }, 'e-mail written to the outbox');
    },
    close: () => transport.close(),
  };
}
