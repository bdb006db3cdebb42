import type { ClientToServerEvents, ServerToClientEvents } from '@clocktree/protocol';
import { io, type Socket } from 'socket.io-client';
import type { Session, SessionEvent } from './session.ts';

/**
 * `connecting`: first connection under way. `online`: pushes arrive. `offline`: lost or refused, retrying in the
 * background. `signed-out`: no session, no connection.
 */
export type LiveState = 'connecting' | 'online' | 'offline' | 'signed-out';

export interface ResyncInfo {
  /**
   * False on the first connection; true after a reconnect, or when the server says pushes were lost while the
   * connection stayed up (`sync:required`, after it lost its database). Either way, what a view shows may be stale.
   */
  reconnect: boolean;
}

export interface LiveOptions {
  session: Session;
  /** Longest wait between reconnection attempts (default 10 s). */
  reconnectionDelayMaxMs?: number;
  /** First wait between reconnection attempts (default 1 s). */
  reconnectionDelayMs?: number;
}

export type LiveEventName = keyof ServerToClientEvents;

export interface Live {
  readonly state: LiveState;
  /** Why the connection is refused for good, when it is (`forbidden`: this site may not connect for the account). */
  readonly refusal: 'forbidden' | undefined;
  /** A server push; returns the unsubscribe function. */
  on<E extends LiveEventName>(event: E, listener: ServerToClientEvents[E]): () => void;
  onState(listener: (state: LiveState) => void): () => void;
  /**
   * After every (re)connection, and when the server asks: pushes sent while the connection was down (or while the
   * server had lost its database) are lost, so views re-fetch what they show (`createThreadReader` for an open
   * thread, `GET /threads` for lists).
   */
  onResync(listener: (info: ResyncInfo) => void): () => void;
  /** Disconnects for good and forgets every listener. */
  close(): void;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The socket.io error a server middleware refuses a handshake with: `{data: {code}}`. */
const refusalCode = (error: Error) => (error as Error & { data?: { code?: unknown } }).data?.code;

class LiveConnection implements Live {
  state: LiveState = 'signed-out';
  refusal: 'forbidden' | undefined;

  private readonly session: Session;
  private readonly socket: LiveSocket;
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private readonly resyncListeners = new Set<(info: ResyncInfo) => void>();
  private readonly offSession: () => void;
  private readonly retryDelayMs: number;
  private connectedBefore = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(options: LiveOptions) {
    this.session = options.session;
    this.retryDelayMs = options.reconnectionDelayMaxMs ?? 10_000;
    const base = new URL(this.session.baseUrl);
    // Socket.IO reads a URL path as a namespace, so the API's path prefix (if any) goes into `path` instead.
    const prefix = base.pathname.replace(/\/+$/, '');
    this.socket = io(base.origin, {
      path: `${prefix}/socket.io`,
      // A function, so every reconnection presents the session's current token.
      auth: (callback) => callback({ token: this.session.token ?? '' }),
      // WebSocket first; long polling where a proxy or network blocks it.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: options.reconnectionDelayMs ?? 1_000,
      reconnectionDelayMax: this.retryDelayMs,
      withCredentials: false,
      autoConnect: false,
      // Its own connection, so closing one widget's never closes another's.
      forceNew: true,
    });

    this.socket.on('connect', () => {
      this.refusal = undefined;
      this.setState('online');
      const info = { reconnect: this.connectedBefore };
      this.connectedBefore = true;
      this.resync(info);
    });
    this.socket.on('sync:required', () => this.resync({ reconnect: true }));

    this.socket.on('disconnect', (reason) => {
      if (this.closed || !this.session.token) return;
      this.setState('offline');
      // The server ends sockets of sessions that were revoked or idled out; Socket.IO does not reconnect those by
      // itself. A call tells which: 401 ends the session (and this connection with it), anything else reconnects.
      if (reason === 'io server disconnect') this.checkSessionThenConnect();
    });

    this.socket.on('connect_error', (error) => {
      if (this.closed) return;
      const code = refusalCode(error);
      if (code === 'unauthenticated') {
        this.session.end('unauthenticated');
        return;
      }
      this.setState('offline');
      if (code === 'forbidden') {
        // This site is not allowed for the account: retrying cannot help until an admin changes the practice.
        this.refusal = 'forbidden';
        this.socket.disconnect();
        return;
      }
      // A refusal by the server's middleware (not a transport failure) is not retried by Socket.IO itself.
      if (!this.socket.active) this.retryLater();
    });

    this.offSession = this.session.subscribe((event) => this.onSession(event));
    if (this.session.token) this.connect();
  }

  on<E extends LiveEventName>(event: E, listener: ServerToClientEvents[E]): () => void {
    // Socket.IO's typed `on` cannot relate a generic event name to its listener; the public signature does.
    const socket = this.socket as unknown as {
      on(e: string, l: (...args: never[]) => void): void;
      off(e: string, l: (...args: never[]) => void): void;
    };
    socket.on(event, listener);
    return () => socket.off(event, listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onResync(listener: (info: ResyncInfo) => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.offSession();
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.stateListeners.clear();
    this.resyncListeners.clear();
  }

  private onSession(event: SessionEvent) {
    if (event.type === 'signed-out') {
      clearTimeout(this.retryTimer);
      this.socket.disconnect();
      this.connectedBefore = false;
      this.setState('signed-out');
    } else {
      // Another account (or a fresh token) on the same page: reconnect as that one.
      this.socket.disconnect();
      this.connect();
    }
  }

  private connect() {
    clearTimeout(this.retryTimer);
    this.refusal = undefined;
    if (!this.connectedBefore) this.setState('connecting');
    this.socket.connect();
  }

  private retryLater() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.closed && this.session.token && !this.socket.connected) this.socket.connect();
    }, this.retryDelayMs);
  }

  private checkSessionThenConnect() {
    this.session.me().then(
      () => {
        if (!this.closed && this.session.token) this.socket.connect();
      },
      // 401 already ended the session through its hook; unreachable means try again later.
      () => {
        if (!this.closed && this.session.token) this.retryLater();
      },
    );
  }

  private resync(info: ResyncInfo) {
    for (const listener of [...this.resyncListeners]) listener(info);
  }

  private setState(state: LiveState) {
    if (state === this.state) return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}

/** The push connection for a session; follows the session in and out. Loads socket.io-client, so import it lazily. */
export function createLive(options: LiveOptions): Live {
  return new LiveConnection(options);
}
