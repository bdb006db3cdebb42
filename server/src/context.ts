import type { UserKind } from '@clocktree/protocol';
import type { Types } from 'mongoose';
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

/**
 * What one service is built from: only the models it owns (`M`) and the shared parts. The services it calls are
 * named beside them: `{ ...base, audit, practices }`.
 */
export type ServiceBase<M extends keyof Models> = Omit<ServiceDeps, 'models'> & { models: Pick<Models, M> };

/** Who is acting, for authorization and for the audit trail. */
export interface Actor {
  userId: string | null;
  ip: string;
  /** The `Origin` a browser sent with the request, if any: a session signed in now is bound to it. */
  origin?: string | null;
}

/** An account as stored (modules/auth owns it); shared because every request's state carries the caller's. */
export interface UserDoc {
  _id: Types.ObjectId;
  /** Blind index of the e-mail address (user-email.ts): lookups and uniqueness. */
  emailIndex: string;
  /** The address, sealed under a system key (user-email.ts). */
  emailEnc: Buffer;
  name: string;
  kind: UserKind;
  /** null for a client a practice added who has not set a password yet. */
  passwordHash: string | null;
  createdAt: Date;
}

/** What the HTTP and socket layers need of sessions (modules/auth provides it): they never import a feature. */
export interface Sessions {
  authenticate(token: string, origin?: string): Promise<{ user: UserDoc; origin: string | null } | null>;
  /** Whether a token still works, without counting this as use. */
  isLive(token: string): Promise<boolean>;
}
