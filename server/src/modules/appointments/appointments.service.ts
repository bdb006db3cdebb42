import {
  APPOINTMENT_HORIZON_MS,
  JOIN_EARLY_MS,
  REMINDER_LEADS_MS,
  type Appointment,
  type AppointmentListQuery,
  type CreateAppointmentBody,
  type JoinResult,
  type RescheduleAppointmentBody,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import { conflict, forbidden, invalid, notFound } from '../../http/api-error.ts';
import { safeError } from '../../logger.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { Users } from '../auth/users.ts';
import { appointmentMediaKey, type CallsService } from '../calls/calls.service.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { CloseReason } from '../media/media-room.model.ts';
import type { MediaService } from '../media/media.service.ts';
import type { AppointmentDoc, AppointmentJobDoc, JobSlot } from './appointment.model.ts';
import { appointmentMail } from './appointment-mail.ts';
import { toAppointment } from './appointment.views.ts';
import { isDuplicateKey } from '../../database.ts';
import type { Members } from '../practices/members.ts';
import type { PracticesService } from '../practices/practices.service.ts';

const [DAY_BEFORE_MS, HOUR_BEFORE_MS] = REMINDER_LEADS_MS;
/** A job run holds its claim on a slot this long; a run that died is taken over by another after it. */
const CLAIM_MS = 60_000;
const BATCH = 100;
const DEFAULT_LIST_BACK_MS = 24 * 3_600_000;

/** After this many failed attempts (each held for CLAIM_MS) a job gives up on one appointment and logs it. */
const MAX_ATTEMPTS = 10;
/** The window's end is still handled this long after it passed (a server that was down meanwhile). */
const WINDOW_END_LOOKBACK_MS = 24 * 3_600_000;
/** A change is still told to the client this long after it was made (a server that was down meanwhile). */
const NOTICE_LOOKBACK_MS = 24 * 3_600_000;

type SlotOutcome = 'done' | 'skipped';

interface Slot {
  name: JobSlot;
  /** Appointments that may have this work due now (a narrow time range: the queries stay small). */
  candidates(now: Date): Record<string, unknown>;
  /** Cancelled appointments are candidates too (only the change notice has work for them). */
  anyStatus?: boolean;
  due(doc: AppointmentDoc): Date;
  /** What the work is for, in its key; the due time unless given. */
  occasion?(doc: AppointmentDoc): string;
  work(doc: AppointmentDoc, now: Date): Promise<SlotOutcome>;
}

export function appointmentsService({
  audit,
  practices,
  clients,
  media,
  calls,
  users,
  ...deps
}: ServiceBase<'Appointment' | 'AppointmentJob'> & {
  audit: AuditService;
  practices: Pick<Members, 'isMember'> & Pick<PracticesService, 'mailFactsOf'>;
  users: Pick<Users, 'emailsOf'>;
  clients: ClientsService;
  media: MediaService;
  calls: CallsService;
}) {
  const { models, clock, logger, publicUrl } = deps;
  const { Appointment, AppointmentJob } = models;
  const mail = appointmentMail({ ...deps, users, practices });
  const view = (doc: AppointmentDoc): Appointment => toAppointment(doc, publicUrl());
  const keyOf = (doc: AppointmentDoc, slot: Slot) =>
    `${doc._id}:${slot.name}:${slot.occasion ? slot.occasion(doc) : slot.due(doc).getTime()}`;
  const endsAtOf = (startsAt: Date, minutes: number) => new Date(startsAt.getTime() + minutes * 60_000);
  const isParticipant = (doc: AppointmentDoc, userId: Types.ObjectId) =>
    doc.clientId.equals(userId) || doc.clinicianId.equals(userId);

  function checkStart(startsAt: Date, now: Date): void {
    if (startsAt <= now)
      throw invalid('The appointment must start in the future.', [{ path: 'startsAt', message: 'is in the past' }]);
    if (startsAt.getTime() - now.getTime() > APPOINTMENT_HORIZON_MS)
      throw invalid('Appointments can be booked at most a year ahead.', [
        { path: 'startsAt', message: 'is more than a year ahead' },
      ]);
  }

  function range(query: AppointmentListQuery, now: Date): { from: Date; to: Date } {
    const from = query.from ? new Date(query.from) : new Date(now.getTime() - DEFAULT_LIST_BACK_MS);
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + APPOINTMENT_HORIZON_MS);
    if (to <= from) throw invalid('`to` must be after `from`.', [{ path: 'to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > APPOINTMENT_HORIZON_MS)
      throw invalid('Ask for at most 366 days at a time.', [{ path: 'to', message: 'is too far from from' }]);
    return { from, to };
  }

  async function inPractice(practiceId: string, appointmentId: string): Promise<AppointmentDoc> {
    const doc = await Appointment.findOne({ _id: appointmentId, practiceId }).lean<AppointmentDoc>();
    if (!doc) throw notFound('appointment');
    return doc;
  }

  /** Participants and members of its practice see it; anyone else gets the answer a missing one gets. */
  async function visible(appointmentId: string, user: UserDoc): Promise<AppointmentDoc> {
    const doc = await Appointment.findById(appointmentId).lean<AppointmentDoc>();
    if (!doc) throw notFound('appointment');
    if (isParticipant(doc, user._id)) return doc;
    if (await practices.isMember(doc.practiceId, user._id)) return doc;
    throw notFound('appointment');
  }

  async function participantOnly(appointmentId: string, user: UserDoc): Promise<AppointmentDoc> {
    const doc = await visible(appointmentId, user);
    if (!isParticipant(doc, user._id))
      throw forbidden('Only the client and the clinician of this appointment can join its video room.');
    return doc;
  }

  async function closeRoom(doc: AppointmentDoc, reason: CloseReason): Promise<void> {
    try {
      await media.closeRoom(appointmentMediaKey(doc._id), reason);
    } catch (err) {
      logger.warn({ err: safeError(err), appointmentId: String(doc._id) }, 'closing an appointment room failed');
    }
  }

  /** Inserts a job record; false if it exists already (another run, maybe on another node, got there first). */
  async function insertJob(doc: AppointmentDoc, slot: Slot, id: string, fields: Partial<AppointmentJobDoc>) {
    try {
      await AppointmentJob.create({
        _id: id,
        key: keyOf(doc, slot),
        appointmentId: doc._id,
        slot: slot.name,
        due: slot.due(doc),
        attempt: null,
        until: null,
        at: clock.now(),
        ...fields,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /**
   * Runs one kind of due work, over every candidate in batches of BATCH (in `_id` order): candidates whose work is
   * done stay candidates until they leave the slot's time range, so one batch alone would starve the rest once more
   * than BATCH were in range. Each appointment's work is claimed by inserting a record under a fixed id (one run on
   * one node wins; a run that died is taken over after its claim ran out) and finished with a `#done` record. Only
   * inserts decide: on FerretDB v1 a conditional update is not atomic (appointment.model.ts).
   */
  async function runSlot(slot: Slot): Promise<number> {
    const now = clock.now();
    const filter = { ...(slot.anyStatus ? {} : { status: 'scheduled' as const }), ...slot.candidates(now) };
    let done = 0;
    let after: Types.ObjectId | undefined;
    for (;;) {
      const docs = await Appointment.find({ ...filter, ...(after ? { _id: { $gt: after } } : {}) })
        .sort({ _id: 1 })
        .limit(BATCH)
        .lean<AppointmentDoc[]>();
      if (docs.length > 0) done += await runBatch(slot, docs, now);
      if (docs.length < BATCH) return done;
      after = docs.at(-1)!._id;
    }
  }

  async function runBatch(slot: Slot, docs: AppointmentDoc[], now: Date): Promise<number> {
    const records = await AppointmentJob.find({
      appointmentId: { $in: docs.map((d) => d._id) },
      slot: slot.name,
    }).lean<AppointmentJobDoc[]>();
    let done = 0;
    for (const doc of docs) {
      const key = keyOf(doc, slot);
      const mine = records.filter((r) => r.key === key);
      if (mine.some((r) => r.outcome !== 'claimed')) continue;
      const last = mine.reduce<AppointmentJobDoc | undefined>(
        (a, r) => ((r.attempt ?? 0) > (a?.attempt ?? -1) ? r : a),
        undefined,
      );
      if (last?.until && last.until > now) continue; // someone is on it
      const attempt = (last?.attempt ?? -1) + 1;
      if (attempt >= MAX_ATTEMPTS) {
        if (await insertJob(doc, slot, `${key}#done`, { outcome: 'skipped' }))
          logger.error({ appointmentId: String(doc._id), slot: slot.name }, 'appointment job gave up');
        continue;
      }
      const claimed = await insertJob(doc, slot, `${key}#${attempt}`, {
        outcome: 'claimed',
        attempt,
        until: new Date(now.getTime() + CLAIM_MS),
      });
      if (!claimed) continue;
      try {
        const outcome = await slot.work(doc, now);
        await insertJob(doc, slot, `${key}#done`, { outcome });
        if (outcome === 'done') done++;
      } catch (err) {
        // No #done record: once the claim runs out, a later run (on any node) tries again.
        logger.warn({ err: safeError(err), appointmentId: String(doc._id), slot: slot.name }, 'appointment job failed');
      }
    }
    return done;
  }

  return {
    async create(practiceId: string, body: CreateAppointmentBody, user: UserDoc, actor: Actor): Promise<Appointment> {
      const now = clock.now();
      if (!(await clients.isClientOf(practiceId, body.clientId)))
        throw invalid('That person is not a client of this practice.', [
          { path: 'clientId', message: 'is not a client of this practice' },
        ]);
      const clinicianId = body.clinicianId ? new Types.ObjectId(body.clinicianId) : user._id;
      if (!(await practices.isMember(practiceId, clinicianId)))
        throw invalid('The clinician must be a member of this practice.', [
          { path: 'clinicianId', message: 'is not a member of this practice' },
        ]);
      const startsAt = new Date(body.startsAt);
      checkStart(startsAt, now);
      const endsAt = endsAtOf(startsAt, body.durationMinutes);
      const doc = (
        await Appointment.create({
          practiceId: new Types.ObjectId(practiceId),
          clientId: new Types.ObjectId(body.clientId),
          clinicianId,
          startsAt,
          durationMinutes: body.durationMinutes,
          endsAt,
          status: 'scheduled',
          rev: 0,
          createdAt: now,
          scheduledAt: now,
          cancelledAt: null,
          changedAt: null,
        })
      ).toObject<AppointmentDoc>();
      await audit.record(actor, { practiceId, action: 'appointment.create', target: `appointment:${doc._id}` });
      return view(doc);
    },

    async list(practiceId: string, query: AppointmentListQuery, actor: Actor): Promise<Appointment[]> {
      const { from, to } = range(query, clock.now());
      const docs = await Appointment.find({ practiceId, startsAt: { $gte: from, $lt: to } })
        .sort({ startsAt: 1 })
        .limit(1000)
        .lean<AppointmentDoc[]>();
      await audit.record(actor, { practiceId, action: 'appointment.list', target: `practice:${practiceId}` });
      return docs.map(view);
    },

    /** The caller's own appointments: as the client, or as the clinician; `within` these practices when given. */
    async listMine(
      user: UserDoc,
      query: AppointmentListQuery,
      actor: Actor,
      within?: Types.ObjectId[],
    ): Promise<Appointment[]> {
      const { from, to } = range(query, clock.now());
      const docs = await Appointment.find({
        $or: [{ clientId: user._id }, { clinicianId: user._id }],
        startsAt: { $gte: from, $lt: to },
        ...(within ? { practiceId: { $in: within } } : {}),
      })
        .sort({ startsAt: 1 })
        .limit(1000)
        .lean<AppointmentDoc[]>();
      await audit.record(actor, { action: 'appointment.list', target: `user:${user._id}` });
      return docs.map(view);
    },

    async get(appointmentId: string, user: UserDoc, actor: Actor): Promise<Appointment> {
      const doc = await visible(appointmentId, user);
      await audit.record(actor, {
        practiceId: doc.practiceId,
        action: 'appointment.read',
        target: `appointment:${appointmentId}`,
      });
      return view(doc);
    },

    /** Moves it and resets its reminders and start ring (compare-and-set on `rev` against concurrent changes). */
    async reschedule(
      practiceId: string,
      appointmentId: string,
      body: RescheduleAppointmentBody,
      actor: Actor,
    ): Promise<Appointment> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const now = clock.now();
        const doc = await inPractice(practiceId, appointmentId);
        if (doc.status === 'cancelled') throw conflict('This appointment was cancelled.');
        const startsAt = body.startsAt ? new Date(body.startsAt) : doc.startsAt;
        if (body.startsAt) checkStart(startsAt, now);
        const durationMinutes = body.durationMinutes ?? doc.durationMinutes;
        const endsAt = endsAtOf(startsAt, durationMinutes);
        const moved = startsAt.getTime() !== doc.startsAt.getTime();
        const changed = moved || durationMinutes !== doc.durationMinutes;
        // New times are new job keys: the reminders and the start ring happen again for the new start.
        const updated = await Appointment.findOneAndUpdate(
          { _id: doc._id, rev: doc.rev, status: 'scheduled' },
          {
            $set: {
              startsAt,
              durationMinutes,
              endsAt,
              ...(moved ? { scheduledAt: now } : {}),
              // The client is told of a real change only (the notice job), not of a request that changed nothing.
              ...(changed ? { changedAt: now } : {}),
            },
            $inc: { rev: 1 },
          },
          { returnDocument: 'after' },
        ).lean<AppointmentDoc>();
        if (!updated) continue;
        await media.setEndsAt(appointmentMediaKey(doc._id), endsAt);
        // A room open now whose new window has not begun (or is over) closes; its calls end.
        if (now.getTime() < startsAt.getTime() - JOIN_EARLY_MS || now >= endsAt) {
          await calls.endForAppointment(doc._id, 'rescheduled');
          await closeRoom(doc, 'ended');
        }
        await audit.record(actor, {
          practiceId,
          action: 'appointment.reschedule',
          target: `appointment:${appointmentId}`,
        });
        return view(updated);
      }
      throw conflict('The appointment is being changed by someone else; try again.');
    },

    /**
     * Final: no reminder, ring or join afterwards; a live room is destroyed and live calls end. The client is told
     * once (the notice job), however often and on however many nodes it is cancelled.
     */
    async cancel(practiceId: string, appointmentId: string, actor: Actor): Promise<Appointment> {
      const now = clock.now();
      const cancelled = await Appointment.findOneAndUpdate(
        { _id: appointmentId, practiceId, status: 'scheduled' },
        { $set: { status: 'cancelled', cancelledAt: now, changedAt: now }, $inc: { rev: 1 } },
        { returnDocument: 'after' },
      ).lean<AppointmentDoc>();
      const doc = cancelled ?? (await inPractice(practiceId, appointmentId));
      if (cancelled) {
        await calls.endForAppointment(doc._id, 'appointment_cancelled');
        await closeRoom(doc, 'ended');
        await audit.record(actor, { practiceId, action: 'appointment.cancel', target: `appointment:${appointmentId}` });
      }
      return view(doc);
    },

    /**
     * Cancels the appointments of `userId` (as client or clinician) with the practice that have not ended: their
     * access there ended. Each is cancelled as `cancel` does it, and audited.
     */
    async cancelFor(practiceId: string, userId: string, actor: Actor): Promise<number> {
      const person = new Types.ObjectId(userId);
      const docs = await Appointment.find({
        practiceId,
        status: 'scheduled',
        endsAt: { $gt: clock.now() },
        $or: [{ clientId: person }, { clinicianId: person }],
      }).lean<AppointmentDoc[]>();
      for (const doc of docs) await this.cancel(practiceId, String(doc._id), actor);
      return docs.length;
    },

    /** Janus credentials for the client or the clinician, from 15 minutes before the start to the end. */
    async join(appointmentId: string, user: UserDoc, actor: Actor): Promise<JoinResult> {
      const doc = await participantOnly(appointmentId, user);
      if (doc.status === 'cancelled') throw conflict('This appointment was cancelled.');
      const now = clock.now();
      const opensAt = new Date(doc.startsAt.getTime() - JOIN_EARLY_MS);
      if (now < opensAt)
        throw forbidden(`The video room opens at ${opensAt.toISOString()}, 15 minutes before the appointment.`);
      if (now >= doc.endsAt) throw forbidden('This appointment is over; its video room is closed.');
      const result = await calls.enterRoom({
        mediaKey: appointmentMediaKey(doc._id),
        practiceId: doc.practiceId,
        participants: [doc.clinicianId, doc.clientId],
        endsAt: doc.endsAt,
        user,
        actor,
        audit: { action: 'appointment.join', target: `appointment:${appointmentId}` },
      });
      // Cancelled while the room was being opened: the cancel may have found no room to destroy.
      if ((await Appointment.findById(doc._id, { status: 1 }).lean())?.status !== 'scheduled') {
        await closeRoom(doc, 'ended');
        throw conflict('This appointment was cancelled.');
      }
      return result;
    },

    /** Ends the session for both: the room is destroyed (a later join within the window opens a new one). */
    async hangup(appointmentId: string, user: UserDoc, actor: Actor): Promise<void> {
      const doc = await participantOnly(appointmentId, user);
      await calls.endForAppointment(doc._id, 'hangup');
      await closeRoom(doc, 'hangup');
      await audit.record(actor, {
        practiceId: doc.practiceId,
        action: 'appointment.hangup',
        target: `appointment:${appointmentId}`,
      });
    },

    /**
     * Job: reminder e-mails 24 h and 1 h before. The 24-hour one is skipped when the appointment was booked (or
     * moved) less than a day ahead, or when the 1-hour one is due already; the 1-hour one goes out at once when it
     * was booked less than an hour ahead.
     */
    async sendReminders(): Promise<number> {
      const day = await runSlot({
        name: 'remindDay',
        candidates: (now) => ({ startsAt: { $gt: now, $lte: new Date(now.getTime() + DAY_BEFORE_MS) } }),
        due: (doc) => new Date(doc.startsAt.getTime() - DAY_BEFORE_MS),
        work: async (doc, now) => {
          const due = doc.startsAt.getTime() - DAY_BEFORE_MS;
          if (doc.scheduledAt.getTime() > due || now.getTime() >= doc.startsAt.getTime() - HOUR_BEFORE_MS)
            return 'skipped';
          await mail.remind(doc);
          return 'done';
        },
      });
      const hour = await runSlot({
        name: 'remindHour',
        candidates: (now) => ({ startsAt: { $gt: now, $lte: new Date(now.getTime() + HOUR_BEFORE_MS) } }),
        due: (doc) => new Date(doc.startsAt.getTime() - HOUR_BEFORE_MS),
        work: async (doc) => {
          await mail.remind(doc);
          return 'done';
        },
      });
      return day + hour;
    },

    /**
     * Job: the client of an appointment that was moved, made longer or shorter, or cancelled gets one neutral
     * notice with a calendar file that updates or removes the entry. Several changes before a run make one notice,
     * of the latest; nothing is sent for an appointment that is over.
     */
    async sendChangeNotices(): Promise<number> {
      return runSlot({
        name: 'notice',
        anyStatus: true,
        candidates: (now) => ({
          changedAt: { $gt: new Date(now.getTime() - NOTICE_LOOKBACK_MS), $lte: now },
          endsAt: { $gt: now },
        }),
        due: (doc) => doc.changedAt!,
        occasion: (doc) => (doc.status === 'cancelled' ? 'cancel' : String(doc.changedAt!.getTime())),
        work: async (doc) => {
          await mail.notice(doc);
          return 'done';
        },
      });
    },

    /** Job: at the start, every connected session of the client gets `call:ring` (until the window is over). */
    async ringStarts(): Promise<number> {
      return runSlot({
        name: 'ring',
        candidates: (now) => ({ startsAt: { $lte: now }, endsAt: { $gt: now } }),
        due: (doc) => doc.startsAt,
        work: async (doc) => {
          await calls.ringAppointment(doc);
          return 'done';
        },
      });
    },

    /** Job: at the end of the window the room is destroyed and the appointment's live calls end. */
    async closeEnded(): Promise<number> {
      return runSlot({
        name: 'windowEnd',
        candidates: (now) => ({ endsAt: { $lte: now, $gt: new Date(now.getTime() - WINDOW_END_LOOKBACK_MS) } }),
        due: (doc) => doc.endsAt,
        work: async (doc) => {
          await calls.endForAppointment(doc._id, 'window_ended');
          await closeRoom(doc, 'ended');
          return 'done';
        },
      });
    },
  };
}

export type AppointmentsService = ReturnType<typeof appointmentsService>;
