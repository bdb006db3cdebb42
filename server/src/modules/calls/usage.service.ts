import {
  APPOINTMENT_HORIZON_MS,
  type CallKind,
  type UsageCall,
  type UsageQuery,
  type UsageReport,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import { invalid } from '../../http/api-error.ts';
import { safeError } from '../../logger.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RoomClosures } from '../media/room-closures.ts';
import type { RoomEvent } from '../media/media.service.ts';
import type { UsageEventDoc } from './usage-event.model.ts';
import { isDuplicateKey } from '../../database.ts';

/** The videoroom events that change who is in a room; the others (published, configured…) do not. */
const PRESENCE_EVENTS = new Set(['joined', 'leaving', 'kicked', 'destroyed']);
/** Events older than this before `from` are not read: a room connected across `from` started less than a day before. */
const LOOKBACK_MS = 24 * 3_600_000;

/**
 * The intervals during which at least two participants (Janus feeds) were in the room at once. Events may come in
 * any order and more than once (Janus retransmits): they are sorted, and a feed joining twice is still one feed.
 * An interval still open at the last event runs until `openEnd` (the room's destruction, or now).
 */
export function connectedIntervals(
  events: Pick<UsageEventDoc, 'at' | 'event' | 'feed'>[],
  openEnd: Date,
): [Date, Date][] {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const present = new Set<number | string>();
  const intervals: [Date, Date][] = [];
  let since: Date | null = null;
  for (const [i, e] of sorted.entries()) {
    if (e.event === 'joined') present.add(e.feed ?? `unnamed-${i}`);
    else if (e.event === 'destroyed') present.clear();
    else if (e.feed !== null) present.delete(e.feed);
    if (present.size >= 2 && !since) since = e.at;
    else if (present.size < 2 && since) {
      intervals.push([since, e.at]);
      since = null;
    }
  }
  if (since) intervals.push([since, new Date(Math.max(since.getTime(), openEnd.getTime()))]);
  return intervals;
}

function parseKey(mediaKey: string, practiceId: string | null) {
  const match = /^(call|appointment):([a-f0-9]{24})$/.exec(mediaKey);
  if (!match) return null;
  const id = new Types.ObjectId(match[2]);
  const kind: CallKind = match[1] === 'appointment' ? 'appointment' : practiceId ? 'instant' : 'network';
  return { kind, callId: match[1] === 'call' ? id : null, appointmentId: match[1] === 'appointment' ? id : null };
}

/**
 * Video usage from Janus's own reports (media.onRoomEvent): a practice's minutes are the minutes during which both
 * parties were connected. My Network rooms (no practice) are recorded with `billed: false` and belong to no practice.
 */
export function usageService({
  models,
  clock,
  logger,
  audit,
  rooms,
}: Pick<ServiceBase<'UsageEvent'>, 'models' | 'clock' | 'logger'> & {
  audit: AuditService;
  rooms: Pick<RoomClosures, 'closedAtOf'>;
}) {
  const { UsageEvent } = models;
  const pending = new Set<Promise<void>>();

  async function store(event: RoomEvent): Promise<void> {
    const key = parseKey(event.callId, event.practiceId);
    if (!key) return;
    const practiceId = event.practiceId ? new Types.ObjectId(event.practiceId) : null;
    // What Janus said identifies the event: a retransmission is the same id, so it is stored once.
    const _id = [event.roomId, event.at.getTime(), event.event, event.participantId, event.handleId].join(':');
    try {
      await UsageEvent.create({
        _id,
        roomId: event.roomId,
        mediaKey: event.callId,
        ...key,
        practiceId,
        billed: practiceId !== null,
        at: event.at,
        event: event.event,
        feed: event.participantId,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  return {
    /** A media.onRoomEvent listener: stores presence events (asynchronously; `settled()` waits for them). */
    record(event: RoomEvent): void {
      if (!PRESENCE_EVENTS.has(event.event)) return;
      const write: Promise<void> = store(event)
        .catch((err: unknown) => logger.warn({ err: safeError(err), roomId: event.roomId }, 'usage event not stored'))
        .finally(() => pending.delete(write));
      pending.add(write);
    },

    async settled(): Promise<void> {
      while (pending.size) await Promise.all([...pending]);
    },

    async report(practiceId: string, query: UsageQuery, actor: Actor): Promise<UsageReport> {
      const now = clock.now();
      const from = query.from ? new Date(query.from) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const to = query.to ? new Date(query.to) : now;
      if (to <= from) throw invalid('`to` must be after `from`.', [{ path: 'to', message: 'must be after from' }]);
      if (to.getTime() - from.getTime() > APPOINTMENT_HORIZON_MS)
        throw invalid('Ask for at most 366 days at a time.', [{ path: 'to', message: 'is too far from from' }]);

      const events = await UsageEvent.find({
        practiceId: new Types.ObjectId(practiceId),
        at: { $gte: new Date(from.getTime() - LOOKBACK_MS), $lt: to },
      })
        .limit(100_000)
        .lean<UsageEventDoc[]>();
      const byRoom = new Map<number, UsageEventDoc[]>();
      for (const e of events) byRoom.set(e.roomId, [...(byRoom.get(e.roomId) ?? []), e]);
      const closedAt = await rooms.closedAtOf([...byRoom.keys()]);

      const calls: UsageCall[] = [];
      for (const [roomId, list] of byRoom) {
        const first = list.reduce((a, b) => (b.at < a.at ? b : a));
        const last = list.reduce((a, b) => (b.at > a.at ? b : a));
        // An open room's participants are still there; a room we no longer know of ended at its last event.
        const end = closedAt.has(roomId) ? (closedAt.get(roomId) ?? now) : last.at;
        let ms = 0;
        for (const [start, stop] of connectedIntervals(list, end)) {
          const clipped = Math.min(stop.getTime(), to.getTime()) - Math.max(start.getTime(), from.getTime());
          if (clipped > 0) ms += clipped;
        }
        if (ms === 0 && first.at < from) continue;
        calls.push({
          roomId,
          kind: first.kind,
          callId: first.callId ? String(first.callId) : null,
          appointmentId: first.appointmentId ? String(first.appointmentId) : null,
          startedAt: first.at.toISOString(),
          endedAt: closedAt.has(roomId) ? (closedAt.get(roomId)?.toISOString() ?? null) : last.at.toISOString(),
          seconds: Math.round(ms / 1000),
          minutes: Math.ceil(ms / 60_000),
          billed: first.billed,
        });
      }
      calls.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
      await audit.record(actor, { practiceId, action: 'usage.read', target: `practice:${practiceId}` });
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        minutes: calls.reduce((sum, c) => sum + (c.billed ? c.minutes : 0), 0),
        seconds: calls.reduce((sum, c) => sum + (c.billed ? c.seconds : 0), 0),
        calls,
      };
    },
  };
}

export type UsageService = ReturnType<typeof usageService>;
