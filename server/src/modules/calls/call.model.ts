import type { CallEndReason } from '@clocktree/protocol';
import { CallKind, CallState } from '@clocktree/protocol';
import { Schema, type Connection, type Types } from 'mongoose';

/**
 * One call: an instant call, a My Network call, or the ring of an appointment's start.
 *
 * Its state (ringing → active → ended, or ringing → ended) is decided by `CallOutcomeDoc`s, not by updates of this
 * document: FerretDB v1 applies a conditional update as read-then-write without any lock, so two concurrent
 * `findOneAndUpdate({state: 'ringing'})` both succeed and concurrent `$set`s overwrite each other (measured here).
 * Only an insert against a unique key is decided once, on FerretDB as on MongoDB. `state`, `answeredAt`, `endedAt`
 * and `endReason` below are a cache for queries, rewritten from the outcomes whenever they are read.
 */
export interface CallDoc {
  _id: Types.ObjectId;
  kind: CallKind;
  state: CallState;
  /** Null for a My Network call: recorded, never billed. */
  practiceId: Types.ObjectId | null;
  appointmentId: Types.ObjectId | null;
  callerId: Types.ObjectId;
  calleeId: Types.ObjectId;
  /** The media orchestrator's call id: `call:<_id>`, or `appointment:<aid>` (one room per appointment window). */
  mediaKey: string;
  /**
   * Unique: `call:<_id>`, or `appointment:<aid>:<startsAt ms>` for the ring of an appointment's start, so a ring job
   * retried after a crash (on any node) finds the ring already made instead of ringing twice.
   */
  ringKey: string;
  /**
   * The session that placed an instant or My Network call (`callerKey` of its token, never the token): when no socket
   * of that session is left, the caller closed the tab, and the ringing stops (calls.socket.ts). Null for the ring of
   * an appointment's start, which no open page placed.
   */
  callerSession?: string | null;
  createdAt: Date;
  ringUntil: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  endReason: CallEndReason | null;
}

const callSchema = new Schema<CallDoc>(
  {
    kind: { type: String, required: true, enum: CallKind.options },
    state: { type: String, required: true, enum: CallState.options },
    practiceId: { type: Schema.Types.ObjectId, default: null },
    appointmentId: { type: Schema.Types.ObjectId, default: null },
    callerId: { type: Schema.Types.ObjectId, required: true },
    calleeId: { type: Schema.Types.ObjectId, required: true },
    mediaKey: { type: String, required: true },
    ringKey: { type: String, required: true, unique: true },
    callerSession: { type: String, default: null },
    createdAt: { type: Date, required: true },
    ringUntil: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
    endedAt: { type: Date, default: null },
    endReason: { type: String, default: null },
  },
  { versionKey: false, strict: 'throw' },
);
callSchema.index({ calleeId: 1, state: 1 });
callSchema.index({ callerId: 1, state: 1 });
callSchema.index({ state: 1, ringUntil: 1 });
callSchema.index({ appointmentId: 1, state: 1 });

/**
 * A decided step of a call, inserted under a fixed `_id` so only one can exist: `<callId>:ring` settles the ringing
 * (`answered`, or why it stopped) and `<callId>:end` ends the call. Whoever inserts it acted; everyone else lost.
 */
export interface CallOutcomeDoc {
  _id: string;
  callId: Types.ObjectId;
  step: 'ring' | 'end';
  outcome: 'answered' | CallEndReason;
  /** Who did it; null for the server (timeouts, appointment windows). */
  by: Types.ObjectId | null;
  at: Date;
}

const callOutcomeSchema = new Schema<CallOutcomeDoc>(
  {
    _id: { type: String, required: true },
    callId: { type: Schema.Types.ObjectId, required: true },
    step: { type: String, required: true, enum: ['ring', 'end'] },
    outcome: { type: String, required: true },
    by: { type: Schema.Types.ObjectId, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);

export const callModel = (db: Connection) => db.model<CallDoc>('Call', callSchema, 'calls');
export const callOutcomeModel = (db: Connection) =>
  db.model<CallOutcomeDoc>('CallOutcome', callOutcomeSchema, 'call_outcomes');
