import type { AuthResult, LoginBody, MeResponse, RegisterBody, User } from '@clocktree/protocol';
import type { Types } from 'mongoose';

import type { Actor, ServiceBase } from '../../context.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../crypto/passwords.ts';
import { hashToken, newToken } from '../../crypto/tokens.ts';
import { conflict, unauthenticated } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from './auth.model.ts';
import { emailFields, emailIndex, emailOf, userByEmail } from './user-email.ts';
import { isDuplicateKey } from '../../database.ts';
import type { Members } from '../practices/members.ts';
import type { ClientLinks } from '../clients/client-links.ts';

export const toUser = (u: Pick<UserDoc, '_id' | 'name' | 'kind'>, email: string): User => ({
  id: String(u._id),
  email,
  name: u.name,
  kind: u.kind,
});

/** How often a session's last use is written (see `authenticate`). */
export const TOUCH_EVERY_MS = 60_000;

export function authService({
  audit,
  practices,
  clients,
  ...deps
}: ServiceBase<'User' | 'Session'> & {
  audit: AuditService;
  practices: Pick<Members, 'memberships'>;
  clients: Pick<ClientLinks, 'practiceIdsOfClient'>;
}) {
  const { models, clock, sessionIdleMs, crypto } = deps;

  /** A new session for `user`, bound to the origin of the page that signed in (`actor.origin`), if any. */
  async function startSession(user: UserDoc, actor: Actor): Promise<AuthResult> {
    const { token, hash } = newToken();
    const now = clock.now();
    await models.Session.create({
      tokenHash: hash,
      userId: user._id,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + sessionIdleMs),
      revokedAt: null,
      origin: actor.origin ?? null,
    });
    return { user: toUser(user, emailOf(crypto, user)), token, idleTimeoutSeconds: Math.round(sessionIdleMs / 1000) };
  }

  /** The account with this e-mail address, through the keyed blind index (user-email.ts). */
  async function findUserByEmail(email: string): Promise<UserDoc | null> {
    return userByEmail(deps, email);
  }

  /** A new account; 409 when the address has one already (also when another request created it meanwhile). */
  async function createAccount(
    { email, ...fields }: Pick<UserDoc, 'name' | 'kind'> & { email: string },
    password: string,
  ) {
    const passwordHash = await hashPassword(password);
    try {
      return (
        await models.User.create({ ...fields, ...emailFields(crypto, email), passwordHash, createdAt: clock.now() })
      ).toObject<UserDoc>();
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict('An account with that e-mail address already exists.');
      throw err;
    }
  }

  /**
   * The account of an address that proved itself by a mailed link (a Contact Us prospect): the existing one, or a new
   * password-less client account. Two first uses at once end with one account (the unique address index decides).
   */
  async function accountForProvenAddress(email: string, name: string): Promise<UserDoc> {
    const existing = await findUserByEmail(email);
    if (existing) return existing;
    await models.User.create({
      ...emailFields(crypto, email),
      name,
      kind: 'client',
      passwordHash: null,
      createdAt: clock.now(),
    }).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
    return (await findUserByEmail(email))!;
  }

  return {
    startSession,
    findUserByEmail,
    createAccount,
    accountForProvenAddress,

    /**
     * What other records keep to find a person's entries by address (invitations): the same keyed blind index as
     * accounts, so no address is stored in the clear.
     */
    emailKey: (email: string): string => emailIndex(crypto, email),

    /** The address of an account, opened. */
    emailOf: (user: Pick<UserDoc, 'emailEnc'>): string => emailOf(crypto, user),

    /** Gives a password to an account that has none yet (created from a Contact Us link); 409 if it has one. */
    async setFirstPassword(user: UserDoc, password: string): Promise<UserDoc> {
      const passwordHash = await hashPassword(password);
      const updated = await models.User.findOneAndUpdate(
        { _id: user._id, passwordHash: null },
        { $set: { passwordHash } },
        { returnDocument: 'after' },
      ).lean<UserDoc>();
      if (!updated) throw conflict('That account has a password already: sign in instead.');
      return updated;
    },

    /** A new password (a reset): any earlier one, or none, is replaced. */
    async setPassword(userId: Types.ObjectId, password: string): Promise<UserDoc | null> {
      const passwordHash = await hashPassword(password);
      return models.User.findOneAndUpdate(
        { _id: userId },
        { $set: { passwordHash } },
        { returnDocument: 'after' },
      ).lean<UserDoc>();
    },

    /** Ends every session of the account (a password reset): each of its tokens stops working at once. */
    async endSessions(userId: Types.ObjectId): Promise<void> {
      await models.Session.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: clock.now() } });
    },

    async register(body: RegisterBody, actor: Actor): Promise<AuthResult> {
      if (await findUserByEmail(body.email)) throw conflict('An account with that e-mail address already exists.');
      const user = await createAccount({ email: body.email, name: body.name, kind: body.kind }, body.password);
      await audit.record(
        { ...actor, userId: String(user._id) },
        { action: 'user.register', target: `user:${user._id}` },
      );
      return startSession(user, actor);
    },

    async login(body: LoginBody, actor: Actor): Promise<AuthResult> {
      const user = await findUserByEmail(body.email);
      const ok = user?.passwordHash ? await verifyPassword(body.password, user.passwordHash) : false;
      if (!user?.passwordHash) await burnPasswordCheck(body.password);
      if (!user || !ok) {
        await audit.record(actor, { action: 'auth.login_failed' });
        throw unauthenticated('E-mail or password is wrong.');
      }
      await audit.record({ ...actor, userId: String(user._id) }, { action: 'auth.login', target: `user:${user._id}` });
      return startSession(user, actor);
    },

    async logout(token: string, actor: Actor): Promise<void> {
      await models.Session.updateOne({ tokenHash: hashToken(token) }, { $set: { revokedAt: clock.now() } });
      await audit.record(actor, { action: 'auth.logout', target: `user:${actor.userId}` });
    },

    /**
     * Resolves a bearer token to its user and the origin its session is bound to. A token presented from a page
     * (`origin`) other than the one it was signed in from resolves to nothing, exactly like a dead one; without
     * `origin` (no browser page) the binding is not checked here, and the session's own origin still limits what it
     * may touch (http/origin-scope.ts).
     *
     * The idle deadline slides, written at most once a minute per session: a write on every request would double the
     * database's work for nothing (and FerretDB rewrites whole documents). So a session ends between
     * SESSION_IDLE_MINUTES − 1 and SESSION_IDLE_MINUTES after its last use, never later.
     */
    async authenticate(token: string, origin?: string): Promise<{ user: UserDoc; origin: string | null } | null> {
      const now = clock.now();
      const filter: Record<string, unknown> = { tokenHash: hashToken(token), revokedAt: null, expiresAt: { $gt: now } };
      if (origin) filter.origin = origin;
      const session = await models.Session.findOne(filter).lean();
      if (!session) return null;
      if (now.getTime() - session.lastUsedAt.getTime() >= TOUCH_EVERY_MS)
        await models.Session.updateOne(
          // Guarded on the value read: of several requests at once, one writes.
          { _id: session._id, lastUsedAt: session.lastUsedAt, revokedAt: null },
          { $set: { lastUsedAt: now, expiresAt: new Date(now.getTime() + sessionIdleMs) } },
        );
      const user = await models.User.findById(session.userId).lean<UserDoc>();
      return user ? { user, origin: session.origin ?? null } : null;
    },

    /** `within`: only these practices' memberships and client links (a caller acting from a practice's website). */
    async me(user: UserDoc, actor: Actor, within?: Types.ObjectId[]): Promise<MeResponse> {
      const [memberships, clientOf] = await Promise.all([
        practices.memberships(user._id, within),
        clients.practiceIdsOfClient(user._id, within),
      ]);
      await audit.record(actor, { action: 'user.read', target: `user:${user._id}` });
      return {
        user: toUser(user, emailOf(crypto, user)),
        memberships,
        clientOf: clientOf.map(String),
      };
    },

    /** Whether a token still works, without counting this as use (a socket merely staying open is not activity). */
    async isLive(token: string): Promise<boolean> {
      const live = await models.Session.exists({
        tokenHash: hashToken(token),
        revokedAt: null,
        expiresAt: { $gt: clock.now() },
      });
      return Boolean(live);
    },

    /** Deletes sessions that can no longer be used; FerretDB has no TTL indexes, so this runs on a schedule. */
    async sweepSessions(): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - 24 * 3600_000);
      const res = await models.Session.deleteMany({ expiresAt: { $lt: cutoff } });
      return res.deletedCount;
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
