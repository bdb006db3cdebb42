import { randomBytes } from 'node:crypto';

/**
 * A small client for Janus's HTTP API (the REST transport): sessions, handles, plugin messages and long polls.
 * Nothing here retries a request that Janus may have acted on: a timeout or a dropped connection surfaces as
 * `JanusUnavailableError` with `sent: true`, and callers decide (a room create is never blindly repeated).
 */

/** Janus core error codes (janus/apierror.h) that callers act on. */
export const JANUS_ERROR = {
  UNAUTHORIZED: 403,
  UNAUTHORIZED_PLUGIN: 405,
  UNKNOWN: 490,
  MISSING_REQUEST: 452,
  UNKNOWN_REQUEST: 453,
  INVALID_JSON: 454,
  MISSING_MANDATORY_ELEMENT: 456,
  INVALID_REQUEST_PATH: 457,
  SESSION_NOT_FOUND: 458,
  HANDLE_NOT_FOUND: 459,
  PLUGIN_NOT_FOUND: 460,
  PLUGIN_ATTACH: 461,
  PLUGIN_MESSAGE: 462,
  NOT_ACCEPTING_SESSIONS: 472,
} as const;

/** The videoroom plugin's error codes (plugins/janus_videoroom.c). */
export const VIDEOROOM_ERROR = {
  UNKNOWN_ERROR: 499,
  NO_MESSAGE: 421,
  INVALID_JSON: 422,
  INVALID_REQUEST: 423,
  JOIN_FIRST: 424,
  ALREADY_JOINED: 425,
  NO_SUCH_ROOM: 426,
  ROOM_EXISTS: 427,
  NO_SUCH_FEED: 428,
  MISSING_ELEMENT: 429,
  INVALID_ELEMENT: 430,
  PUBLISHERS_FULL: 432,
  UNAUTHORIZED: 433,
  ID_EXISTS: 436,
} as const;

export const VIDEOROOM_PLUGIN = 'janus.plugin.videoroom';

/** Janus answered and refused: the request had no effect. `source` says whether the core or the plugin refused. */
export class JanusError extends Error {
  override readonly name = 'JanusError';
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly source: 'janus' | 'plugin',
  ) {
    super(`Janus ${source} error ${code}: ${reason}`);
  }
}

/**
 * No usable answer. `sent: false` means the request provably never reached Janus (connection refused, no route),
 * so it can be retried or sent elsewhere; `sent: true` means Janus may have acted on it (timeout, dropped reply).
 */
export class JanusUnavailableError extends Error {
  override readonly name = 'JanusUnavailableError';
  constructor(
    message: string,
    readonly sent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Failures that happen before a byte of the request is written.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function unavailable(err: unknown, what: string): JanusUnavailableError {
  if (err instanceof JanusUnavailableError) return err;
  const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  const sent = timeout || typeof code !== 'string' || !NOT_SENT.has(code);
  const why = timeout ? 'timed out' : typeof code === 'string' ? code : 'failed';
  return new JanusUnavailableError(`Janus ${what} ${why}`, sent, { cause: err });
}

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

interface Reply {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number };
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: Jsep;
}

export interface JanusInfo {
  janus: 'server_info';
  name: string;
  version: number;
  version_string: string;
  'server-name': string;
  'session-timeout': number;
  'accepting-new-sessions': boolean;
  plugins: Record<string, unknown>;
}

export interface JanusClientOptions {
  /** Per request (default 5 s). */
  timeoutMs?: number;
  /** How long a long poll may hang; Janus answers an idle one with a keepalive after 30 s (default 40 s). */
  longPollMs?: number;
}

const newTransaction = () => randomBytes(12).toString('base64url');

/** Plugin data carrying `error_code` is a refusal even though the envelope says `success` or `event`. */
function pluginData<T>(reply: Reply): T {
  const data = reply.plugindata?.data;
  if (!data) throw new JanusUnavailableError(`Janus answered ${reply.janus} without plugin data`, true);
  if (typeof data.error_code === 'number')
    throw new JanusError(data.error_code, String(data.error ?? 'plugin error'), 'plugin');
  return data as T;
}

export class JanusClient {
  readonly timeoutMs: number;
  readonly longPollMs: number;

