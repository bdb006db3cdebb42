import type {
  Call,
  CallEndedEvent,
  CallMediaLostEvent,
  Message,
  RosterChangedEvent,
  ThreadSummary,
} from '@clocktree/protocol';
import type { Models } from '../models.ts';
import { roomsFor } from './rooms.ts';
import type { Io } from './socket.ts';

/**
 * The one way events reach people. Thread changes go to every connected reader, each through their own room so that
 * what differs per person (whether it is an alert for them, how far they have read) is right for them; calls ring
 * and end through the same rooms. Rooms work across nodes once a shared adapter is configured.
 */
export function fanout(io: () => Io | undefined, models: Pick<Models, 'ThreadRead'>) {
  async function readSeqs(threadId: string, readers: string[]): Promise<Map<string, number>> {
    const reads = await models.ThreadRead.find({ threadId, userId: { $in: readers } }).lean();
    return new Map(reads.map((r) => [String(r.userId), r.seq]));
  }

  /** Every session of the parties of a call. */
  const toParties = (people: unknown[], practiceId: unknown) =>
    io()?.to(people.flatMap((p) => roomsFor(p, practiceId)));

  return {
    async publish(
      readers: string[],
      summary: Omit<ThreadSummary, 'lastReadSeq'>,
      message?: { view: Message; alerted: Set<string> },
    ): Promise<void> {
      const server = io();
      if (!server) return;
      const seqs = await readSeqs(summary.id, readers);
      for (const reader of readers) {
        const room = server.to(roomsFor(reader, summary.practiceId));
        if (message)
          room.emit('message:new', { threadId: summary.id, message: message.view, alert: message.alerted.has(reader) });
        room.emit('thread:updated', { thread: { ...summary, lastReadSeq: seqs.get(reader) ?? 0 } });
      }
    },

    /** Rings `calleeId`; whether any socket of theirs was there to hear it. */
    async ring(calleeId: unknown, practiceId: unknown, call: Call): Promise<boolean> {
      const server = io();
      if (!server) return false;
      const rooms = roomsFor(calleeId, practiceId);
      const reachable = (await server.in(rooms).fetchSockets()).length > 0;
      server.to(rooms).emit('call:ring', { call });
      return reachable;
    },

    callEnded(people: unknown[], practiceId: unknown, event: CallEndedEvent): void {
      toParties(people, practiceId)?.emit('call:ended', event);
    },

    /** The call's video server is gone: its pages join again, onto the instance that now holds the room. */
    callMediaLost(people: unknown[], practiceId: unknown, event: CallMediaLostEvent): void {
      toParties(people, practiceId)?.emit('call:media-lost', event);
    },

    /** To every session of the practice's `members` (one emit: a socket in several of the rooms hears it once). */
    rosterChanged(members: unknown[], event: RosterChangedEvent): void {
      toParties(members, event.practiceId)?.emit('roster:changed', event);
    },
  };
}

export type Fanout = ReturnType<typeof fanout>;
