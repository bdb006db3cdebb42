import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type { Clock } from '../../clock.ts';
import type { Envelope } from '../../crypto/envelope.ts';
import { ApiError, forbidden, notFound } from '../../http/api-error.ts';
import { safeError, type Logger } from '../../logger.ts';
import {
  JanusError,
  JanusUnavailableError,
  VIDEOROOM_ERROR,
  VIDEOROOM_PLUGIN,
  VideoRoomControl,
  type JanusClientOptions,
} from './janus-client.ts';
import {
  LIVE_STATES,
  mediaLossModel,
  type CloseReason,
  type MediaRoomDoc,
  type MediaRoomModel,
  type MediaRoomState,
} from './media-room.model.ts';
import { isDuplicateKey } from '../../database.ts';

/**
 * The media orchestrator: one private Janus videoroom per call, on the least-loaded of the configured instances.
 *
 * Janus never expires a room by itself, so every room we create is first written down (state `creating`, with its
 * sealed secret) and only then created on Janus: a room is never on Janus without us being able to destroy it.
 * Rooms end at hang-up (`closeRoom`), at the end of their window, after 10 minutes with nobody in them, or when
 * Janus lost them (it restarted): `sweep()` finds the last three; run it on start and every minute, on any node.
 * Every state change is one conditional single-document update, so several nodes can sweep at once.
 */

export interface JanusInstance {
  /** Janus HTTP API as this server reaches it, e.g. `http://10.0.0.5:8088/janus`. */
  url: string;
  /** Janus HTTP API as browsers reach it, when it differs (a public https name in front of Janus). */
  publicUrl?: string;
  /** The videoroom plugin's `admin_key` on that instance. */
  adminKey: string;
}

/**
 * JANUS_URLS entries: `http://internal:8088/janus`, or `http://internal:8088/janus|https://media1.example.com/janus`
 * when browsers reach that instance under another name. One admin key for all (JANUS_ADMIN_KEY).
 */
export function janusInstances(entries: string[], adminKey: string): JanusInstance[] {
  return entries.map((entry) => {
    const [url, publicUrl] = entry.split('|').map((s) => s.trim());
    for (const u of [url, publicUrl])
      if (u !== undefined && !/^https?:\/\/[^/]/.test(u)) throw new Error(`not a Janus URL: ${u}`);
    return { url: url!, adminKey, ...(publicUrl ? { publicUrl } : {}) };
  });
}

export interface MediaDeps {
  MediaRoom: MediaRoomModel;
  crypto: Envelope;
  clock: Clock;
  logger: Logger;
}

export interface MediaOptions {
  instances: JanusInstance[];
  /** A room nobody has been in for this long is destroyed (default 10 minutes). */
  idleMs?: number;
  /** Per Janus request (default 5 s). */
  requestTimeoutMs?: number;
  /** An instance that refused connections is skipped for new rooms this long (default 30 s). */
  downForMs?: number;
  /** Closed rooms are kept this long for late event-handler posts and audits, then deleted (default 7 days). */
  keepClosedMs?: number;
  /** Keepalive period of the control sessions (default 25 s; Janus drops sessions after 60 s). */
  keepaliveMs?: number;
}

export interface OpenRoomInput {
  /** The call or appointment this room serves: opaque to us; one live room per call. */
  callId: string;
  /** The practice the call belongs to (its data key seals the room's secrets); null for a My Network call. */
  practiceId: string | null;
  /** User ids allowed in; each gets a Janus token of their own. */
  participants: string[];
  /** End of the appointment's window: the room is destroyed then. */
  endsAt?: Date;
}

export interface OpenedRoom {
  callId: string;
  instanceUrl: string;
  roomId: number;
}

/** What a participant's browser needs to join with janus.js. */
export interface RoomCredentials {
  instanceUrl: string;
  roomId: number;
  pin: string;
  token: string;
}

/** A videoroom event from Janus's event handler, resolved to our room. */
/** Our own room event: the room's Janus died or lost it; the call's next join opens a room elsewhere. */
export const MEDIA_LOST = 'media-lost';

export interface RoomEvent {
  callId: string;
  practiceId: string | null;
  roomId: number;
  /** The plugin's event name (joined, leaving, published, unpublished, destroyed…), or our MEDIA_LOST. */
  event: string;
  /** Janus's participant (feed) id, when the event names one. */
  participantId: number | null;
  sessionId: number | null;
  handleId: number | null;
  /** When Janus says it happened. */
  at: Date;
}

