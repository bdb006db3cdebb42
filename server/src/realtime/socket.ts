import { createHash } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { ClientToServerEvents, ServerToClientEvents } from '@clocktree/protocol';
import { Server } from 'socket.io';
import { databaseTrouble } from '../database.ts';
import type { OriginPolicy } from '../http/origins.ts';
import type { Logger } from '../logger.ts';
import type { Sessions } from '../context.ts';
import { fanoutOptions, type Cluster } from './adapter.ts';
import { userPracticeRoom, userRoom } from './rooms.ts';

export interface SocketData {
  userId: string;
  /**
   * `sessionTag` of its bearer token: tells sockets of one session apart from others. Socket data travels between
   * nodes and is kept in Redis for connection state recovery, so it never holds the token itself.
   */
  session: string;
  /** The rooms it joined (realtime/rooms.ts): its user's, or one per practice listing the site it came from. */
  rooms: string[];
  /** The site its session was signed in from, when that is not our own origin. */
  site: string | null;
}

/** A hash of a bearer token under a label of its own: neither the token nor the sessions' lookup key. */
export const sessionTag = (token: string): string =>
  createHash('sha256').update('socket-session:').update(token).digest('hex');

/** The tokens of this node's own sockets, kept off `socket.data` (see SocketData.session); they go with the socket. */
const tokens = new WeakMap<object, string>();

export type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

function refusal(code: 'unauthenticated' | 'forbidden' | 'unavailable', message: string) {
  return Object.assign(new Error(message), { data: { code } });
}

/**
 * The push channel. The handshake follows the REST rules: a live bearer token in `auth.token`, presented from the
 * origin its session was signed in from (or without `Origin`); a session of a practice's website joins only the
 * rooms of the practices listing that site, so it carries nothing of any other practice. With a `cluster`, events reach
 * the sockets of every node through Redis (realtime/adapter.ts).
 */
export function attachSocket(
  server: HttpServer,
  auth: Sessions,
  policy: OriginPolicy,
  logger: Logger,
  cluster?: Cluster,
): Io {
  const fanout = fanoutOptions(cluster);
  server.once('close', () => fanout.close());
  const io: Io = new Server(server, {
    ...fanout.options,
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
      const origin = socket.handshake.headers.origin;
      const session =
        typeof token === 'string' && token.length <= 200 ? await auth.authenticate(token, origin || undefined) : null;
      if (!session) return next(refusal('unauthenticated', 'Sign in first.'));
      const userId = String(session.user._id);
      const scope = await policy.scopeFor(session.origin);
      if (scope && scope.practiceIds.length === 0)
        return next(refusal('forbidden', 'This site may not connect for your account.'));
      socket.data.userId = userId;
      socket.data.session = sessionTag(token as string);
      tokens.set(socket, token as string);
      socket.data.rooms = scope
        ? scope.practiceIds.map((p) => userPracticeRoom(userId, String(p)))
        : [userRoom(userId)];
      socket.data.site = scope?.origin ?? null;
      next();
    } catch (err) {
      logger.error({ err: (err as Error).name }, 'socket handshake failed');
      // A database that is away or busy says nothing about the session: the client retries instead of signing out.
      if (databaseTrouble(err)) return next(refusal('unavailable', 'Try again shortly.'));
      next(refusal('unauthenticated', 'Could not check your session.'));
    }
  });

  // While Redis was away, pushes from other nodes did not reach this node's sockets (adapter.ts): once it answers
  // again, they fetch what they missed, as after a database outage.
  cluster?.watch.onChange((down) => {
    if (!down) io.local.emit('sync:required');
  });

  io.on('connection', (socket) => {
    // A recovered socket comes back in its old rooms: it keeps only those its session grants now.
    if (socket.recovered)
      for (const room of socket.rooms)
        if (room !== socket.id && !socket.data.rooms.includes(room)) void socket.leave(room);
    void socket.join(socket.data.rooms);
  });

  return io;
}

/**
 * Ends sockets whose session was revoked (sign-out) or idled out (automatic logoff): an open socket must not keep
 * pushing health information to a screen nobody is using. The client sees `disconnect` with reason
 * "io server disconnect" and signs the user out.
 */
export async function dropDeadSockets(io: Io, auth: Sessions): Promise<number> {
  let dropped = 0;
  // This node's own sockets: only they have their token here.
  for (const socket of [...io.of('/').sockets.values()]) {
    const token = tokens.get(socket);
    if (token && (await auth.isLive(token))) continue;
    socket.disconnect(true);
    dropped++;
  }
  return dropped;
}

/**
 * Ends at once every socket through which `userId` hears practice `practiceId` (their access there ended): the
 * person's sockets of our own origin and those from a site of that practice. Clients reconnect by themselves and
 * then hear only what they may.
 */
export function dropAccess(io: Io, userId: string, practiceId: string): void {
  io.in([userRoom(userId), userPracticeRoom(userId, practiceId)]).disconnectSockets(true);
}

/** Ends every socket of `userId`, from any site (their sessions all ended: a password reset). */
export async function dropUser(io: Io, userId: string): Promise<void> {
  for (const socket of await io.fetchSockets()) if (socket.data.userId === userId) socket.disconnect(true);
}

/**
 * A practice changed the sites it lists: sockets from a site it no longer lists stop carrying its events at once.
 * They are dropped whole; reconnecting, they join the rooms of the practices that still list their site.
 */
export async function dropUnlistedSites(io: Io, practiceId: string, allowedOrigins: readonly string[]) {
  for (const socket of await io.fetchSockets()) {
    const { site, rooms, userId } = socket.data;
    if (site && !allowedOrigins.includes(site) && rooms.includes(userPracticeRoom(userId, practiceId)))
      socket.disconnect(true);
  }
}
