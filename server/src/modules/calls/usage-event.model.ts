import { CallKind } from '@clocktree/protocol';
import { Schema, type Connection, type Types } from 'mongoose';

/**
 * One joined/leaving/kicked/destroyed event of a video room, as Janus's event handler reported it. Each event is its
 * own insert under an id made of what Janus said (room, time, event, feed, handle), so a retransmitted event is a
 * duplicate key and changes nothing, and events arriving in any order on any node never overwrite each other.
 * Connected time is computed from them when read.
 */
export interface UsageEventDoc {
  _id: string;
  /** Janus room id: unique across all instances (media.service.ts). */
  roomId: number;
  mediaKey: string;
  kind: CallKind;
  callId: Types.ObjectId | null;
  appointmentId: Types.ObjectId | null;
  /** Null for My Network calls, which are recorded but never billed. */
  practiceId: Types.ObjectId | null;
  billed: boolean;
  at: Date;
  event: string;
  /** Janus's participant (feed) id; null for room-wide events. */
  feed: number | null;
}

const usageEventSchema = new Schema<UsageEventDoc>(
  {
    _id: { type: String, required: true },
    roomId: { type: Number, required: true },
    mediaKey: { type: String, required: true },
    kind: { type: String, required: true, enum: CallKind.options },
    callId: { type: Schema.Types.ObjectId, default: null },
    appointmentId: { type: Schema.Types.ObjectId, default: null },
    practiceId: { type: Schema.Types.ObjectId, default: null },
    billed: { type: Boolean, required: true },
    at: { type: Date, required: true },
    event: { type: String, required: true },
    feed: { type: Number, default: null },
  },
  { versionKey: false, strict: 'throw' },
);
usageEventSchema.index({ practiceId: 1, at: 1 });
usageEventSchema.index({ roomId: 1 });

export const usageEventModel = (db: Connection) =>
  db.model<UsageEventDoc>('UsageEvent', usageEventSchema, 'usage_events');
