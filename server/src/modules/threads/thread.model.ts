import { Schema, type Connection, type Types } from 'mongoose';

export interface ThreadDoc {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId | null;
  kind: 'direct' | 'contact-us' | 'service' | 'network';
  clientId: Types.ObjectId | null;
  /** Who wrote in through Contact Us without (or besides) an account. */
  contact: { name: string; email: string; phone: string } | null;
  subject: string | null;
  serviceId: Types.ObjectId | null;
  status: 'open' | 'closed';
  /** True while the newest message came from the client side: the "needs response" red badge. */
  awaiting: boolean;
  awaitingSince: Date | null;
  lastMessageAt: Date;
  /** Sequence number of the newest message; clients re-sync by asking for messages after the seq they hold. */
  seq: number;
  createdAt: Date;
}

const threadSchema = new Schema<ThreadDoc>(
  {
    practiceId: { type: Schema.Types.ObjectId, default: null },
    kind: { type: String, required: true, enum: ['direct', 'contact-us', 'service', 'network'] },
    clientId: { type: Schema.Types.ObjectId, default: null },
    contact: {
      type: new Schema({ name: String, email: String, phone: String }, { _id: false }),
      default: null,
    },
    subject: { type: String, default: null },
    serviceId: { type: Schema.Types.ObjectId, default: null },
    status: { type: String, required: true, enum: ['open', 'closed'] },
    awaiting: { type: Boolean, required: true },
    awaitingSince: { type: Date, default: null },
    lastMessageAt: { type: Date, required: true },
    seq: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
threadSchema.index({ practiceId: 1, lastMessageAt: -1 });
threadSchema.index({ clientId: 1, lastMessageAt: -1 });

export interface MessageDoc {
  _id: Types.ObjectId;
  threadId: Types.ObjectId;
  seq: number;
  authorId: Types.ObjectId | null;
  authorRole: 'client' | 'prospect' | 'practice';
  body: string;
  attachments: { id: Types.ObjectId; name: string; size: number; type: string }[];
  createdAt: Date;
}

const messageSchema = new Schema<MessageDoc>(
  {
    threadId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    authorId: { type: Schema.Types.ObjectId, default: null },
    authorRole: { type: String, required: true, enum: ['client', 'prospect', 'practice'] },
    body: { type: String, required: true },
    attachments: {
      type: [new Schema({ id: Schema.Types.ObjectId, name: String, size: Number, type: String }, { _id: false })],
      default: [],
    },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
messageSchema.index({ threadId: 1, seq: 1 }, { unique: true });

export const threadModel = (db: Connection) => db.model<ThreadDoc>('Thread', threadSchema, 'threads');
export const messageModel = (db: Connection) => db.model<MessageDoc>('Message', messageSchema, 'messages');