export interface SweepResult {
  idle: number;
  ended: number;
  gone: number;
  destroyed: number;
  unreachable: string[];
}

/** Sealed in `secretsEnc`; `room` binds the ciphertext to its document so it cannot be swapped into another. */
interface RoomSecrets {
  room: string;
  secret: string;
  pin: string;
  tokens: Record<string, string>;
}

/**
 * Key scope for rooms without a practice (My Network calls). The envelope keys data by practice id; this id is
 * never a practice's (ObjectIds carry their creation time, and no practice was created in 1970).
 */
export const NETWORK_KEY_SCOPE = '000000000000000000000000';

const DEFAULTS = {
  idleMs: 10 * 60_000,
  requestTimeoutMs: 5_000,
  downForMs: 30_000,
  keepClosedMs: 7 * 24 * 3_600_000,
};

// Room ids are JSON integers for Janus and doubles for us: stay well inside 2^53.
const newRoomId = () => randomInt(1, 2 ** 47);
const secret = () => randomBytes(24).toString('base64url');

export const mediaUnavailable = () => new ApiError('unavailable', 'Video calls are unavailable right now; try again.');

type Attempt =
  | { kind: 'open'; doc: MediaRoomDoc }
  | { kind: 'raced' }
  | { kind: 'collision' }
  | { kind: 'unreachable'; err: unknown };

