import { z } from 'zod';
import { Id, IsoDate } from './common.ts';

/** Telehealth video: appointments, instant calls, joining a Janus room, usage (docs/api-v1-video.md). */

/** A call rings this long; unanswered, it ends with reason `no_answer`. */
export const CALL_RING_MS = 60_000;
/** An appointment's room admits its participants from this long before the start until the end of the window. */
export const JOIN_EARLY_MS = 15 * 60_000;
/** Reminder e-mails go out this long before an appointment starts. */
export const REMINDER_LEADS_MS = [24 * 3_600_000, 3_600_000] as const;

export const APPOINTMENT_MINUTES_MIN = 5;
export const APPOINTMENT_MINUTES_MAX = 480;
/** How far ahead an appointment may be booked, and the widest `from`–`to` span a list or usage query may ask for. */
export const APPOINTMENT_HORIZON_MS = 366 * 24 * 3_600_000;

const DurationMinutes = z
  .number()
  .int('must be a whole number of minutes')
  .min(APPOINTMENT_MINUTES_MIN, `must be at least ${APPOINTMENT_MINUTES_MIN}`)
  .max(APPOINTMENT_MINUTES_MAX, `must be at most ${APPOINTMENT_MINUTES_MAX}`);

export const AppointmentStatus = z.enum(['scheduled', 'cancelled']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

export const Appointment = z.object({
  id: Id,
  practiceId: Id,
  clientId: Id,
  /** The member in the room with the client (the one who booked it unless they named another). */
  clinicianId: Id,
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  /** startsAt + durationMinutes: the end of the window; the room is destroyed then. */
  endsAt: z.string(),
  /** startsAt − 15 minutes: `POST /appointments/:aid/join` answers 403 before this. */
  joinOpensAt: z.string(),
  status: AppointmentStatus,
  /** `${PUBLIC_URL}/video/?appointment=<id>`: the quick link of the reminder e-mails. Carries nothing but the id. */
  joinUrl: z.string(),
});
export type Appointment = z.infer<typeof Appointment>;

export const CreateAppointmentBody = z.strictObject({
  clientId: Id,
  /** The member who sees the client (default: whoever books it); they and the client are the room's participants. */
  clinicianId: Id.optional(),
  /** ISO 8601 with an offset (`Z` or `+02:00`); must lie in the future. */
  startsAt: IsoDate,
  durationMinutes: DurationMinutes,
});
export type CreateAppointmentBody = z.infer<typeof CreateAppointmentBody>;

/** Reschedule: a new start, a new length, or both. Resets the reminders and the start ring. */
export const RescheduleAppointmentBody = z
  .strictObject({ startsAt: IsoDate.optional(), durationMinutes: DurationMinutes.optional() })
  .refine((b) => b.startsAt !== undefined || b.durationMinutes !== undefined, {
    path: ['startsAt'],
    message: 'give startsAt, durationMinutes or both',
  });
export type RescheduleAppointmentBody = z.infer<typeof RescheduleAppointmentBody>;

/**
 * `from` ≤ startsAt < `to` (ISO 8601; in a query string write `Z` or encode `+` as `%2B`). Defaults: from = now − 24 h,
 * to = from + 366 days; the span may be at most 366 days.
 */
export const AppointmentListQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() });
export type AppointmentListQuery = z.infer<typeof AppointmentListQuery>;

export const AppointmentResponse = z.object({ appointment: Appointment });
export const AppointmentListResponse = z.object({ appointments: z.array(Appointment) });

export const CallKind = z.enum([
  /** A practice member rings a client of the practice (`POST /calls {practiceId, clientId}`); billed. */
  'instant',
  /** Professional to professional (My Network); recorded, never billed to a practice. */
  'network',
  /** Rung by the server at an appointment's start; joins the appointment's room. */
  'appointment',
]);
export type CallKind = z.infer<typeof CallKind>;

/** ringing → active (answered) → ended; ringing → ended. Each transition is one atomic update. */
export const CallState = z.enum(['ringing', 'active', 'ended']);
export type CallState = z.infer<typeof CallState>;

