import {
  CALL_RING_MS,
  type Call,
  type CallEndedReason,
  type CallEndReason,
  type CallState,
  type CreateCallBody,
  type JoinResult,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import { conflict, forbidden, invalid, notFound } from '../../http/api-error.ts';
import { safeError } from '../../logger.ts';
import type { Fanout } from '../../realtime/fanout.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { Users } from '../auth/users.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { CloseReason } from '../media/media-room.model.ts';
import type { MediaService } from '../media/media.service.ts';
import { notConnected } from '../network/network-peers.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { CallDoc, CallOutcomeDoc } from './call.model.ts';
import { toCall } from './call.views.ts';
import { isDuplicateKey } from '../../database.ts';

/** The media orchestrator's call ids: one room per call, one room per appointment window. */
export const callMediaKey = (callId: string | Types.ObjectId) => `call:${callId}`;
export const appointmentMediaKey = (appointmentId: string | Types.ObjectId) => `appointment:${appointmentId}`;

const LIVE: CallState[] = ['ringing', 'active'];

/** Who may enter a room, and how the hand-out is audited. */
export interface RoomEntry {
  mediaKey: string;
  practiceId: Types.ObjectId | null;
  participants: Types.ObjectId[];
  endsAt: Date | null;
  user: UserDoc;
  actor: Actor;
  audit: { action: string; target: string };
}

export interface AppointmentRing {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  clinicianId: Types.ObjectId;
  clientId: Types.ObjectId;
  startsAt: Date;
}

/**
 * Instant calls and rings. Ringing reaches every connected session of the callee through their user room (on any
 * node once a shared adapter is configured); the end of the ringing — answered, declined, timed out — and the end of
 * the call go to every session of both parties as `call:ended`. A crash between a state change and its push loses
 * only the push: sessions re-read `GET /calls` when they (re)connect.
 *
 * Each decision (the ringing settled, the call ended) is the insert of a `CallOutcomeDoc` under a fixed id, so two
 * devices answering at once, an answer racing the timeout, or two nodes expiring rings never both win — on MongoDB
 * and on FerretDB v1, whose conditional updates are not atomic (call.model.ts).
 */
export function callsService({
  models,
  clock,
  logger,
  audit,
  practices,
  clients,
  media,
  live,
  network,
  users,
}: ServiceBase<'Call' | 'CallOutcome'> & {
  audit: AuditService;
  users: Pick<Users, 'namesOf' | 'kindOf'>;
  practices: PracticesService;
  clients: ClientsService;
  media: MediaService;
  live: Pick<Fanout, 'ring' | 'callEnded' | 'callMediaLost'>;
  /** My Network: who is connected with whom. */
  network: { isConnected(userId: Types.ObjectId, peerId: Types.ObjectId): Promise<boolean> };
}) {
  const { Call, CallOutcome } = models;
  const isParty = (doc: CallDoc, userId: Types.ObjectId) => doc.callerId.equals(userId) || doc.calleeId.equals(userId);

  /** The call as its outcomes say; the cached fields of the document are rewritten when they disagree. */
  async function resolveAll(docs: CallDoc[]): Promise<CallDoc[]> {
    if (docs.length === 0) return [];
    const outcomes = await CallOutcome.find({
      _id: { $in: docs.flatMap((d) => [`${d._id}:ring`, `${d._id}:end`]) },
    }).lean<CallOutcomeDoc[]>();
    const byId = new Map(outcomes.map((o) => [o._id, o]));
    return Promise.all(
      docs.map(async (doc) => {
        const ring = byId.get(`${doc._id}:ring`);
        const end = byId.get(`${doc._id}:end`) ?? (ring && ring.outcome !== 'answered' ? ring : undefined);
        const answered = ring?.outcome === 'answered' ? ring.at : null;
        const state: CallState = end ? 'ended' : answered ? 'active' : 'ringing';
        const current: CallDoc = {
          ...doc,
          state,
          answeredAt: answered,
          endedAt: end?.at ?? null,
          endReason: end ? (end.outcome as CallEndReason) : null,
        };
        if (doc.state !== state) {
          const { answeredAt, endedAt, endReason } = current;
          await Call.updateOne({ _id: doc._id }, { $set: { state, answeredAt, endedAt, endReason } });
        }
        return current;
      }),
    );
  }
  const resolve = async (doc: CallDoc) => (await resolveAll([doc]))[0]!;

  async function decide(
    doc: CallDoc,
    step: 'ring' | 'end',
    outcome: 'answered' | CallEndReason,
    by: Types.ObjectId | null,
  ): Promise<Date | null> {
    const at = clock.now();
    try {
      await CallOutcome.create({ _id: `${doc._id}:${step}`, callId: doc._id, step, outcome, by, at });
      return at;
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  }

  async function views(docs: CallDoc[]): Promise<Call[]> {
    const ids = [...new Set(docs.map((d) => String(d.callerId)))];
    const names = await users.namesOf(ids);
    return docs.map((d) => toCall(d, names.get(String(d.callerId)) ?? 'Former user'));
  }
  const view = async (doc: CallDoc) => (await views([doc]))[0]!;

  function emitEnded(doc: CallDoc, reason: CallEndedReason): void {
    live.callEnded([doc.callerId, doc.calleeId], doc.practiceId, {
      callId: String(doc._id),
      reason,
      appointmentId: doc.appointmentId ? String(doc.appointmentId) : null,
    });
  }

  async function ring(doc: CallDoc): Promise<{ call: Call; reachable: boolean }> {
    const call = await view(doc);
    return { call, reachable: await live.ring(doc.calleeId, doc.practiceId, call) };
  }

  async function closeRoom(mediaKey: string, reason: CloseReason): Promise<void> {
    try {
      await media.closeRoom(mediaKey, reason);
    } catch (err) {
      // The room stays on record (closing or open) and the media sweep destroys it; the call is over regardless.
      logger.warn({ err: safeError(err), mediaKey }, 'closing a call room failed');
    }
  }

  /** An appointment's room lives for its window: only a hang-up ends it early, not an unanswered or declined ring. */
  const closesRoom = (doc: CallDoc, reason: CallEndReason) =>
    doc.kind !== 'appointment' || reason === 'hangup' || reason === 'cancelled';

  /** Ends the call unless it has ended already; the one that ends it (one request, on one node) pushes and cleans up. */
  async function finish(doc: CallDoc, reason: CallEndReason, by: Types.ObjectId | null): Promise<CallDoc | null> {
    const at = await decide(doc, 'end', reason, by);
    if (!at) return null;
    const ended: CallDoc = { ...doc, state: 'ended', endedAt: at, endReason: reason };
    await Call.updateOne({ _id: doc._id }, { $set: { state: 'ended', endedAt: at, endReason: reason } });
    // The room goes first: whoever is told the call ended finds it gone at Janus, not still being torn down.
    if (closesRoom(ended, reason)) await closeRoom(ended.mediaKey, 'hangup');
    emitEnded(ended, reason);
    return ended;
  }

  /** Stops the ringing for `reason` (so no answer can come after) and ends the call. */
  async function stopAndFinish(doc: CallDoc, reason: CallEndReason, by: Types.ObjectId | null) {
    if (!(await decide(doc, 'ring', reason, by))) return null;
    return finish(doc, reason, by);
  }

  async function endLive(filter: Record<string, unknown>, reason: CallEndReason): Promise<number> {
    const live = await resolveAll(await Call.find({ ...filter, state: { $in: LIVE } }).lean<CallDoc[]>());
    let ended = 0;
    for (const doc of live.filter((d) => d.state !== 'ended')) {
      await decide(doc, 'ring', reason, null); // no answer may come after this
      if (await finish(doc, reason, null)) ended++;
    }
    return ended;
  }

  /** A call the user takes part in, as it stands; anyone else gets the answer a call that does not exist gets. */
  async function load(callId: string, user: UserDoc): Promise<CallDoc> {
    const doc = await Call.findById(callId).lean<CallDoc>();
    if (!doc || !isParty(doc, user._id)) throw notFound('call');
    return resolve(doc);
  }

  /** Opens (or reuses) the room, hands out this participant's Janus credentials, and audits the hand-out. */
  async function enterRoom(entry: RoomEntry): Promise<JoinResult> {
    await media.openRoom({
      callId: entry.mediaKey,
      practiceId: entry.practiceId ? String(entry.practiceId) : null,
      participants: entry.participants.map(String),
      ...(entry.endsAt ? { endsAt: entry.endsAt } : {}),
    });
    const credentials = await media.credentialsFor(entry.mediaKey, String(entry.user._id));
    await audit.record(entry.actor, {
      practiceId: entry.practiceId,
      action: entry.audit.action,
      target: entry.audit.target,
    });
    return { ...credentials, endsAt: entry.endsAt?.toISOString() ?? null };
  }

  /** My Network: professionals ring the professionals they are connected with (no practice: never billed to one). */
  async function networkCallee(user: UserDoc, professionalId: string): Promise<Types.ObjectId> {
    if (user.kind !== 'professional') throw forbidden('Only professionals can make My Network calls.');
    if (user._id.equals(professionalId))
      throw invalid('You cannot call yourself.', [{ path: 'professionalId', message: 'is you' }]);
    const callee = new Types.ObjectId(professionalId);
    // The same answer for a stranger, a client and an id of nobody: it tells nothing about the account.
    if (!(await network.isConnected(user._id, callee)) || (await users.kindOf(callee)) !== 'professional')
      throw notConnected();
    return callee;
  }

  return {
    enterRoom,

    /**
     * Starts ringing every connected session of the callee. `callerSession` (`callerKey` of the caller's token) lets
     * the ringing stop when the caller's page goes away.
     */
    async create(body: CreateCallBody, user: UserDoc, actor: Actor, callerSession: string | null = null) {
      const now = clock.now();
      const _id = new Types.ObjectId();
      let practiceId: Types.ObjectId | null = null;
      let calleeId: Types.ObjectId;
      if (body.professionalId) calleeId = await networkCallee(user, body.professionalId);
      else {
        await practices.requireMember(body.practiceId!, String(user._id));
        if (!(await clients.isClientOf(body.practiceId!, body.clientId!)))
          throw invalid('That person is not a client of this practice.', [
            { path: 'clientId', message: 'is not a client of this practice' },
          ]);
        practiceId = new Types.ObjectId(body.practiceId);
        calleeId = new Types.ObjectId(body.clientId);
      }
      const doc = (
        await Call.create({
          _id,
          kind: practiceId ? 'instant' : 'network',
          state: 'ringing',
          practiceId,
          appointmentId: null,
          callerId: user._id,
          calleeId,
          mediaKey: callMediaKey(_id),
          ringKey: callMediaKey(_id),
          callerSession,
          createdAt: now,
          ringUntil: new Date(now.getTime() + CALL_RING_MS),
          answeredAt: null,
          endedAt: null,
          endReason: null,
        })
      ).toObject<CallDoc>();
      await audit.record(actor, { practiceId, action: 'call.start', target: `call:${_id}` });
      return ring(doc);
    },

    /** Rings the client at an appointment's start; false if this start was rung already (a retried job run). */
    async ringAppointment(appointment: AppointmentRing): Promise<boolean> {
      const now = clock.now();
      let doc: CallDoc;
      try {
        const _id = new Types.ObjectId();
        doc = (
          await Call.create({
            _id,
            kind: 'appointment',
            state: 'ringing',
            practiceId: appointment.practiceId,
            appointmentId: appointment._id,
            callerId: appointment.clinicianId,
            calleeId: appointment.clientId,
            mediaKey: appointmentMediaKey(appointment._id),
            ringKey: `${appointmentMediaKey(appointment._id)}:${appointment.startsAt.getTime()}`,
            createdAt: now,
            ringUntil: new Date(now.getTime() + CALL_RING_MS),
            answeredAt: null,
            endedAt: null,
            endReason: null,
          })
        ).toObject<CallDoc>();
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
      await ring(doc);
      return true;
    },

    async get(callId: string, user: UserDoc): Promise<Call> {
      return view(await load(callId, user));
    },

    /**
     * The user's ringing and answered calls (a ring prompt re-reads these when its socket reconnects); `within`
     * these practices when given, which leaves out My Network calls.
     */
    async listLive(user: UserDoc, within?: Types.ObjectId[]): Promise<Call[]> {
      const now = clock.now().getTime();
      const candidates = await Call.find({
        $or: [{ callerId: user._id }, { calleeId: user._id }],
        state: { $in: LIVE },
        ...(within ? { practiceId: { $in: within } } : {}),
      })
        .sort({ createdAt: -1 })
        .limit(50)
        .lean<CallDoc[]>();
      const live = (await resolveAll(candidates)).filter(
        (d) => d.state === 'active' || (d.state === 'ringing' && d.ringUntil.getTime() > now),
      );
      return views(live);
    },

    load,

    async answer(callId: string, user: UserDoc, actor: Actor): Promise<Call> {
      const doc = await load(callId, user);
      if (!doc.calleeId.equals(user._id)) throw forbidden('Only the person called can answer.');
      if (doc.state !== 'ringing')
        throw conflict(doc.state === 'active' ? 'The call was answered already.' : 'The call has ended.');
      if (doc.ringUntil <= clock.now()) {
        // Past its time but not yet swept: it ends now, as the timeout would have ended it.
        await stopAndFinish(doc, 'no_answer', null);
        throw conflict('The call was not answered in time.');
      }
      const at = await decide(doc, 'ring', 'answered', user._id);
      if (!at) {
        const current = await resolve(doc);
        throw conflict(current.state === 'active' ? 'The call was answered already.' : 'The call has ended.');
      }
      await Call.updateOne({ _id: doc._id }, { $set: { state: 'active', answeredAt: at } });
      emitEnded(doc, 'answered');
      await audit.record(actor, { practiceId: doc.practiceId, action: 'call.answer', target: `call:${callId}` });
      return view(await resolve(doc));
    },

    async decline(callId: string, user: UserDoc, actor: Actor): Promise<Call> {
      const doc = await load(callId, user);
      if (!doc.calleeId.equals(user._id)) throw forbidden('Only the person called can decline; hang up instead.');
      if (doc.state === 'ringing' && (await stopAndFinish(doc, 'declined', user._id)))
        await audit.record(actor, { practiceId: doc.practiceId, action: 'call.decline', target: `call:${callId}` });
      const current = await resolve(doc);
      // Answered first (even if since hung up): this decline declined nothing, and must not say it did.
      if (current.state === 'active' || current.answeredAt) throw conflict('The call was answered; hang up instead.');
      return view(current);
    },

    /** Ends the call for both and destroys its room; hanging up an ended call changes nothing. */
    async hangup(callId: string, user: UserDoc, actor: Actor): Promise<Call> {
      let doc = await load(callId, user);
      for (let attempt = 0; attempt < 3 && doc.state !== 'ended'; attempt++) {
        const ended =
          doc.state === 'active'
            ? await finish(doc, 'hangup', user._id)
            : await stopAndFinish(doc, doc.callerId.equals(user._id) ? 'cancelled' : 'declined', user._id);
        if (ended) {
          await audit.record(actor, { practiceId: doc.practiceId, action: 'call.hangup', target: `call:${callId}` });
          return view(ended);
        }
        doc = await resolve(doc);
      }
      // Ended already; a caller waiting alone may still have opened the room.
      if (closesRoom(doc, doc.endReason ?? 'hangup')) await closeRoom(doc.mediaKey, 'hangup');
      return view(doc);
    },

    /**
     * Janus credentials for a participant of an instant or My Network call: the caller as soon as it rings (to wait
     * in the room), the callee once answered.
     */
    async join(callId: string, user: UserDoc, actor: Actor): Promise<JoinResult> {
      const doc = await load(callId, user);
      if (doc.kind === 'appointment') throw new Error('appointment calls join through their appointment');
      if (doc.state === 'ended') throw conflict('The call has ended.');
      if (doc.state === 'ringing' && doc.calleeId.equals(user._id)) throw conflict('Answer the call first.');
      const result = await enterRoom({
        mediaKey: doc.mediaKey,
        practiceId: doc.practiceId,
        participants: [doc.callerId, doc.calleeId],
        endsAt: null,
        user,
        actor,
        audit: { action: 'call.join', target: `call:${callId}` },
      });
      // Hung up while the room was being opened: the hang-up may have found no room to destroy.
      if ((await resolve(doc)).state === 'ended') {
        await closeRoom(doc.mediaKey, 'hangup');
        throw conflict('The call has ended.');
      }
      return result;
    },

    /**
     * The caller's page went away (no socket of the session that placed them is left): their calls still ringing
     * stop as if the caller had hung up, so nobody answers into an empty room. Answered calls go on (the other party
     * may still be talking; the room's own events end those). Returns how many it ended.
     */
    async callerGone(callerId: string, callerSession: string): Promise<number> {
      const docs = await resolveAll(await Call.find({ callerId, callerSession, state: 'ringing' }).lean<CallDoc[]>());
      let ended = 0;
      for (const doc of docs.filter((d) => d.state === 'ringing'))
        if (await stopAndFinish(doc, 'cancelled', doc.callerId)) ended++;
      return ended;
    },

    /**
     * The room of `mediaKey` went with its Janus instance (the media orchestrator's `media-lost`): every session of
     * both parties hears `call:media-lost` and joins again, which opens the room on a surviving instance. An ended
     * instant call is not told (its room was closed on purpose); an appointment's room, which outlives its rings, is
     * told to the parties of its latest call. Whether anyone was told.
     */
    async mediaLost(mediaKey: string): Promise<boolean> {
      const [kind, id] = mediaKey.split(':');
      if (!id || !Types.ObjectId.isValid(id)) return false;
      let doc: CallDoc | null = null;
      if (kind === 'call') doc = await Call.findById(id).lean<CallDoc>();
      else if (kind === 'appointment')
        doc = await Call.findOne({ appointmentId: id }).sort({ createdAt: -1 }).lean<CallDoc>();
      if (doc?.mediaKey !== mediaKey) return false;
      if (doc.kind !== 'appointment' && (await resolve(doc)).state === 'ended') return false;
      live.callMediaLost([doc.callerId, doc.calleeId], doc.practiceId, {
        callId: String(doc._id),
        appointmentId: doc.appointmentId ? String(doc.appointmentId) : null,
      });
      return true;
    },

    /** Ends an appointment's live calls (window end, cancel, reschedule, hang-up); the caller closes the room. */
    async endForAppointment(appointmentId: Types.ObjectId, reason: CallEndReason): Promise<number> {
      return endLive({ appointmentId }, reason);
    },

    /** Ends the live calls `userId` takes part in for the practice: their access there ended. */
    async endForPerson(practiceId: string, userId: string): Promise<number> {
      const person = new Types.ObjectId(userId);
      return endLive({ practiceId, $or: [{ callerId: person }, { calleeId: person }] }, 'access_ended');
    },

    /**
     * Job: rings unanswered for 60 s end with `no_answer`; returns how many this run ended. Also finishes a ring
     * whose stop was decided by a node that died before ending the call.
     */
    async expireRings(): Promise<number> {
      const now = clock.now();
      const candidates = await Call.find({ state: 'ringing', ringUntil: { $lte: now } })
        .limit(200)
        .lean<CallDoc[]>();
      let ended = 0;
      for (const doc of candidates) {
        const outcomes = await CallOutcome.find({ _id: { $in: [`${doc._id}:ring`, `${doc._id}:end`] } }).lean<
          CallOutcomeDoc[]
        >();
        const ring = outcomes.find((o) => o.step === 'ring');
        const done = outcomes.some((o) => o.step === 'end');
        if (!ring && (await stopAndFinish(doc, 'no_answer', null))) ended++;
        else if (ring && ring.outcome !== 'answered' && !done && (await finish(doc, ring.outcome, null))) ended++;
        else await resolve(doc);
      }
      return ended;
    },
  };
}

export type CallsService = ReturnType<typeof callsService>;
