import { Schema, type Connection, type Types } from 'mongoose';

export const PHOTO_TYPES = ['image/jpeg', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/**
 * A practice's photo, re-encoded (at most 512×512, no metadata), one document per practice under the practice's
 * id. Kept in the database rather than in the attachments' chunk store: it is public (shown on the practice's own
 * site and in the directory), so it needs no sealing or per-reader checks, and re-encoded it is tens of kilobytes,
 * far below a document's limit; one document replaced whole is also one atomic write on FerretDB v1, where GridFS
 * is untested.
 */
export interface PracticePhotoDoc {
  _id: Types.ObjectId;
  type: PhotoType;
  data: Buffer;
  width: number;
  height: number;
  /** The `?v=` of its URL (the practice's `photoRev` names the same one): a new upload is a new URL. */
  rev: number;
  updatedAt: Date;
}

const practicePhotoSchema = new Schema<PracticePhotoDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, required: true, enum: PHOTO_TYPES },
    data: { type: Buffer, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    rev: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);

export const practicePhotoModel = (db: Connection) =>
  db.model<PracticePhotoDoc>('PracticePhoto', practicePhotoSchema, 'practice_photos');