  constructor(
    readonly url: string,
    options: JanusClientOptions = {},
  ) {
    this.url = url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.longPollMs = options.longPollMs ?? 40_000;
  }

  /** POSTs one Janus request; a Janus-level `error` becomes a JanusError. */
  async post(path: string, body: Record<string, unknown>, transaction = newTransaction()): Promise<Reply> {
    const what = String(body.janus);
    let res: Response;
    try {
      res = await fetch(this.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, transaction }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw unavailable(err, what);
    }
    return this.#read(res, what);
  }

  async #read(res: Response, what: string): Promise<Reply> {
    let reply: Reply | Reply[];
    try {
      reply = (await res.json()) as Reply | Reply[];
    } catch (err) {
      throw new JanusUnavailableError(`Janus ${what}: unreadable answer (HTTP ${res.status})`, true, { cause: err });
    }
    if (!Array.isArray(reply) && reply.janus === 'error' && reply.error)
      throw new JanusError(reply.error.code, reply.error.reason, 'janus');
    return reply as Reply;
  }

  /** Long poll: up to `maxev` events queued for the session (an empty list when Janus only sent a keepalive). */
  async poll(sessionId: number, signal?: AbortSignal, maxev = 10): Promise<Reply[]> {
    let res: Response;
    const timeout = AbortSignal.timeout(this.longPollMs);
    try {
      res = await fetch(`${this.url}/${sessionId}?maxev=${maxev}&rid=${Date.now()}`, {
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      throw unavailable(err, 'poll');
    }
    // With maxev > 1 Janus answers with an array; errors (an expired session) come as a single object.
    const reply = (await this.#read(res, 'poll')) as Reply | Reply[];
    return (Array.isArray(reply) ? reply : [reply]).filter((e) => e.janus !== 'keepalive');
  }

  async info(): Promise<JanusInfo> {
    let res: Response;
    try {
      res = await fetch(`${this.url}/info`, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw unavailable(err, 'info');
    }
    return (await this.#read(res, 'info')) as unknown as JanusInfo;
  }

  async createSession(): Promise<JanusSession> {
    const reply = await this.post('', { janus: 'create' });
    if (typeof reply.data?.id !== 'number') throw new JanusUnavailableError('Janus create: no session id', true);
    return new JanusSession(this, reply.data.id);
  }
}

interface Waiter {
  resolve(reply: Reply): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

/** A Janus session. Janus drops it after its session timeout (60 s by default) unless it is used or kept alive. */
export class JanusSession {
  #waiters = new Map<string, Waiter>();
  #polling = false;
  #stop = new AbortController();
  destroyed = false;

  constructor(
    readonly client: JanusClient,
    readonly id: number,
  ) {}

  async attach(plugin: string = VIDEOROOM_PLUGIN): Promise<JanusHandle> {
    const reply = await this.client.post(`/${this.id}`, { janus: 'attach', plugin });
    if (typeof reply.data?.id !== 'number') throw new JanusUnavailableError('Janus attach: no handle id', true);
    return new JanusHandle(this, reply.data.id);
  }

  async keepalive(): Promise<void> {
    await this.client.post(`/${this.id}`, { janus: 'keepalive' });
  }

  /** Ends the session and every handle in it; a session Janus already dropped counts as ended. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.#stop.abort();
    this.#failWaiters(new JanusUnavailableError('session destroyed', false));
    try {
      await this.client.post(`/${this.id}`, { janus: 'destroy' });
    } catch (err) {
      if (!(err instanceof JanusError && err.code === JANUS_ERROR.SESSION_NOT_FOUND)) throw err;
    }
  }

  /**
   * Resolves with the event that answers `transaction` (the reply to an asynchronous plugin message). Register
   * before sending; call `listen()` once Janus acked: it keeps the event queued until polled, so nothing is missed.
   */
  expect(transaction: string, timeoutMs: number): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(transaction);
        reject(new JanusUnavailableError('Janus event timed out', true));
      }, timeoutMs);
      this.#waiters.set(transaction, { resolve, reject, timer });
    });
  }

  cancel(transaction: string): void {
    const waiter = this.#waiters.get(transaction);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.#waiters.delete(transaction);
  }

  #failWaiters(err: unknown): void {
    for (const [transaction, waiter] of this.#waiters) {
      clearTimeout(waiter.timer);
      this.#waiters.delete(transaction);
      waiter.reject(err);
    }
  }

