import { connectLive as openLive, type LiveState, type Session } from '@clocktree/client';
import type { ServerToClientEvents } from '@clocktree/protocol';

/** What the console shows. `refused`: this website may not connect for the account (an admin can allow it). */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'refused';

export interface LiveHandlers {
  state(state: ConnectionState): void;
  messageNew: ServerToClientEvents['message:new'];
  threadUpdated: ServerToClientEvents['thread:updated'];
  /** After every (re)connection: pushes sent while disconnected are lost, so views re-fetch what they show. */
  resync(): void;
}

export interface LivePort {
  close(): void;
}

export type LiveFactory = (session: Session, handlers: LiveHandlers) => LivePort;

function shown(state: LiveState, refusal: 'forbidden' | undefined): ConnectionState {
  if (state === 'online') return 'live';
  if (state === 'connecting') return 'connecting';
  if (state === 'offline') return refusal ? 'refused' : 'reconnecting';
  return 'offline';
}

/**
 * The session's Socket.IO connection from @clocktree/client (which also ends the session when the server refuses the
 * token), narrowed to what <ct-inbox> uses. Socket.IO's client is fetched only now, after sign-in.
 */
const socketFactory: LiveFactory = (session, handlers) => {
  let closed = false;
  let close = () => {};
  openLive({ session }).then(
    (live) => {
      if (closed) return live.close();
      close = () => live.close();
      handlers.state(shown(live.state, live.refusal));
      live.onState((state) => handlers.state(shown(state, live.refusal)));
      live.on('message:new', handlers.messageNew);
      live.on('thread:updated', handlers.threadUpdated);
      live.onResync(() => handlers.resync());
    },
    // The chunk with Socket.IO did not load (offline, blocked): everything still works by reloading.
    () => handlers.state('offline'),
  );
  return {
    close() {
      closed = true;
      close();
    },
  };
};

let factory: LiveFactory = socketFactory;

export const connectLive: LiveFactory = (session, handlers) => factory(session, handlers);

/** Tests drive the live events themselves; `undefined` restores the socket. */
export function setLiveFactory(next: LiveFactory | undefined): void {
  factory = next ?? socketFactory;
}
