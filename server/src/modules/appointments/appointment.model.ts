import { AppointmentStatus } from '@clocktree/protocol';
import { Schema, type Connection, type Types } from 'mongoose';

/**
 * An appointment holds its schedule only; what the jobs did for it lives in `AppointmentJobDoc`s. Jobs never write
 * this document: on FerretDB v1 an update is read-then-write without a lock, so a job's write could silently undo a
 * member's concurrent reschedule.
 */
export interface AppointmentDoc {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  clientId: Types.ObjectId;
  /** The member in the room with the client: who booked it, unless they named a colleague. */
  clinicianId: Types.ObjectId;
  startsAt: Date;
  durationMinutes: number;
  endsAt: Date;
  status: AppointmentStatus;
  /** Compare-and-set guard for reschedules (atomic on MongoDB; FerretDB v1 only narrows the race). */
  rev: number;
  createdAt: Date;
  /** When it was booked or last moved: the 24-hour reminder goes out only if that was more than a day ahead. */
  scheduledAt: Date;
  cancelledAt: Date | null;
  /**
   * When it was last moved, made longer or shorter, or cancelled: the client is sent a notice of that change (the
   * `notice` job). Null until the first change.
   */
  changedAt: Date | null;
}

const appointmentSchema = new Schema<AppointmentDoc>(
  {
    practiceId: { type: Schema.Types.ObjectId, required: true },
    clientId: { type: Schema.Types.ObjectId, required: true },
    clinicianId: { type: Schema.Types.ObjectId, required: true },
    startsAt: { type: Date, required: true },
    durationMinutes: { type: Number, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, required: true, enum: AppointmentStatus.options },
    rev: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    scheduledAt: { type: Date, required: true },
    cancelledAt: { type: Date, default: null },
    changedAt: { type: Date, default: null },
  },
  { versionKey: false, strict: 'throw' },
);
appointmentSchema.index({ practiceId: 1, startsAt: 1 });
appointmentSchema.index({ clientId: 1, startsAt: 1 });
appointmentSchema.index({ clinicianId: 1, startsAt: 1 });
appointmentSchema.index({ status: 1, startsAt: 1 });
appointmentSchema.index({ status: 1, endsAt: 1 });
appointmentSchema.index({ changedAt: 1 });

export type JobSlot = 'remindDay' | 'remindHour' | 'ring' | 'windowEnd' | 'notice';

/**
 * What a job did for one appointment at one scheduled time. `key` is `<aid>:<slot>:<due ms>`, so moving an
 * appointment makes new keys and the work happens again for the new time (a `notice` is keyed by the change it
 * tells of: `<aid>:notice:<changedAt ms>`, or `<aid>:notice:cancel`, so a cancellation is told once, whoever and
 * however often it was cancelled). Records are only ever inserted:
 * - `<key>#<n>` (`claimed`): attempt n holds the work until `until`; a later run takes over by inserting attempt
 *   n+1, and of two runs (or nodes) inserting the same attempt one gets a duplicate key and backs off;
 * - `<key>#done` (`done` or `skipped`): finished; nothing runs for this key again.
 */
export interface AppointmentJobDoc {
  _id: string;
  key: string;
  appointmentId: Types.ObjectId;
  slot: JobSlot;
  due: Date;
  outcome: 'claimed' | 'done' | 'skipped';
  attempt: number | null;
  until: Date | null;
  at: Date;
}

const appointmentJobSchema = new Schema<AppointmentJobDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    appointmentId: { type: Schema.Types.ObjectId, required: true },
    slot: { type: String, required: true, enum: ['remindDay', 'remindHour', 'ring', 'windowEnd', 'notice'] },
    due: { type: Date, required: true },
    outcome: { type: String, required: true, enum: ['claimed', 'done', 'skipped'] },
    attempt: { type: Number, default: null },
    until: { type: Date, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
appointmentJobSchema.index({ appointmentId: 1, slot: 1 });

export const appointmentModel = (db: Connection) =>
  db.model<AppointmentDoc>('Appointment', appointmentSchema, 'appointments');
export const appointmentJobModel = (db: Connection) =>
  db.model<AppointmentJobDoc>('AppointmentJob', appointmentJobSchema, 'appointment_jobs');
