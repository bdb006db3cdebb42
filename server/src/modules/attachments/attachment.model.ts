import type { AttachmentType } from '@clocktree/protocol';
import { ATTACHMENT_TYPES } from '@clocktree/protocol';
import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * An upload's metadata. It is written before the first chunk (`uploading`) so that a crash mid-upload leaves a
 * record the sweeper finds; only `stored` uploads can be attached or downloaded. `deleting` marks one the sweeper
 * has claimed, so it can no longer be attached while its chunks go.
 */
export interface AttachmentDoc {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  uploaderId: Types.ObjectId;
  /** The name, made inert (see file-name.ts), sealed with the practice's data key; never logged or audited. */
  nameEnc: Buffer;
  size: number;
  type: AttachmentType;
  /** Hex SHA-256 of the plaintext, checked again on every download. */
  sha256: string;
  status: 'uploading' | 'stored' | 'deleting';
  threadId: Types.ObjectId | null;
  messageId: Types.ObjectId | null;
  createdAt: Date;
  attachedAt: Date | null;
}

/**
 * One sealed piece of an upload. The `_id` is `<attachmentId>:<n>`, so reading a file is a series of `_id` lookups
 * (FerretDB's SQLite backend scans the whole collection for any other filter).
 */
export interface AttachmentChunkDoc {
  _id: string;
  attachmentId: Types.ObjectId;
  n: number;
  data: Buffer;
}

const attachmentSchema = new Schema<AttachmentDoc>(
  {
    practiceId: { type: Schema.Types.ObjectId, required: true },
    uploaderId: { type: Schema.Types.ObjectId, required: true },
    nameEnc: { type: Buffer, required: true },
    size: { type: Number, required: true },
    type: { type: String, required: true, enum: ATTACHMENT_TYPES },
    sha256: { type: String, default: '' },
    status: { type: String, required: true, enum: ['uploading', 'stored', 'deleting'] },
    threadId: { type: Schema.Types.ObjectId, default: null },
    messageId: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
    attachedAt: { type: Date, default: null },
  },
  { versionKey: false, strict: 'throw' },
);
// The sweeper's query: never-attached uploads by age.
attachmentSchema.index({ threadId: 1, createdAt: 1 });

const chunkSchema = new Schema<AttachmentChunkDoc>(
  {
    _id: { type: String, required: true },
    attachmentId: { type: Schema.Types.ObjectId, required: true },
    n: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
chunkSchema.index({ attachmentId: 1, n: 1 }, { unique: true });

export const chunkId = (attachmentId: Types.ObjectId | string, n: number) => `${attachmentId}:${n}`;

/** Both models on the given connection, compiled once per connection (compiling also builds their indexes). */
export function attachmentModels(db: Connection) {
  return {
    Attachment:
      (db.models.Attachment as Model<AttachmentDoc> | undefined) ??
      db.model<AttachmentDoc>('Attachment', attachmentSchema, 'attachments'),
    AttachmentChunk:
      (db.models.AttachmentChunk as Model<AttachmentChunkDoc> | undefined) ??
      db.model<AttachmentChunkDoc>('AttachmentChunk', chunkSchema, 'attachment_chunks'),
  };
}

export type AttachmentModels = ReturnType<typeof attachmentModels>;