export function mediaService({ MediaRoom, crypto, clock, logger }: MediaDeps, options: MediaOptions) {
  const idleMs = options.idleMs ?? DEFAULTS.idleMs;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const downForMs = options.downForMs ?? DEFAULTS.downForMs;
  const keepClosedMs = options.keepClosedMs ?? DEFAULTS.keepClosedMs;
  // A `creating` room older than this was left by a node that died mid-create (or whose create is hanging).
  const staleCreateMs = 2 * timeoutMs + 5_000;
  const instances = options.instances.map((i) => ({ ...i, url: i.url.replace(/\/+$/, '') }));
  const byUrl = new Map(instances.map((i) => [i.url, i]));
  const controls = new Map<string, VideoRoomControl>();
  const downUntil = new Map<string, number>();
  const listeners = new Set<(event: RoomEvent) => void>();
  const MediaLoss = mediaLossModel(MediaRoom.db);
  const clientOptions: JanusClientOptions & { keepaliveMs?: number } = {
    timeoutMs,
    ...(options.keepaliveMs ? { keepaliveMs: options.keepaliveMs } : {}),
  };

  /** Rooms on an instance that left JANUS_URLS can still be destroyed: that needs only the room's secret. */
  function control(url: string): VideoRoomControl {
    let c = controls.get(url);
    if (!c) {
      c = new VideoRoomControl(url, byUrl.get(url)?.adminKey, clientOptions);
      controls.set(url, c);
    }
    return c;
  }

  const scopeOf = (practiceId: Types.ObjectId | string | null) => (practiceId ? String(practiceId) : NETWORK_KEY_SCOPE);

  const seal = (id: Types.ObjectId, practiceId: Types.ObjectId | string | null, secrets: RoomSecrets) =>
    crypto.encryptText(scopeOf(practiceId), JSON.stringify({ ...secrets, room: String(id) }));

  async function unseal(doc: MediaRoomDoc): Promise<RoomSecrets> {
    const secrets = JSON.parse(await crypto.decryptText(scopeOf(doc.practiceId), doc.secretsEnc)) as RoomSecrets;
    if (secrets.room !== String(doc._id)) throw new Error(`media room ${doc._id} holds another room's secrets`);
    return secrets;
  }

  /** Moves a room out of the live states and frees its call's slot; false if it was not in `from` any more. */
  async function retire(
    doc: Pick<MediaRoomDoc, '_id'>,
    from: MediaRoomState[],
    to: 'closing' | 'closed',
    reason: CloseReason,
  ): Promise<boolean> {
    const res = await MediaRoom.updateOne(
      { _id: doc._id, state: { $in: from } },
      {
        $set: {
          state: to,
          slot: `closed:${doc._id}`,
          closeReason: reason,
          ...(to === 'closed' ? { closedAt: clock.now() } : {}),
        },
      },
    );
    return res.modifiedCount === 1;
  }

  /** Destroys a `closing` room on its instance, then marks it closed; on failure it stays `closing` for the sweep. */
  async function finishClose(doc: MediaRoomDoc): Promise<boolean> {
    const started = performance.now();
    try {
      const { secret } = await unseal(doc);
      const existed = await control(doc.instanceUrl).destroy(doc.roomId, secret);
      await MediaRoom.updateOne(
        { _id: doc._id, state: 'closing' },
        { $set: { state: 'closed', closedAt: clock.now() } },
      );
      logger.info(
        {
          callId: doc.callId,
          roomId: doc.roomId,
          reason: doc.closeReason,
          existed,
          ms: Math.round(performance.now() - started),
        },
        'media room destroyed',
      );
      return true;
    } catch (err) {
      logger.warn({ err: safeError(err), callId: doc.callId, roomId: doc.roomId }, 'media room destroy failed');
      return false;
    }
  }

  /** The call's live room; waits while another request (or node) is still creating it. */
  async function liveRoom(callId: string): Promise<MediaRoomDoc | null> {
    const deadline = Date.now() + timeoutMs + 1_000;
    for (;;) {
      const doc = await MediaRoom.findOne({ slot: callId }).lean<MediaRoomDoc>();
      if (!doc || doc.state === 'open') return doc;
      if (Date.now() > deadline) throw mediaUnavailable();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Tells the listeners (usage, calls) about an event of one of our rooms; one failing does not stop the others. */
  function tell(event: RoomEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        logger.warn({ err: safeError(err) }, 'media event listener failed');
      }
    }
  }

  /** Whether this node is the one to tell that the room was lost (see MediaLossDoc): the first insert wins. */
  async function firstToTell(doc: Pick<MediaRoomDoc, '_id'>): Promise<boolean> {
    try {
      await MediaLoss.create({ _id: String(doc._id), at: clock.now() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /**
   * Whether the call's live room was lost with its Janus: the instance refuses connections (it died) or no longer has
   * the room (it restarted). Such a room is retired and its listeners hear `media-lost`, so the call's next join opens
   * a room on an instance that answers. A Janus that is only slow keeps its room: moving it could split the call.
   */
  async function lost(doc: MediaRoomDoc): Promise<boolean> {
    let reason: CloseReason;
    try {
      if (await control(doc.instanceUrl).exists(doc.roomId)) return false;
      reason = 'gone';
    } catch (err) {
      if (!(err instanceof JanusUnavailableError) || err.sent) return false;
      downUntil.set(doc.instanceUrl, Date.now() + downForMs);
      reason = 'unreachable';
    }
    if ((await retire(doc, ['open'], 'closed', reason)) && (await firstToTell(doc))) {
      logger.warn({ callId: doc.callId, roomId: doc.roomId, instance: doc.instanceUrl, reason }, 'media room lost');
      tell({
        callId: doc.callId,
        practiceId: doc.practiceId ? String(doc.practiceId) : null,
        roomId: doc.roomId,
        event: MEDIA_LOST,
        participantId: null,
        sessionId: null,
        handleId: null,
        at: clock.now(),
      });
    }
    return true;
  }

  /** Configured instances, least-loaded first (rooms they host by our mapping); ones that refused us go last. */
  async function ranked(): Promise<JanusInstance[]> {
    const now = Date.now();
    const rows = await Promise.all(
      instances.map(async (instance) => ({
        instance,
        down: (downUntil.get(instance.url) ?? 0) > now ? 1 : 0,
        rooms: await MediaRoom.countDocuments({
          instanceUrl: instance.url,
          state: { $in: [...LIVE_STATES, 'closing'] },
        }),
        tie: Math.random(),
      })),
    );
    rows.sort((a, b) => a.down - b.down || a.rooms - b.rooms || a.tie - b.tie);
    return rows.map((r) => r.instance);
  }

  async function attempt(instance: JanusInstance, input: OpenRoomInput): Promise<Attempt> {
    const _id = new Types.ObjectId();
    const roomId = newRoomId();
    const secrets: RoomSecrets = {
      room: String(_id),
      secret: secret(),
      pin: secret(),
      tokens: Object.fromEntries(input.participants.map((userId) => [userId, secret()])),
    };
    const now = clock.now();
    try {
      await MediaRoom.create({
        _id,
        callId: input.callId,
        slot: input.callId,
        practiceId: input.practiceId ? new Types.ObjectId(input.practiceId) : null,
        participantIds: input.participants.map((u) => new Types.ObjectId(u)),
        instanceUrl: instance.url,
        roomId,
        secretsEnc: await seal(_id, input.practiceId, secrets),
        state: 'creating',
        createdAt: now,
        lastSeenAt: now,
        endsAt: input.endsAt ?? null,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either the call got a room meanwhile (another request or node), or the random room id is taken.
      return (await MediaRoom.exists({ slot: input.callId })) ? { kind: 'raced' } : { kind: 'collision' };
    }

    const started = performance.now();
    try {
      await control(instance.url).create({
        room: roomId,
        secret: secrets.secret,
        pin: secrets.pin,
        allowed: Object.values(secrets.tokens),
        publishers: Math.max(2, input.participants.length),
      });
    } catch (err) {
      if (err instanceof JanusError) {
        // Refused, so nothing exists on Janus.
        await retire({ _id }, ['creating'], 'closed', 'create_failed');
        if (err.code === VIDEOROOM_ERROR.ROOM_EXISTS) return { kind: 'collision' };
        logger.error({ err: safeError(err), janusCode: err.code, instance: instance.url }, 'Janus refused a room');
        throw mediaUnavailable();
      }
      if (err instanceof JanusUnavailableError && !err.sent) {
        await retire({ _id }, ['creating'], 'closed', 'unreachable');
        return { kind: 'unreachable', err };
      }
      // Janus may have created it: hand it to the sweep, which destroys it if it exists.
      await retire({ _id }, ['creating'], 'closing', 'create_failed');
      logger.warn({ err: safeError(err), instance: instance.url, callId: input.callId }, 'media room create unsure');
      throw mediaUnavailable();
    }

    const doc = await MediaRoom.findOneAndUpdate(
      { _id, state: 'creating' },
      { $set: { state: 'open' } },
      { returnDocument: 'after' },
    ).lean<MediaRoomDoc>();
    if (!doc) {
      // Closed while we were creating it (a hang-up, a sweep): whoever closed it may have found nothing to destroy.
      await control(instance.url)
        .destroy(roomId, secrets.secret)
        .catch(() => {});
      await MediaRoom.updateOne({ _id, state: 'closing' }, { $set: { state: 'closed', closedAt: clock.now() } });
      throw new ApiError('conflict', 'The call ended while its room was being opened.');
    }
    logger.info(
      { callId: input.callId, roomId, instance: instance.url, ms: Math.round(performance.now() - started) },
      'media room opened',
    );
    return { kind: 'open', doc };
  }

  const view = (doc: MediaRoomDoc): OpenedRoom => ({
    callId: doc.callId,
    instanceUrl: doc.instanceUrl,
    roomId: doc.roomId,
  });

  return {
    /**
     * The call's room, created on the least-loaded instance unless it already has one (then that one, whoever
     * opened it). A Janus that refuses connections is skipped for the next; one that may have acted on the
     * request (a timeout) is not retried elsewhere: that could leave two rooms, so the caller gets 503.
     */
    async openRoom(input: OpenRoomInput): Promise<OpenedRoom> {
      if (instances.length === 0) throw mediaUnavailable();
      if (input.participants.length === 0) throw new Error('a room needs participants');
      for (const id of [...input.participants, ...(input.practiceId ? [input.practiceId] : [])])
        if (!Types.ObjectId.isValid(id)) throw new Error(`not an id: ${id}`);
      const existing = await liveRoom(input.callId);
      if (existing && !(await lost(existing))) return view(existing);
      let unreachable: unknown;
      for (const instance of await ranked()) {
        for (let tries = 0; tries < 3; tries++) {
          const result = await attempt(instance, input);
          if (result.kind === 'open') {
            downUntil.delete(instance.url);
            return view(result.doc);
          }
          if (result.kind === 'raced') {
            const live = await liveRoom(input.callId);
            if (live) return view(live);
            continue;
          }
          if (result.kind === 'unreachable') {
            unreachable = result.err;
            downUntil.set(instance.url, Date.now() + downForMs);
            logger.warn({ instance: instance.url }, 'Janus instance unreachable');
            break;
          }
        }
      }
      logger.error({ err: safeError(unreachable) }, 'no Janus instance could open a room');
      throw mediaUnavailable();
    },

    /** Janus credentials for one participant of the call's open room; counts as activity in the room. */
    async credentialsFor(callId: string, userId: string): Promise<RoomCredentials> {
      const doc = await MediaRoom.findOne({ slot: callId, state: 'open' }).lean<MediaRoomDoc>();
      if (!doc) throw notFound('video room');
      if (!doc.participantIds.some((id) => String(id) === userId))
        throw forbidden('Only the participants of this call may join it.');
      const secrets = await unseal(doc);
      const token = secrets.tokens[userId];
      if (!token) throw forbidden('Your access to this call was withdrawn.');
      await MediaRoom.updateOne({ _id: doc._id, state: 'open' }, { $set: { lastSeenAt: clock.now() } });
      return {
        instanceUrl: byUrl.get(doc.instanceUrl)?.publicUrl ?? doc.instanceUrl,
        roomId: doc.roomId,
        pin: secrets.pin,
        token,
      };
    },

    /**
     * Withdraws one participant's token, at Janus first and then in our record. Janus cannot tell which feed used
     * which token, so everyone in the room is kicked: the remaining participants' clients rejoin with their own
     * (still valid) tokens, the withdrawn one cannot. Returns how many feeds were kicked.
     */
    async revokeParticipant(callId: string, userId: string): Promise<number> {
      for (let tries = 0; tries < 5; tries++) {
        const doc = await MediaRoom.findOne({ slot: callId, state: 'open' }).lean<MediaRoomDoc>();
        if (!doc) return 0;
        const secrets = await unseal(doc);
        const token = secrets.tokens[userId];
        if (!token) return 0;
        const room = control(doc.instanceUrl);
        await room.allowed(doc.roomId, secrets.secret, 'remove', [token]);
        delete secrets.tokens[userId];
        const res = await MediaRoom.updateOne(
          { _id: doc._id, rev: doc.rev },
          { $set: { secretsEnc: await seal(doc._id, doc.practiceId, secrets) }, $inc: { rev: 1 } },
        );
        if (res.modifiedCount !== 1) continue;
        const feeds = await room.listParticipants(doc.roomId);
        await Promise.all(feeds.map((f) => room.kick(doc.roomId, secrets.secret, f.id)));
        return feeds.length;
      }
      throw new ApiError('conflict', 'The call is being changed by someone else; try again.');
    },

    /** Ends the call's room and destroys it on Janus; idempotent, and safe from any node. */
    async closeRoom(callId: string, reason: CloseReason = 'hangup'): Promise<void> {
      const doc = await MediaRoom.findOne({ slot: callId }).lean<MediaRoomDoc>();
      if (doc) await retire(doc, LIVE_STATES, 'closing', reason);
      const closing = await MediaRoom.find({ callId, state: 'closing' }).lean<MediaRoomDoc[]>();
      await Promise.all(closing.map(finishClose));
    },

    /** Moves the end of the room's window (a rescheduled appointment); null for none. */
    async setEndsAt(callId: string, endsAt: Date | null): Promise<void> {
      await MediaRoom.updateOne({ slot: callId }, { $set: { endsAt } });
    },

    /**
     * Destroys rooms past their end and rooms nobody has been in for `idleMs`, forgets rooms Janus no longer has
     * (it restarted), resolves creates that never finished, retries pending destroys, and deletes old records.
     * One `list` per instance (the admin key shows private rooms with their participant counts).
     */
    async sweep(): Promise<SweepResult> {
      const now = clock.now();
      const result: SweepResult = { idle: 0, ended: 0, gone: 0, destroyed: 0, unreachable: [] };

      const ended = await MediaRoom.find({ state: 'open', endsAt: { $lte: now } }, { _id: 1 }).lean();
      for (const doc of ended) if (await retire(doc, ['open'], 'closing', 'ended')) result.ended++;

      const stale = await MediaRoom.find(
        { state: 'creating', createdAt: { $lt: new Date(now.getTime() - staleCreateMs) } },
        { _id: 1 },
      ).lean();
      for (const doc of stale) await retire(doc, ['creating'], 'closing', 'create_failed');

      const mapped = (await MediaRoom.distinct('instanceUrl', { state: 'open' })) as string[];
      const urls = new Set<string>([...instances.map((i) => i.url), ...mapped]);
      for (const url of urls) {
        const open = await MediaRoom.find({ state: 'open', instanceUrl: url }).lean<MediaRoomDoc[]>();
        if (open.length === 0) continue;
        let rooms: Map<number, number>;
        try {
          rooms = new Map((await control(url).list()).map((r) => [r.room, r.num_participants]));
        } catch (err) {
          logger.warn({ err: safeError(err), instance: url }, 'Janus instance unreachable during sweep');
          result.unreachable.push(url);
          // It refused us (it died): its calls hear of it now, not at their next join.
          if (err instanceof JanusUnavailableError && !err.sent) for (const doc of open) await lost(doc);
          continue;
        }
        for (const doc of open) {
          const occupants = rooms.get(doc.roomId);
          if (occupants === undefined) {
            // Not in the list: confirm (it may have been created after the list was taken) before forgetting it.
            if (!(await control(url).exists(doc.roomId)) && (await retire(doc, ['open'], 'closed', 'gone')))
              result.gone++;
          } else if (occupants > 0) {
            await MediaRoom.updateOne({ _id: doc._id, state: 'open' }, { $set: { lastSeenAt: now } });
          } else if (now.getTime() - doc.lastSeenAt.getTime() >= idleMs) {
            if (await retire(doc, ['open'], 'closing', 'idle')) result.idle++;
          }
        }
      }

      const closing = await MediaRoom.find({ state: 'closing' }).lean<MediaRoomDoc[]>();
      for (const doc of closing) if (await finishClose(doc)) result.destroyed++;

      await MediaRoom.deleteMany({ state: 'closed', closedAt: { $lt: new Date(now.getTime() - keepClosedMs) } });
      await MediaLoss.deleteMany({ at: { $lt: new Date(now.getTime() - keepClosedMs) } });
      return result;
    },

    /**
     * Takes a POST of Janus's HTTP event handler (one event or an array): videoroom events keep their room from
     * counting as idle and go to the listeners (usage). Events of rooms we do not know are ignored.
     */
    async ingestEvents(payload: unknown): Promise<number> {
      const events = (Array.isArray(payload) ? payload : [payload]) as JanusHandlerEvent[];
      const relevant = events.filter(
        (e) =>
          e?.type === 64 &&
          e.event?.plugin === VIDEOROOM_PLUGIN &&
          typeof e.event.data?.room === 'number' &&
          typeof e.event.data.event === 'string',
      );
      if (relevant.length === 0) return 0;
      const roomIds = [...new Set(relevant.map((e) => e.event!.data!.room as number))];
      const docs = await MediaRoom.find({ roomId: { $in: roomIds } }).lean<MediaRoomDoc[]>();
      const byRoom = new Map(docs.map((d) => [d.roomId, d]));
      const now = clock.now();
      await MediaRoom.updateMany({ roomId: { $in: roomIds }, state: 'open' }, { $set: { lastSeenAt: now } });
      let delivered = 0;
      for (const e of relevant) {
        const data = e.event!.data!;
        const doc = byRoom.get(data.room as number);
        if (!doc) continue;
        const event: RoomEvent = {
          callId: doc.callId,
          practiceId: doc.practiceId ? String(doc.practiceId) : null,
          roomId: doc.roomId,
          event: data.event as string,
          participantId: typeof data.id === 'number' ? data.id : null,
          sessionId: typeof e.session_id === 'number' ? e.session_id : null,
          handleId: typeof e.handle_id === 'number' ? e.handle_id : null,
          // Janus stamps events in microseconds of wall-clock time.
          at: typeof e.timestamp === 'number' ? new Date(Math.floor(e.timestamp / 1000)) : now,
        };
        delivered++;
        tell(event);
      }
      return delivered;
    },

    /** Subscribes to videoroom events of our rooms (joined, leaving…); returns the unsubscribe function. */
    onRoomEvent(listener: (event: RoomEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Ends the control sessions and their keepalive timers. */
    async stop(): Promise<void> {
      await Promise.all([...controls.values()].map((c) => c.close()));
      controls.clear();
    },
  };
}

/** What Janus's sampleevh posts (one object, or an array of them when grouping). */
interface JanusHandlerEvent {
  emitter?: string;
  type?: number;
  timestamp?: number;
  session_id?: number;
  handle_id?: number;
  event?: { plugin?: string; data?: Record<string, unknown> };
}

export type MediaService = ReturnType<typeof mediaService>;
