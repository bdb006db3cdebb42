import type { LiveState, Session } from '@clocktree/client';
import type { ServerToClientEvents } from '@clocktree/protocol';
import { connectSocket, type LivePort } from '../shared/live.ts';

export type { LivePort } from '../shared/live.ts';

/** What the console shows. `refused`: this website may not connect for the account (an admin can allow it). */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'refused';

export interface LiveHandlers {
  state(state: ConnectionState): void;
  messageNew: ServerToClientEvents['message:new'];
  threadUpdated: ServerToClientEvents['thread:updated'];
  rosterChanged: ServerToClientEvents['roster:changed'];
  /** After every (re)connection: pushes sent while disconnected are lost, so views re-fetch what they show. */
  resync(): void;
}

export type LiveFactory = (session: Session, handlers: LiveHandlers) => LivePort;

function shown(state: LiveState, refusal: 'forbidden' | undefined): ConnectionState {
  if (state === 'online') return 'live';
  if (state === 'connecting') return 'connecting';
  if (state === 'offline') return refusal ? 'refused' : 'reconnecting';
  return 'offline';
}

/** The shared socket connection (shared/live.ts), its states in the console's words. */
const socketFactory: LiveFactory = (session, handlers) =>
  connectSocket(session, {
    ...handlers,
    state: (state, refusal) => handlers.state(shown(state, refusal)),
    unavailable: () => handlers.state('offline'),
  });

let factory: LiveFactory = socketFactory;

export const connectLive: LiveFactory = (session, handlers) => factory(session, handlers);

/** Tests drive the live events themselves; `undefined` restores the socket. */
export function setLiveFactory(next: LiveFactory | undefined): void {
  factory = next ?? socketFactory;
}
