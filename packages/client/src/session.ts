import type {
  AuthResult,
  InvitationRole,
  LinkExchangeResult,
  LoginBody,
  MeResponse,
  PasswordResetConfirmBody,
  RedeemInviteBody,
  RedeemInviteResult,
  User,
} from '@clocktree/protocol';
import { ApiError } from './api-error.ts';
import { createClient, type Client } from './client.ts';
import { createTransport, type HttpOptions, type Transport } from './http.ts';

/** `signed-out`: the user signed out. `idle`: automatic logoff after inactivity. `unauthenticated`: the API refused the token. */
export type SessionEndReason = 'signed-out' | 'idle' | 'unauthenticated';

export interface SessionInfo {
  user: User;
  token: string;
  /** After this many seconds without user activity the session is dropped (automatic logoff). */
  idleTimeoutSeconds: number;
}

export type SessionEvent =
  { type: 'signed-in'; session: SessionInfo } | { type: 'signed-out'; reason: SessionEndReason };

/** The subset of the Web Storage API used; `sessionStorage` in browsers. */
export type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface SessionOptions {
  /** Origin of the API, optionally with a path prefix. */
  baseUrl: string;
  /**
   * Where the session survives a reload. Defaults to `sessionStorage`: the one tab only, gone when it closes. Never
   * localStorage, which every tab and every later visit would share. `null` keeps it in memory only.
   */
  storage?: SessionStore | null;
  fetch?: typeof fetch;
}

interface Stored extends SessionInfo {
  /** Epoch ms of the last user activity, so a reload after a long pause does not revive an idle session. */
  lastActivityAt: number;
}

/** Activity is written through to storage at most this often; the idle deadline is that precise after a reload. */
const STORE_EVERY_MS = 5_000;

