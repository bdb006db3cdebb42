import type { ClientToServerEvents, ServerToClientEvents } from '@clocktree/protocol';
import { io as connect, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client signed in with `token`, over WebSocket, without reconnecting behind the test's back. */
export function online(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
