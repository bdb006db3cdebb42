import { connectLive, createCallClient, type Live, type Session } from '@clocktree/client';
import type { Call } from '@clocktree/protocol';
import { callPrompt } from './call-prompt.ts';

/**
 * One watcher per session and page, however many ct-* elements are signed in with it: it keeps a push connection,
 * shows the ring prompt on `call:ring`, closes it on `call:ended`, and re-reads `GET /calls` after every
 * (re)connection because a ring pushed while the connection was down is not resent.
 */
class RingWatch {
  private live: Live | undefined;
  private opening = false;

  constructor(private readonly session: Session) {
    session.subscribe((event) => {
      if (event.type === 'signed-in') this.open();
      else if (event.type === 'signed-out') this.close();
    });
    if (session.token) this.open();
  }

  private open(): void {
    if (this.live || this.opening) return;
    this.opening = true;
    void connectLive({ session: this.session }).then(
      (live) => {
        this.opening = false;
        if (!this.session.token) return live.close();
        this.live = live;
        live.on('call:ring', ({ call }) => this.ring(call));
        live.on('call:ended', ({ callId }) => callPrompt(this.session)?.dismiss(callId));
        live.onResync(() => void this.resync());
      },
      () => (this.opening = false),
    );
  }

  private close(): void {
    this.live?.close();
    this.live = undefined;
    callPrompt(this.session)?.remove();
  }

  private ring(call: Call): void {
    if (call.state !== 'ringing' || call.calleeId !== this.session.user?.id) return;
    callPrompt(this.session, true)!.ring(call);
  }

  private async resync(): Promise<void> {
    const { calls } = await createCallClient(this.session.http)
      .listCalls()
      .catch(() => ({ calls: [] as Call[] }));
    const ringing = calls.filter((c) => c.state === 'ringing' && Date.parse(c.ringUntil) > Date.now());
    callPrompt(this.session)?.keepOnly(ringing.map((c) => c.id));
    for (const call of ringing) this.ring(call);
  }
}

const watches = new WeakMap<Session, RingWatch>();

/** Starts watching for calls to whoever is signed in with `session` (idempotent). */
export function watchRings(session: Session): void {
  if (!watches.has(session)) watches.set(session, new RingWatch(session));
}
