/** What one peer connection's ICE reported last, as far as recovery is concerned. */
export type IceReport = 'connected' | 'disconnected' | 'failed';

export interface IceRecoveryOptions<K> {
  /** Starts an ICE restart of `connection`; resolves once the media server acknowledged it, rejects if it refused. */
  restart(connection: K): Promise<void>;
  /** The room's media as a whole: `connected` only when every connection is; otherwise the state that broke it. */
  report(state: IceReport): void;
  /** Restarts reached the media server, yet the media did not come back: only a new session will help. */
  giveUp(): void;
  /** A connection still `disconnected` after this long is restarted (`failed` restarts at once). */
  restartAfterMs?: number;
  /** How long after a restart was acknowledged the media may stay down before `giveUp`. */
  giveUpAfterMs?: number;
  timers?: { set(fn: () => void, ms: number): unknown; clear(id: unknown): void };
}

const realTimers = {
  set: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clear: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/**
 * Brings a room's peer connections (one published, one received) back after a network drop. The status says
 * "connected" only when all of them are: one recovered connection is not a call whose other side can be heard.
 *
 * A restart that is still on its way is never followed by another: while the network is down each restart is an HTTP
 * request stuck in TCP retransmission, and a pile of them fills the browser's six connections to the media server,
 * so the restart that matters, once the network is back, would wait behind them. A restart that the media server
 * acknowledged but that did not bring the media back (its side of the connection was torn down, its answer lost)
 * is not retried forever: after `giveUpAfterMs` the owner joins the room anew.
 */
export class IceRecovery<K> {
  private readonly states = new Map<K, IceReport>();
  private readonly restartTimers = new Map<K, unknown>();
  private readonly inFlight = new Set<K>();
  private giveUpTimer: unknown;
  private stopped = false;
  private readonly timers: NonNullable<IceRecoveryOptions<K>['timers']>;
  private readonly restartAfterMs: number;
  private readonly giveUpAfterMs: number;

  constructor(private readonly options: IceRecoveryOptions<K>) {
    this.timers = options.timers ?? realTimers;
    this.restartAfterMs = options.restartAfterMs ?? 2_000;
    this.giveUpAfterMs = options.giveUpAfterMs ?? 15_000;
  }

  /** `connection` reported an ICE state (janus.js's `iceState`; `completed` counts as connected). */
  update(connection: K, state: string): void {
    if (this.stopped) return;
    if (state === 'connected' || state === 'completed') {
      this.states.set(connection, 'connected');
      this.cancelRestart(connection);
      this.settle();
      return;
    }
    if (state !== 'disconnected' && state !== 'failed') return;
    this.states.set(connection, state);
    this.options.report(state);
    // A disconnected connection often comes back by itself; only a failed one cannot.
    if (this.restartTimers.has(connection) && state === 'disconnected') return;
    this.schedule(connection, state === 'failed' ? 0 : this.restartAfterMs);
  }

  /** `connection` is gone (the other participant left): it no longer counts. */
  remove(connection: K): void {
    this.cancelRestart(connection);
    this.states.delete(connection);
    this.inFlight.delete(connection);
    this.settle();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.restartTimers.values()) this.timers.clear(timer);
    this.restartTimers.clear();
    this.timers.clear(this.giveUpTimer);
  }

  private get allConnected(): boolean {
    return [...this.states.values()].every((s) => s === 'connected');
  }

  private settle(): void {
    if (!this.allConnected) return;
    this.timers.clear(this.giveUpTimer);
    this.giveUpTimer = undefined;
    this.options.report('connected');
  }

  private cancelRestart(connection: K): void {
    this.timers.clear(this.restartTimers.get(connection));
    this.restartTimers.delete(connection);
  }

  private schedule(connection: K, ms: number): void {
    this.timers.clear(this.restartTimers.get(connection));
    this.restartTimers.set(
      connection,
      this.timers.set(() => this.restart(connection), ms),
    );
  }

  /** Repeats while the connection stays down, each time only if the previous restart has been answered. */
  private restart(connection: K): void {
    if (this.stopped) return;
    this.schedule(connection, this.restartAfterMs * 2);
    if (this.inFlight.has(connection)) return;
    this.inFlight.add(connection);
    this.options.restart(connection).then(
      () => {
        this.inFlight.delete(connection);
        if (this.stopped || this.allConnected || this.giveUpTimer !== undefined) return;
        this.giveUpTimer = this.timers.set(() => {
          if (!this.stopped && !this.allConnected) this.options.giveUp();
        }, this.giveUpAfterMs);
      },
      () => this.inFlight.delete(connection),
    );
  }
}
