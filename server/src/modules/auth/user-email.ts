import type { ServiceBase } from '../../context.ts';
import type { Envelope } from '../../crypto/envelope.ts';
import type { UserDoc } from './auth.model.ts';

/**
 * An account's e-mail address is stored twice, neither in the clear: sealed under a system key derived from the
 * master key (to send mail to it), and as a keyed blind index, an HMAC of the normalized address under another
 * derived key (to find the account and keep addresses unique). A copy of the database alone can neither read an
 * address nor confirm a guessed one.
 *
 * Normalized as the protocol's Email does (trimmed, lower-cased), so an address typed in another case finds the same
 * account, also when a caller did not parse it through the protocol.
 */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const emailIndex = (crypto: Envelope, email: string) => crypto.digest('email-index', normalizeEmail(email));

/** The fields a user document stores for `email`. */
export const emailFields = (crypto: Envelope, email: string) => ({
  emailIndex: emailIndex(crypto, email),
  emailEnc: crypto.sealSystem('email-seal', email.trim()),
});

/** The address of an account, opened. */
export const emailOf = (crypto: Envelope, user: Pick<UserDoc, 'emailEnc'>): string =>
  crypto.openSystem('email-seal', user.emailEnc);

/** The one way to look an account up by e-mail address. */
export function userByEmail({ models, crypto }: Pick<ServiceBase<'User'>, 'models' | 'crypto'>, email: string) {
  return models.User.findOne({ emailIndex: emailIndex(crypto, email) }).lean<UserDoc>();
}
