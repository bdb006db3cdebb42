import type { AuthResult, PasswordResetConfirmBody } from '@clocktree/protocol';
import type { Background } from '../../background.ts';
import type { Actor, ServiceDeps } from '../../context.ts';
import { unauthenticated } from '../../http/api-error.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { LinkTokens } from '../links/link-tokens.ts';
import { mailTexts } from '../notifications/mail-texts.ts';
import type { AuthService } from './auth.service.ts';

const RESET_TTL_MS = 3600_000;
/** Reset mails one account receives per hour, whoever asks and from wherever: beyond, requests are dropped unseen. */
const MAILS_PER_ACCOUNT_PER_HOUR = 3;

export interface PasswordResetDeps {
  mailer: ServiceDeps['mailer'];
  publicUrl: ServiceDeps['publicUrl'];
  tokens: LinkTokens;
  auth: AuthService;
  audit: AuditService;
  limiter: RateLimiter;
  later: Background;
  /** Ends the person's open sockets (their sessions just ended). */
  dropSockets: (userId: string) => Promise<void>;
}

/**
 * Forgot password, by e-mail, for everyone (also a client whose account came from a Contact Us link and never had a
 * password). The request is answered before the address is even looked up, so neither the answer nor its timing
 * tells whether the address has an account; the link is single-use, works for an hour, and its use ends the
 * account's other sessions.
 */
export function passwordReset(deps: PasswordResetDeps) {
  const { tokens, auth } = deps;

  async function mailLink(email: string): Promise<void> {
    const user = await auth.findUserByEmail(email);
    if (!user) return;
    const { allowed } = await deps.limiter.count(`reset-mail:${user._id}`, MAILS_PER_ACCOUNT_PER_HOUR, 3600_000);
    if (!allowed) return;
    const token = await tokens.issue('reset', { userId: user._id }, RESET_TTL_MS);
    // Each person lands where they sign in; the token rides in the fragment, out of every access log.
    const page = user.kind === 'professional' ? '/console' : '/messages/';
    await deps.mailer.send(mailTexts.passwordReset(auth.emailOf(user), `${deps.publicUrl()}${page}#reset=${token}`));
  }

  return {
    request(email: string): void {
      deps.later.run('password reset', () => mailLink(email));
    },

    async confirm(body: PasswordResetConfirmBody, actor: Actor): Promise<AuthResult> {
      const link = await tokens.redeem('reset', body.token);
      const user = link?.userId ? await auth.setPassword(link.userId, body.password) : null;
      if (!user) throw unauthenticated('This link has expired or was already used. Ask for a new one.');
      await tokens.useAll('reset', user._id);
      await auth.endSessions(user._id);
      await deps.dropSockets(String(user._id));
      await deps.audit.record(
        { ...actor, userId: String(user._id) },
        { action: 'auth.password_reset', target: `user:${user._id}` },
      );
      return auth.startSession(user, actor);
    },
  };
}

export type PasswordReset = ReturnType<typeof passwordReset>;
