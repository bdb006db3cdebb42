import type { Server as HttpServer } from 'node:http';
import type { ClientToServerEvents, ServerToClientEvents } from '@clocktree/protocol';
import { Server } from 'socket.io';
import { databaseTrouble } from '../database.ts';
import type { OriginPolicy } from '../http/origins.ts';
import type { Logger } from '../logger.ts';
import type { AuthService } from '../modules/auth/auth.service.ts';

export interface SocketData {
  userId: string;
  token: string;
}

export type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Everything a user's sockets should hear is sent to this room, whichever node they are connected to. */
export const userRoom = (userId: string) => `user:${userId}`;

function refusal(code: 'unauthenticated' | 'forbidden' | 'unavailable', message: string) {
  return Object.assign(new Error(message), { data: { code } });
}

/**
 * The push channel. The handshake follows the REST rules: a live bearer token in `auth.token`, and an
 * `Origin` that is ours or allowed by a practice the user belongs to or is a client of.
 */
export function attachSocket(server: HttpServer, auth: AuthService, policy: OriginPolicy, logger: Logger): Io {
  const io: Io = new Server(server, {
    path: '/socket.io',
    serveClient: false,
    cors: {
      origin: (origin, callback) => {
        if (!origin) return callback(null, false);
        policy.allowed(origin).then(
          (ok) => callback(null, ok ? origin : false),
          (err: Error) => callback(err),
        );
      },
    },
  });

  io.use(async (socket, next) => {
    try {
      const token: unknown = socket.handshake.auth?.token;
      const user = typeof token === 'string' && token.length <= 200 ? await auth.authenticate(token) : null;
      if (!user) return next(refusal('unauthenticated', 'Sign in first.'));
      const origin = socket.handshake.headers.origin;
      if (origin && !(await policy.allowedForUser(origin, user._id)))
        return next(refusal('forbidden', 'This site may not connect for your account.'));
      socket.data.userId = String(user._id);
      socket.data.token = token as string;
      next();
    } catch (err) {
      logger.error({ err: (err as Error).name }, 'socket handshake failed');
      // A database that is away or busy says nothing about the session: the client retries instead of signing out.
      if (databaseTrouble(err)) return next(refusal('unavailable', 'Try again shortly.'));
      next(refusal('unauthenticated', 'Could not check your session.'));
    }
  });

  io.on('connection', (socket) => {
    void socket.join(userRoom(socket.data.userId));
  });

  return io;
}

/**
 * Ends sockets whose session was revoked (sign-out) or idled out (automatic logoff): an open socket must not keep
 * pushing health information to a screen nobody is using. The client sees `disconnect` with reason
 * "io server disconnect" and signs the user out.
 */
export async function dropDeadSockets(io: Io, auth: AuthService): Promise<number> {
  let dropped = 0;
  for (const socket of await io.local.fetchSockets()) {
    if (await auth.isLive(socket.data.token)) continue;
    socket.disconnect(true);
    dropped++;
  }
  return dropped;
}
