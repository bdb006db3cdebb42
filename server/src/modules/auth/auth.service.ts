import type { AuthResult, LoginBody, MeResponse, RegisterBody, User } from '@clocktree/protocol';

import type { Actor, ServiceDeps } from '../../context.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../crypto/passwords.ts';
import { hashToken, newToken } from '../../crypto/tokens.ts';
import { conflict, unauthenticated } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from './auth.model.ts';

export const toUser = (u: Pick<UserDoc, '_id' | 'email' | 'name' | 'kind'>): User => ({
  id: String(u._id),
  email: u.email,
  name: u.name,
  kind: u.kind,
});

/** How often a session's last use is written (see `authenticate`). */
export const TOUCH_EVERY_MS = 60_000;

export function authService(deps: ServiceDeps, audit: AuditService) {
  const { models, clock, sessionIdleMs } = deps;

  async function startSession(user: UserDoc): Promise<AuthResult> {
    const { token, hash } = newToken();
    const now = clock.now();
    await models.Session.create({
      tokenHash: hash,
      userId: user._id,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + sessionIdleMs),
      revokedAt: null,
    });
    return { user: toUser(user), token, idleTimeoutSeconds: Math.round(sessionIdleMs / 1000) };
  }

  return {
    startSession,

    async register(body: RegisterBody, actor: Actor): Promise<AuthResult> {
      if (await models.User.exists({ email: body.email }))
        throw conflict('An account with that e-mail address already exists.');
      const user = await models.User.create({
        email: body.email,
        name: body.name,
        kind: body.kind,
        passwordHash: await hashPassword(body.password),
        createdAt: clock.now(),
      });
      await audit.record(
        { ...actor, userId: String(user._id) },
        { action: 'user.register', target: `user:${user._id}` },
      );
      return startSession(user);
    },

    async login(body: LoginBody, actor: Actor): Promise<AuthResult> {
      const user = await models.User.findOne({ email: body.email }).lean<UserDoc>();
      const ok = user?.passwordHash ? await verifyPassword(body.password, user.passwordHash) : false;
      if (!user?.passwordHash) await burnPasswordCheck(body.password);
      if (!user || !ok) {
        await audit.record(actor, { action: 'auth.login_failed' });
        throw unauthenticated('E-mail or password is wrong.');
      }
      await audit.record({ ...actor, userId: String(user._id) }, { action: 'auth.login', target: `user:${user._id}` });
      return startSession(user);
    },

    async logout(token: string, actor: Actor): Promise<void> {
      await models.Session.updateOne({ tokenHash: hashToken(token) }, { $set: { revokedAt: clock.now() } });
      await audit.record(actor, { action: 'auth.logout', target: `user:${actor.userId}` });
    },

    /**
     * Resolves a bearer token to its user and slides the idle deadline, writing at most once a minute per session:
     * a write on every request would double the database's work for nothing (and FerretDB rewrites whole documents).
     * So a session ends between SESSION_IDLE_MINUTES − 1 and SESSION_IDLE_MINUTES after its last use, never later.
     */
    async authenticate(token: string): Promise<UserDoc | null> {
      const now = clock.now();
      const session = await models.Session.findOne({
        tokenHash: hashToken(token),
        revokedAt: null,
        expiresAt: { $gt: now },
      }).lean();
      if (!session) return null;
      if (now.getTime() - session.lastUsedAt.getTime() >= TOUCH_EVERY_MS)
        await models.Session.updateOne(
          // Guarded on the value read: of several requests at once, one writes.
          { _id: session._id, lastUsedAt: session.lastUsedAt, revokedAt: null },
          { $set: { lastUsedAt: now, expiresAt: new Date(now.getTime() + sessionIdleMs) } },
        );
      return models.User.findById(session.userId).lean<UserDoc>();
    },

    async me(user: UserDoc, actor: Actor): Promise<MeResponse> {
      const [practices, links] = await Promise.all([
        models.Practice.find({ 'members.userId': user._id }, { members: 1 }).lean(),
        models.ClientLink.find({ userId: user._id }, { practiceId: 1 }).lean(),
      ]);
      await audit.record(actor, { action: 'user.read', target: `user:${user._id}` });
      return {
        user: toUser(user),
        memberships: practices.map((p) => ({
          practiceId: String(p._id),
          role: p.members.find((m) => m.userId.equals(user._id))!.role,
        })),
        clientOf: links.map((l) => String(l.practiceId)),
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
