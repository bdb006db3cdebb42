import type { Clock } from './clock.ts';
import type { Envelope } from './crypto/envelope.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Models } from './models.ts';

/** What every service is built from: injected, so tests run the real code against a real database. */
export interface ServiceDeps {
  models: Models;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  sessionIdleMs: number;
  crypto: Envelope;
  /** Where browsers reach the service (links in e-mails); known once the server listens. */
  publicUrl: () => string;
}

/** Who is acting, for authorization and for the audit trail. */
export interface Actor {
  userId: string | null;
  ip: string;
  /** The `Origin` a browser sent with the request, if any: a session signed in now is bound to it. */
  origin?: string | null;
}
