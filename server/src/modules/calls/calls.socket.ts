import type { Logger } from '../../logger.ts';
import { safeError } from '../../logger.ts';
import { sessionTag, type Io } from '../../realtime/socket.ts';
import { MEDIA_LOST, type MediaService } from '../media/media.service.ts';
import type { CallsService } from './calls.service.ts';

/** How long a caller's page may be away before their ringing call stops: a reload or a network blip comes back sooner. */
export const CALLER_GRACE_MS = 8_000;

/**
 * What a call records of the session that placed it: the same tag its sockets carry (realtime/socket.ts), so the calls
 * collection holds neither the token nor the sessions' lookup key.
 */
export const callerKey = sessionTag;

/**
 * A caller who closes the tab (or whose browser dies) never hangs up: the call would ring for its full minute and
 * could be answered into an empty room. When the last socket of the session that placed a ringing call goes away and
 * none of that session is back after `graceMs`, the ringing stops as a hang-up would stop it (`call:ended`,
 * reason `cancelled`, to every session of both). Sockets of the same session share its token and its rooms, so the
 * check asks those rooms — on every node, once a shared adapter is configured. A node that dies during the grace
 * loses only the early stop: the ring still times out after 60 s.
 */
export function watchCallers({
  io,
  calls,
  logger,
  graceMs = CALLER_GRACE_MS,
}: {
  io: Io;
  calls: Pick<CallsService, 'callerGone'>;
  logger: Logger;
  graceMs?: number;
}): () => void {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  let stopped = false;

  async function check(userId: string, session: string, rooms: string[]): Promise<void> {
    const back = (await io.in(rooms).fetchSockets()).some((s) => s.data.session === session);
    if (back) return;
    const ended = await calls.callerGone(userId, session);
    if (ended > 0) logger.info({ ended }, 'ringing stopped: the caller left');
  }

  io.on('connection', (socket) => {
    socket.on('disconnect', () => {
      if (stopped) return;
      const { userId, session, rooms } = socket.data;
      const key = session;
      clearTimeout(pending.get(key));
      pending.set(
        key,
        setTimeout(() => {
          pending.delete(key);
          check(userId, session, rooms).catch((err: unknown) =>
            logger.warn({ err: safeError(err) }, 'checking for a departed caller failed'),
          );
        }, graceMs),
      );
    });
  });

  return () => {
    stopped = true;
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  };
}

/**
 * Relays the media orchestrator's `media-lost` (a Janus instance died under a call's room, found by a join or by the
 * minute sweep, on whichever node) to both parties of the call as `call:media-lost`, through the shared fan-out.
 * Returns the unsubscribe function.
 */
export function relayMediaLoss({
  media,
  calls,
  logger,
}: {
  media: Pick<MediaService, 'onRoomEvent'>;
  calls: Pick<CallsService, 'mediaLost'>;
  logger: Logger;
}): () => void {
  return media.onRoomEvent((event) => {
    if (event.event !== MEDIA_LOST) return;
    calls
      .mediaLost(event.callId)
      .catch((err: unknown) => logger.warn({ err: safeError(err) }, 'telling a call its media was lost failed'));
  });
}
