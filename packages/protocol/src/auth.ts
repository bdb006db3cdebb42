import { z } from 'zod';
import { Email, Id, line } from './common.ts';

export const UserKind = z.enum(['professional', 'client']);
export type UserKind = z.infer<typeof UserKind>;

/** Length bounds follow NIST SP 800-63B: long passphrases allowed, no composition rules. */
export const Password = z.string().min(10, 'must be at least 10 characters').max(256, 'must be at most 256 characters');

export const RegisterBody = z.strictObject({
  email: Email,
  password: Password,
  name: line(120),
  kind: UserKind,
});
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z.strictObject({
  email: Email,
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const User = z.object({ id: Id, email: z.string(), name: z.string(), kind: UserKind });
export type User = z.infer<typeof User>;

export const AuthResult = z.object({
  user: User,
  token: z.string(),
  /** Seconds of inactivity after which the token stops working (automatic logoff). */
  idleTimeoutSeconds: z.number(),
});
export type AuthResult = z.infer<typeof AuthResult>;

export const Role = z.enum(['admin', 'colleague']);
export type Role = z.infer<typeof Role>;

export const MeResponse = z.object({
  user: User,
  memberships: z.array(z.object({ practiceId: Id, role: Role })),
  clientOf: z.array(Id),
});
export type MeResponse = z.infer<typeof MeResponse>;

/** The secret of a single-use e-mail link (`#link=`, `#invite=`), as it travels in the URL fragment. */
export const LinkToken = z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, 'must be a link token');

/** A prospective client exchanges the single-use link from their notification e-mail for a session. */
export const LinkExchangeBody = z.strictObject({ token: LinkToken });
export type LinkExchangeBody = z.infer<typeof LinkExchangeBody>;

export const LinkExchangeResult = AuthResult.extend({ threadId: Id });
export type LinkExchangeResult = z.infer<typeof LinkExchangeResult>;

// Getting in again (issue 11). Defined here for the widgets ahead of the server's routes, exactly as specified:
// `POST /auth/password-reset` → 202 whether or not the address has an account; the mail links to `…#reset=TOKEN`.
export const PasswordResetBody = z.strictObject({ email: Email });
export type PasswordResetBody = z.infer<typeof PasswordResetBody>;

/** `POST /auth/password-reset/confirm` → 200 `AuthResult`: signed in, the person's other sessions ended. */
export const PasswordResetConfirmBody = z.strictObject({ token: LinkToken, password: Password });
export type PasswordResetConfirmBody = z.infer<typeof PasswordResetConfirmBody>;

/** `POST /auth/link/renew` → 202: a used or expired prospect link asks for a fresh one, sent to the same address. */
export const LinkRenewBody = z.strictObject({ token: LinkToken });
export type LinkRenewBody = z.infer<typeof LinkRenewBody>;