function defaultStorage(): SessionStore | null {
  try {
    // Throws in sandboxed iframes and when the user blocks site data; memory-only then.
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function isStored(value: unknown): value is Stored {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const user = v.user as Record<string, unknown> | null | undefined;
  return (
    typeof v.token === 'string' &&
    typeof v.idleTimeoutSeconds === 'number' &&
    typeof v.lastActivityAt === 'number' &&
    typeof user?.id === 'string'
  );
}

const unrefTimer = (timer: ReturnType<typeof setTimeout>) => (timer as { unref?: () => void }).unref?.();

/**
 * A signed-in user's session with one API: sign-in, sign-out, the e-mail link exchange, and automatic logoff.
 *
 * The widget reports user activity with `activity()`; after `idleTimeoutSeconds` without any, the session is dropped,
 * revoked on the server and listeners hear `idle` (HIPAA automatic logoff). Any call answered 401 drops it as
 * `unauthenticated`. While the user is active but the app makes no calls (typing a long reply), `activity()` touches
 * the server now and then, because the server's own idle deadline only moves with API calls.
 */
export class Session {
  readonly baseUrl: string;
  /** The storage key names the API, so two services on one page never share or overwrite a session. */
  readonly storageKey: string;
  /** Calls made with this session's token; a 401 on any of them ends the session. */
  readonly http: HttpOptions;
  /** The API as this session's user. */
  readonly api: Client;

  private info: Stored | undefined;
  private readonly storage: SessionStore | null;
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStoredAt = 0;
  private lastServerUseAt = 0;
  private touching = false;

  constructor(options: SessionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.storageKey = `clocktree.session ${this.baseUrl}`;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.http = {
      baseUrl: this.baseUrl,
      token: () => this.alive()?.token,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onUnauthenticated: () => this.end('unauthenticated'),
      onTokenUsed: () => (this.lastServerUseAt = Date.now()),
    };
    this.api = createClient(this.http);
    this.restore();
  }

  get current(): SessionInfo | undefined {
    const info = this.alive();
    if (!info) return undefined;
    const { user, token, idleTimeoutSeconds } = info;
    return { user, token, idleTimeoutSeconds };
  }

  get token(): string | undefined {
    return this.alive()?.token;
  }

  get user(): User | undefined {
    return this.alive()?.user;
  }

  /** Listens for sign-in and sign-out; returns the unsubscribe function. */
  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `POST /auth/login`. Rejects with `unauthenticated` for a wrong e-mail or password, leaving any session as it was. */
  async login(body: LoginBody, init: { signal?: AbortSignal } = {}): Promise<User> {
    const result = await this.anonymous().request<AuthResult>('POST', '/api/v1/auth/login', body, init);
    this.start(result);
    return result.user;
  }

  /** `POST /auth/link`: the single-use token from a prospect's e-mail link becomes a session on that thread. */
  async linkExchange(token: string, init: { signal?: AbortSignal } = {}): Promise<{ user: User; threadId: string }> {
    const result = await this.anonymous().request<LinkExchangeResult>('POST', '/api/v1/auth/link', { token }, init);
    this.start(result);
    return { user: result.user, threadId: result.threadId };
  }

  /**
   * `POST /auth/invite`: the single-use token from an invitation e-mail (`#invite=`) sets the new account's password;
   * the person is signed in and linked to the practice that invited them.
   */
  async acceptInvite(
    body: RedeemInviteBody,
    init: { signal?: AbortSignal } = {},
  ): Promise<{ user: User; practiceId: string; role: InvitationRole }> {
    const result = await this.anonymous().request<RedeemInviteResult>('POST', '/api/v1/auth/invite', body, init);
    this.start(result);
    return { user: result.user, practiceId: result.practiceId, role: result.role };
  }

  /** `POST /auth/password-reset`: mails a single-use reset link if the address has an account; the answer is the same either way. */
  async requestPasswordReset(email: string, init: { signal?: AbortSignal } = {}): Promise<void> {
    await this.anonymous().request<unknown>('POST', '/api/v1/auth/password-reset', { email }, init);
  }

  /** `POST /auth/password-reset/confirm`: the token from `#reset=` sets a new password; the person is signed in. */
  async confirmPasswordReset(body: PasswordResetConfirmBody, init: { signal?: AbortSignal } = {}): Promise<User> {
    const result = await this.anonymous().request<AuthResult>(
      'POST',
      '/api/v1/auth/password-reset/confirm',
      body,
      init,
    );
    this.start(result);
    return result.user;
  }

  /** `POST /auth/link/renew`: a used or expired prospect link asks for a fresh one, mailed to the same address. */
  async renewLink(token: string, init: { signal?: AbortSignal } = {}): Promise<void> {
    await this.anonymous().request<unknown>('POST', '/api/v1/auth/link/renew', { token }, init);
  }

  /** `GET /me`. */
  me(init: { signal?: AbortSignal } = {}): Promise<MeResponse> {
    return this.api.request<MeResponse>('GET', '/api/v1/me', undefined, init);
  }

  /** Revokes the token on the server, then forgets it. Forgets it even when the server cannot be reached. */
  async logout(): Promise<void> {
    const token = this.info?.token;
    if (!token) return;
    this.end('signed-out');
    await this.revoke(token);
  }

  /** The user did something (typed, clicked, scrolled): restarts the idle countdown. */
  activity(): void {
    const info = this.alive();
    if (!info) return;
    const now = Date.now();
    info.lastActivityAt = now;
    if (now - this.lastStoredAt >= STORE_EVERY_MS) this.persist();
    const idleMs = info.idleTimeoutSeconds * 1000;
    if (!this.touching && now - this.lastServerUseAt > idleMs / 2) {
      this.touching = true;
      this.me()
        .catch(() => undefined)
        .finally(() => (this.touching = false));
    }
  }

  /** Drops the session locally (no server call) and tells the listeners why. */
  end(reason: SessionEndReason): void {
    if (!this.info) return;
    this.info = undefined;
    clearTimeout(this.idleTimer);
    this.forget();
    this.notify({ type: 'signed-out', reason });
  }

  /** Stops the idle timer without ending the session (tests; hosts tearing everything down). */
  dispose(): void {
    clearTimeout(this.idleTimer);
    this.listeners.clear();
  }

  /** Calls that must never carry (or end) the current session: signing in as someone, perhaps someone else. */
  private anonymous(): Transport {
    return createTransport({ baseUrl: this.baseUrl, ...(this.http.fetch ? { fetch: this.http.fetch } : {}) });
  }

  private start(result: AuthResult): void {
    const previous = this.info?.token;
    const now = Date.now();
    this.info = {
      user: result.user,
      token: result.token,
      idleTimeoutSeconds: result.idleTimeoutSeconds,
      lastActivityAt: now,
    };
    this.lastServerUseAt = now;
    this.persist();
    this.scheduleIdleCheck();
    // A second sign-in replaces the first; the first token must not stay alive on the server.
    if (previous && previous !== result.token) void this.revoke(previous);
    this.notify({ type: 'signed-in', session: this.current! });
  }

  private restore(): void {
    let stored: unknown;
    try {
      const text = this.storage?.getItem(this.storageKey);
      stored = text ? JSON.parse(text) : undefined;
    } catch {
      stored = undefined;
    }
    if (!isStored(stored)) return;
    if (Date.now() - stored.lastActivityAt >= stored.idleTimeoutSeconds * 1000) {
      // Idled out while the page was gone; revoke it in case the server has not swept it yet.
      this.forget();
      void this.revoke(stored.token);
      return;
    }
    this.info = stored;
    this.scheduleIdleCheck();
  }

  private forget(): void {
    try {
      this.storage?.removeItem(this.storageKey);
    } catch {
      // Storage turned unavailable; the session is gone from memory, which is what matters.
    }
  }

  private persist(): void {
    if (!this.info) return;
    this.lastStoredAt = Date.now();
    try {
      this.storage?.setItem(this.storageKey, JSON.stringify(this.info));
    } catch {
      // Full or blocked storage: the session still works in this page, it just will not survive a reload.
    }
  }

  /**
   * The session if its idle deadline has not passed. Timers sleep with the computer, so the deadline is also checked
   * whenever the session is used: activity after waking up must not revive a session that should have ended.
   */
  private alive(): Stored | undefined {
    const info = this.info;
    if (!info) return undefined;
    if (Date.now() - info.lastActivityAt < info.idleTimeoutSeconds * 1000) return info;
    this.end('idle');
    // The server would expire it too, about now; revoking makes sure nobody at this screen can reuse it.
    void this.revoke(info.token);
    return undefined;
  }

  private scheduleIdleCheck(): void {
    clearTimeout(this.idleTimer);
    const info = this.alive();
    if (!info) return;
    const left = info.lastActivityAt + info.idleTimeoutSeconds * 1000 - Date.now();
    this.idleTimer = setTimeout(() => this.scheduleIdleCheck(), left);
    // A Node host must not be kept running by a pending logoff.
    unrefTimer(this.idleTimer);
  }

  private async revoke(token: string): Promise<void> {
    try {
      await this.anonymous().request('POST', '/api/v1/auth/logout', undefined, {
        headers: { authorization: `Bearer ${token}` },
      });
    } catch (error) {
      // Already dead (401) or unreachable: the token is forgotten here either way and expires on its own there.
      if (!(error instanceof ApiError)) throw error;
    }
  }

  private notify(event: SessionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

const shared = new Map<string, Session>();

/** One session per API for the whole page, so every widget talking to that API signs in and out together. */
export function sessionFor(baseUrl: string): Session {
  const key = baseUrl.replace(/\/+$/, '');
  let session = shared.get(key);
  if (!session) shared.set(key, (session = new Session({ baseUrl: key })));
  return session;
}