export const CallEndReason = z.enum([
  /** The callee declined, or hung up while it rang. */
  'declined',
  /** Nobody answered within 60 s. */
  'no_answer',
  /** The caller hung up while it rang. */
  'cancelled',
  /** A participant hung up an answered call. */
  'hangup',
  /** The appointment's window ended. */
  'window_ended',
  /** The appointment was cancelled. */
  'appointment_cancelled',
  /** The appointment moved, and its new window is not open now. */
  'rescheduled',
  /** A participant's access to the practice ended (a colleague removed, a client unlinked). */
  'access_ended',
]);
export type CallEndReason = z.infer<typeof CallEndReason>;

/** Why `call:ended` was sent: the ringing ended because of an answer (the call goes on), or the call ended. */
export const CallEndedReason = z.enum(['answered', ...CallEndReason.options]);
export type CallEndedReason = z.infer<typeof CallEndedReason>;

export const Call = z.object({
  id: Id,
  kind: CallKind,
  state: CallState,
  /** Null for a My Network call. */
  practiceId: Id.nullable(),
  /** Set for kind `appointment`: join with `POST /appointments/:aid/join` (or this call's `/join`). */
  appointmentId: Id.nullable(),
  callerId: Id,
  calleeId: Id,
  /** Who is calling, as the ring prompt shows it. */
  from: z.object({ id: Id, name: z.string() }),
  createdAt: z.string(),
  /** The ringing ends at this time unless answered or declined before. */
  ringUntil: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  endReason: CallEndReason.nullable(),
});
export type Call = z.infer<typeof Call>;

/** `{practiceId, clientId}`: a member rings a client of the practice. `{professionalId}`: a My Network call. */
export const CreateCallBody = z
  .strictObject({ practiceId: Id.optional(), clientId: Id.optional(), professionalId: Id.optional() })
  .refine(
    (b) => (b.professionalId ? !b.practiceId && !b.clientId : Boolean(b.practiceId && b.clientId && !b.professionalId)),
    { path: ['clientId'], message: 'give practiceId and clientId, or professionalId alone' },
  );
export type CreateCallBody = z.infer<typeof CreateCallBody>;

export const CallResponse = z.object({ call: Call });
/** `reachable`: whether any session of the callee was connected when it started ringing. */
export const CreateCallResult = z.object({ call: Call, reachable: z.boolean() });
/** The caller's ringing and answered calls, for a ring prompt or a call screen that (re)connects. */
export const CallListResponse = z.object({ calls: z.array(Call) });

/** What janus.js needs to enter the room: `join` with `{room: roomId, pin, token}` on `instanceUrl`. */
export const JoinResult = z.object({
  instanceUrl: z.string(),
  roomId: z.number().int(),
  pin: z.string(),
  /** This participant's own token; the room admits no other. */
  token: z.string(),
  /** When the room is destroyed regardless (an appointment's window end); null for calls. */
  endsAt: z.string().nullable(),
});
export type JoinResult = z.infer<typeof JoinResult>;

/** Defaults: from = the first day of the current month (UTC), to = now. At most 366 days. */
export const UsageQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() });
export type UsageQuery = z.infer<typeof UsageQuery>;

/** One video room's usage: the time during which both parties were connected, within the asked range. */
export const UsageCall = z.object({
  /** The video room (a call can have several: a rejoin after a hang-up opens a new room). */
  roomId: z.number().int(),
  kind: CallKind,
  callId: Id.nullable(),
  appointmentId: Id.nullable(),
  /** First and last event Janus reported for the room. */
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  seconds: z.number().int(),
  /** Whole minutes, rounded up per room. */
  minutes: z.number().int(),
  billed: z.boolean(),
});
export type UsageCall = z.infer<typeof UsageCall>;

export const UsageReport = z.object({
  from: z.string(),
  to: z.string(),
  /** Sum of the rooms' rounded-up minutes: what the practice is billed for. */
  minutes: z.number().int(),
  seconds: z.number().int(),
  calls: z.array(UsageCall),
});
export type UsageReport = z.infer<typeof UsageReport>;

/** `call:ring`: to every connected session of the callee. */
export interface CallRingEvent {
  call: Call;
}

/**
 * `call:ended`: to every connected session of both parties. With `answered` only the ringing ended (stop the ring
 * prompt; the answering session joins); with any other reason the call is over.
 */
export interface CallEndedEvent {
  callId: string;
  reason: CallEndedReason;
  appointmentId: string | null;
}
