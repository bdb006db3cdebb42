import { Schema, type Connection, type Types } from 'mongoose';

/** What a single-use e-mail link is for: a prospect's way into their Contact Us thread, or a password reset. */
export type LinkPurpose = 'prospect' | 'reset';

/** A single-use link mailed to someone; only the SHA-256 of its token is stored, the token exists only in the mail. */
export interface LinkTokenDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  purpose: LinkPurpose;
  /** What the link opens: a prospect's thread, or the account whose password it resets. */
  threadId: Types.ObjectId | null;
  userId: Types.ObjectId | null;
  expiresAt: Date;
  usedAt: Date | null;
  /**
   * Swept after this. A prospect link outlives its use for a while, so "send me a new link" still finds the
   * address it was sent to; a reset link is swept once expired.
   */
  keepUntil: Date;
}

const linkTokenSchema = new Schema<LinkTokenDoc>(
  {
    tokenHash: { type: String, required: true, unique: true },
    // Links stored before purposes existed were all prospect links.
    purpose: { type: String, enum: ['prospect', 'reset'], default: 'prospect' },
    threadId: { type: Schema.Types.ObjectId, default: null },
    userId: { type: Schema.Types.ObjectId, default: null, index: true },
    expiresAt: { type: Date, required: true, index: true },
    usedAt: { type: Date, default: null },
    keepUntil: { type: Date, index: true },
  },
  { versionKey: false, strict: 'throw' },
);

export const linkTokenModel = (db: Connection) => db.model<LinkTokenDoc>('LinkToken', linkTokenSchema, 'link_tokens');
