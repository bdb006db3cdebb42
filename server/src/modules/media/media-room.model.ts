import { Schema, type Connection, type Types } from 'mongoose';

/**
 * - `creating`: written before Janus is asked, so a room whose create timed out is still known (with its secret)
 *   and gets destroyed by the sweep instead of living on in Janus forever.
 * - `open`: Janus confirmed the room.
 * - `closing`: no longer handed out; its destroy on Janus is pending or being retried.
 * - `closed`: gone from Janus (destroyed, or Janus lost it).
 */
export type MediaRoomState = 'creating' | 'open' | 'closing' | 'closed';
export const LIVE_STATES: MediaRoomState[] = ['creating', 'open'];

export type CloseReason = 'hangup' | 'ended' | 'idle' | 'gone' | 'create_failed' | 'unreachable';

/** The room of one call on one Janus instance: the mapping that lets any server node use or end it. */
export interface MediaRoomDoc {
  _id: Types.ObjectId;
  callId: string;
  /**
   * `callId` while the room is live (creating/open), `closed:<_id>` afterwards: the unique index on it allows one
   * live room per call (FerretDB v1 has no partial indexes) and lets a later room for the same call be opened.
   */
  slot: string;
  /** Null for a My Network call; otherwise the practice whose data key seals `secretsEnc`. */
  practiceId: Types.ObjectId | null;
  participantIds: Types.ObjectId[];
  /** The Janus HTTP API the server uses (an entry of JANUS_URLS). */
  instanceUrl: string;
  /** Janus room id: random, unique across all instances, so event handler posts map to a room by it alone. */
  roomId: number;
  /** Sealed JSON `{room: <_id>, secret, pin, tokens: {userId: token}}`; see media.service.ts. */
  secretsEnc: Buffer;
  state: MediaRoomState;
  closeReason: CloseReason | null;
  /** Compare-and-set guard for rewriting `secretsEnc` (token revocation). */
  rev: number;
  createdAt: Date;
  /** Last time someone was seen in the room (or asked to join it): the 10-minute idle rule counts from here. */
  lastSeenAt: Date;
  /** End of the appointment's window: the room is destroyed then, occupied or not. */
  endsAt: Date | null;
  closedAt: Date | null;
}

const mediaRoomSchema = new Schema<MediaRoomDoc>(
  {
    callId: { type: String, required: true, index: true },
    slot: { type: String, required: true, unique: true },
    practiceId: { type: Schema.Types.ObjectId, default: null },
    participantIds: { type: [Schema.Types.ObjectId], required: true },
    instanceUrl: { type: String, required: true },
    roomId: { type: Number, required: true, unique: true },
    secretsEnc: { type: Buffer, required: true },
    state: { type: String, required: true, enum: ['creating', 'open', 'closing', 'closed'] },
    closeReason: { type: String, default: null },
    rev: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    endsAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
  },
  { versionKey: false, strict: 'throw' },
);
mediaRoomSchema.index({ state: 1, instanceUrl: 1 });

export const mediaRoomModel = (db: Connection) => db.model<MediaRoomDoc>('MediaRoom', mediaRoomSchema, 'media_rooms');
export type MediaRoomModel = ReturnType<typeof mediaRoomModel>;

/**
 * That the loss of one room (its Janus died or forgot it) was told to its call: inserted once under the room's id,
 * never updated. Two nodes can find the same room lost at the same moment (both parties' pages joining again,
 * through different nodes); the room's retirement is a conditional update, which FerretDB v1 does not make atomic
 * across connections, so the unique `_id` of this insert decides which node tells `media-lost`.
 */
export interface MediaLossDoc {
  /** The lost room's `_id`. */
  _id: string;
  at: Date;
}

const mediaLossSchema = new Schema<MediaLossDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false, strict: 'throw' },
);
mediaLossSchema.index({ at: 1 });

/** Compiled on the connection of the room model it serves (once per connection). */
export const mediaLossModel = (db: Connection) =>
  (db.models.MediaLoss as ReturnType<typeof compileMediaLoss> | undefined) ?? compileMediaLoss(db);
const compileMediaLoss = (db: Connection) => db.model<MediaLossDoc>('MediaLoss', mediaLossSchema, 'media_losses');
