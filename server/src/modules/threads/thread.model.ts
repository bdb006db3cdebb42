import { AuthorRole, ThreadKind, ThreadStatus } from '@clocktree/protocol';
import { Schema, type Connection, type Types } from 'mongoose';

export interface ThreadDoc {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId | null;
  kind: ThreadKind;
  clientId: Types.ObjectId | null;
  /** Who wrote in through Contact Us, sealed with the practice's data key: `{name, email, phone}` as JSON. */
  contactEnc: Buffer | null;
  /** Sealed with the practice's data key. */
  subjectEnc: Buffer | null;
  serviceId: Types.ObjectId | null;
  /** The colleague who started a `direct` thread: the one notified of its replies. */
  startedBy: Types.ObjectId | null;
  /**
   * `network` threads (no practice): the My Network connection they were started on, whose id names their data key,
   * and the two professionals who read them, for good (removing the connection ends new messages, not reading).
   */
  connectionId: Types.ObjectId | null;
  peerIds: Types.ObjectId[];
  closedAt: Date | null;
  /** Set when the 2-days-left warning for the current awaiting period was claimed, so it goes out once. */
  warnedAt: Date | null;
  status: ThreadStatus;
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
    kind: { type: String, required: true, enum: ThreadKind.options },
    clientId: { type: Schema.Types.ObjectId, default: null },
    contactEnc: { type: Buffer, default: null },
    subjectEnc: { type: Buffer, default: null },
    serviceId: { type: Schema.Types.ObjectId, default: null },
    startedBy: { type: Schema.Types.ObjectId, default: null },
    connectionId: { type: Schema.Types.ObjectId, default: null },
    peerIds: { type: [Schema.Types.ObjectId], default: [] },
    closedAt: { type: Date, default: null },
    warnedAt: { type: Date, default: null },
    status: { type: String, required: true, enum: ThreadStatus.options },
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
threadSchema.index({ awaiting: 1, awaitingSince: 1 });
// A practice's oldest thread awaiting its answer: the directory's 7-day rule (thread-queries.ts `listedUntil`).
threadSchema.index({ practiceId: 1, awaiting: 1, awaitingSince: 1 });
threadSchema.index({ peerIds: 1, lastMessageAt: -1 });

export interface MessageDoc {
  _id: Types.ObjectId;
  threadId: Types.ObjectId;
  seq: number;
  authorId: Types.ObjectId | null;
  authorRole: AuthorRole;
  /** Sealed with the practice's data key. */
  bodyEnc: Buffer;
  /** File names sealed with the practice's data key, as their uploads stored them. */
  attachments: { id: Types.ObjectId; nameEnc: Buffer; size: number; type: string }[];
  createdAt: Date;
  /**
   * The notification outbox, in the same document as the message so that storing one stores the other: a crash
   * between the write and the e-mail leaves a pending entry that the relay sends later.
   */
  notify: NotifyDoc | null;
}

export interface NotifyDoc {
  state: 'pending' | 'done';
  /** Not before this time: a colleague who sees the message live in the meantime gets no e-mail. */
  due: Date;
  claimedUntil: Date | null;
  /** Which relay run holds the claim: it finds what it claimed by this, and only it may mark the entry done. */
  claim?: string | null;
  /** User ids to tell, or `prospect` for the Contact Us writer without an account. */
  recipients: string[];
  /** Recipients already handled, so a retried relay run never mails one twice. */
  done: string[];
}

const messageSchema = new Schema<MessageDoc>(
  {
    threadId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    authorId: { type: Schema.Types.ObjectId, default: null },
    authorRole: { type: String, required: true, enum: AuthorRole.options },
    bodyEnc: { type: Buffer, required: true },
    attachments: {
      type: [new Schema({ id: Schema.Types.ObjectId, nameEnc: Buffer, size: Number, type: String }, { _id: false })],
      default: [],
    },
    createdAt: { type: Date, required: true },
    notify: {
      type: new Schema(
        {
          state: { type: String, enum: ['pending', 'done'], required: true },
          due: { type: Date, required: true },
          claimedUntil: { type: Date, default: null },
          claim: { type: String, default: null },
          recipients: { type: [String], default: [] },
          done: { type: [String], default: [] },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { versionKey: false, strict: 'throw' },
);
messageSchema.index({ threadId: 1, seq: 1 }, { unique: true });
messageSchema.index({ 'notify.state': 1, 'notify.due': 1 });

/** How far each user has read each thread. Viewing moves this; it never touches `awaiting`. */
export interface ThreadReadDoc {
  _id: Types.ObjectId;
  threadId: Types.ObjectId;
  userId: Types.ObjectId;
  seq: number;
}

const threadReadSchema = new Schema<ThreadReadDoc>(
  {
    threadId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
threadReadSchema.index({ threadId: 1, userId: 1 }, { unique: true });
threadReadSchema.index({ userId: 1 });

/** One logical send per key: the message id is chosen when the key is first seen. Removed after 24 h. */
export interface IdempotencyDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  key: string;
  threadId: Types.ObjectId;
  bodyHash: string;
  messageId: Types.ObjectId;
  createdAt: Date;
}

const idempotencySchema = new Schema<IdempotencyDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    threadId: { type: Schema.Types.ObjectId, required: true },
    bodyHash: { type: String, required: true },
    messageId: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true, index: true },
  },
  { versionKey: false, strict: 'throw' },
);
idempotencySchema.index({ userId: 1, key: 1 }, { unique: true });

export const threadModel = (db: Connection) => db.model<ThreadDoc>('Thread', threadSchema, 'threads');
export const messageModel = (db: Connection) => db.model<MessageDoc>('Message', messageSchema, 'messages');
export const threadReadModel = (db: Connection) =>
  db.model<ThreadReadDoc>('ThreadRead', threadReadSchema, 'thread_reads');
export const idempotencyModel = (db: Connection) =>
  db.model<IdempotencyDoc>('Idempotency', idempotencySchema, 'idempotency_keys');
