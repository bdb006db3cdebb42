import type { ClientToServerEvents, ServerToClientEvents } from '@clocktree/protocol';
import { io as connect, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type Transport = 'websocket' | 'polling';

/**
 * A real Socket.IO client signed in with `token`, without reconnecting behind the test's back: over WebSocket, or
 * over HTTP long-polling only (what a browser falls back to when WebSockets are blocked); with `origin`, as a page of
 * that site connects.
 */
export function online(
  url: string,
  token: string,
  transport: Transport = 'websocket',
  origin?: string,
): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, {
    auth: { token },
    transports: [transport],
    reconnection: false,
    extraHeaders: origin ? { origin } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