  /** Long-polls while somebody waits for an event; events for nobody (notifications) are dropped. */
  listen(): void {
    if (this.#polling || this.destroyed) return;
    this.#polling = true;
    void (async () => {
      try {
        while (this.#waiters.size > 0 && !this.destroyed) {
          for (const event of await this.client.poll(this.id, this.#stop.signal)) {
            const waiter = event.transaction ? this.#waiters.get(event.transaction) : undefined;
            if (!waiter || event.janus === 'ack') continue;
            clearTimeout(waiter.timer);
            this.#waiters.delete(event.transaction!);
            waiter.resolve(event);
          }
        }
      } catch (err) {
        this.#failWaiters(err);
      } finally {
        this.#polling = false;
      }
    })();
  }
}

export class JanusHandle {
  constructor(
    readonly session: JanusSession,
    readonly id: number,
  ) {}

  get #path() {
    return `/${this.session.id}/${this.id}`;
  }

  /**
   * Sends a plugin message and returns the plugin's answer: straight from the HTTP reply for synchronous requests
   * (create, destroy, list, exists, allowed…), from the session's events for asynchronous ones (join, configure…).
   */
  async send<T = Record<string, unknown>>(
    body: Record<string, unknown>,
    jsep?: Jsep,
  ): Promise<{ data: T; jsep?: Jsep }> {
    const transaction = newTransaction();
    const client = this.session.client;
    const event = this.session.expect(transaction, client.timeoutMs);
    event.catch(() => {}); // awaited below, or abandoned when the reply is synchronous
    let reply: Reply;
    try {
      reply = await client.post(this.#path, { janus: 'message', body, ...(jsep ? { jsep } : {}) }, transaction);
    } catch (err) {
      this.session.cancel(transaction);
      throw err;
    }
    if (reply.janus === 'ack') {
      this.session.listen();
      reply = await event;
    } else this.session.cancel(transaction);
    return { data: pluginData<T>(reply), ...(reply.jsep ? { jsep: reply.jsep } : {}) };
  }

  async detach(): Promise<void> {
    await this.session.client.post(this.#path, { janus: 'detach' });
  }
}

export interface CreateRoomRequest {
  room: number;
  secret: string;
  pin: string;
  /** Tokens admitted to `join`; one per participant. */
  allowed: string[];
  publishers?: number;
  description?: string;
}

export interface RoomSummary {
  room: number;
  description: string;
  pin_required: boolean;
  is_private?: boolean;
  max_publishers: number;
  num_participants: number;
}

export interface RoomParticipant {
  id: number;
  display?: string;
  publisher: boolean;
}

const RECOVERABLE = new Set<number>([JANUS_ERROR.SESSION_NOT_FOUND, JANUS_ERROR.HANDLE_NOT_FOUND]);

/**
 * Room administration on one Janus instance through one long-lived session and videoroom handle, kept alive on a
 * timer. If Janus lost them (it restarted, or the session timed out), the request is re-sent once on a new session:
 * a 458/459 answer means the message never reached the plugin, so that cannot double anything.
 */
export class VideoRoomControl {
  #handle: Promise<JanusHandle> | undefined;
  #keepalive: NodeJS.Timeout | undefined;
  readonly client: JanusClient;

  constructor(
    url: string,
    readonly adminKey: string | undefined,
    readonly options: JanusClientOptions & { keepaliveMs?: number } = {},
  ) {
    this.client = new JanusClient(url, options);
  }

  get url(): string {
    return this.client.url;
  }

  #connect(): Promise<JanusHandle> {
    if (!this.#handle) {
      const handle = (async () => {
        const session = await this.client.createSession();
        try {
          return await session.attach(VIDEOROOM_PLUGIN);
        } catch (err) {
          await session.destroy().catch(() => {});
          throw err;
        }
      })();
      this.#handle = handle;
      handle.then(
        () => this.#startKeepalive(),
        () => {
          if (this.#handle === handle) this.#handle = undefined;
        },
      );
    }
    return this.#handle;
  }

  #startKeepalive(): void {
    if (this.#keepalive) return;
    this.#keepalive = setInterval(() => {
      const current = this.#handle;
      void current
        ?.then((h) => h.session.keepalive())
        .catch(() => {
          // Lost (Janus restarted or unreachable): the next request opens a new session.
          if (this.#handle === current) this.#handle = undefined;
        });
    }, this.options.keepaliveMs ?? 25_000);
    this.#keepalive.unref();
  }

  async #request<T>(body: Record<string, unknown>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let handle: JanusHandle;
      try {
        handle = await this.#connect();
      } catch (err) {
        // The plugin request itself was never sent, whatever happened to the session.
        if (err instanceof JanusUnavailableError && err.sent)
          throw new JanusUnavailableError(err.message, false, { cause: err });
        throw err;
      }
      try {
        return (await handle.send<T>(body)).data;
      } catch (err) {
        if (attempt === 0 && err instanceof JanusError && err.source === 'janus' && RECOVERABLE.has(err.code)) {
          if (this.#handle) void this.#handle.then((h) => h.session.destroy()).catch(() => {});
          this.#handle = undefined;
          continue;
        }
        throw err;
      }
    }
  }

  /** A private room (absent from public lists) that admits only the `allowed` tokens with the pin. */
  async create(o: CreateRoomRequest): Promise<void> {
    await this.#request({
      request: 'create',
      room: o.room,
      permanent: false,
      description: o.description ?? 'call',
      is_private: true,
      secret: o.secret,
      pin: o.pin,
      allowed: o.allowed,
      publishers: o.publishers ?? 2,
      notify_joining: true,
      ...(this.adminKey ? { admin_key: this.adminKey } : {}),
    });
  }

  /** Destroys a room; false when Janus has no such room (already gone: destroying is idempotent). */
  async destroy(room: number, secret: string): Promise<boolean> {
    try {
      await this.#request({ request: 'destroy', room, secret, permanent: false });
      return true;
    } catch (err) {
      if (err instanceof JanusError && err.code === VIDEOROOM_ERROR.NO_SUCH_ROOM) return false;
      throw err;
    }
  }

  async exists(room: number): Promise<boolean> {
    return (await this.#request<{ exists: boolean }>({ request: 'exists', room })).exists;
  }

  /** Every room on the instance, private ones included (that needs the admin key). */
  async list(): Promise<RoomSummary[]> {
    const body = { request: 'list', ...(this.adminKey ? { admin_key: this.adminKey } : {}) };
    return (await this.#request<{ list: RoomSummary[] }>(body)).list;
  }

  async listParticipants(room: number): Promise<RoomParticipant[]> {
    return (await this.#request<{ participants: RoomParticipant[] }>({ request: 'listparticipants', room }))
      .participants;
  }

  /** Removes a participant (feed) from the room. */
  async kick(room: number, secret: string, id: number): Promise<void> {
    await this.#request({ request: 'kick', room, secret, id });
  }

  /** Adds or removes join tokens; returns the room's token list afterwards. */
  async allowed(room: number, secret: string, action: 'add' | 'remove', tokens: string[]): Promise<string[]> {
    const body = { request: 'allowed', room, secret, action, allowed: tokens };
    return (await this.#request<{ allowed?: string[] }>(body)).allowed ?? [];
  }

  /** Stops the keepalive and ends the session. */
  async close(): Promise<void> {
    clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle) await handle.then((h) => h.session.destroy()).catch(() => {});
  }
}
