import { connectLive, type LiveState, type Session } from '@clocktree/client';
import type { ServerToClientEvents } from '@clocktree/protocol';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What an element hears from the session's live connection. */
export interface LiveEvents {
  /** `refusal`: this website may not connect for the account (an admin can allow it). */
  state(state: LiveState, refusal: 'forbidden' | undefined): void;
  messageNew: ServerToClientEvents['message:new'];
  threadUpdated: ServerToClientEvents['thread:updated'];
  /** A practice's lists changed (the console's clients and team); only members of the practice hear it. */
  rosterChanged?: ServerToClientEvents['roster:changed'];
  /** After every (re)connection: pushes sent while disconnected are lost, so views re-fetch what they show. */
  resync(): void;
  /** The chunk with Socket.IO did not load (offline, blocked): everything still works by reloading. */
  unavailable(): void;
}

export interface LivePort {
  close(): void;
}

/**
 * The session's Socket.IO connection from @clocktree/client (which also ends the session when the server refuses the
 * token). Socket.IO's client is fetched only now, after sign-in: a signed-out visitor never downloads it.
 */
export function connectSocket(session: Session, events: LiveEvents): LivePort {
  let closed = false;
  let close = () => {};
  connectLive({ session }).then(
    (live) => {
      if (closed) return live.close();
      close = () => live.close();
      events.state(live.state, live.refusal);
      live.onState((state) => events.state(state, live.refusal));
      live.on('message:new', events.messageNew);
      live.on('thread:updated', events.threadUpdated);
      if (events.rosterChanged) live.on('roster:changed', events.rosterChanged);
      live.onResync(() => events.resync());
    },
    () => {
      if (!closed) events.unavailable();
    },
  );
  return {
    close() {
      closed = true;
      close();
    },
  };
}

/**
 * One owner of an element's live connection: opened once someone is signed in, closed when the session ends, is
 * replaced, or the element leaves the page. `connect` opens it (the socket, or what a test drives instead).
 */
export class LiveController implements ReactiveController {
  private port: LivePort | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly connect: (session: Session) => LivePort,
  ) {
    host.addController(this);
  }

  get isOpen(): boolean {
    return Boolean(this.port);
  }

  /** Opens the connection for `session`, unless one is open. */
  open(session: Session): void {
    this.port ??= this.connect(session);
  }

  /** Closes the open connection (if any) and opens a new one. */
  reopen(session: Session): void {
    this.close();
    this.open(session);
  }

  close(): void {
    this.port?.close();
    this.port = undefined;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.close();
  }
}
