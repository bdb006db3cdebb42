import { UserKind } from '@clocktree/protocol';
import { Schema, type Connection, type Types } from 'mongoose';
import type { UserDoc } from '../../context.ts';

export type { UserDoc } from '../../context.ts';

const userSchema = new Schema<UserDoc>(
  {
    emailIndex: { type: String, required: true, unique: true },
    emailEnc: { type: Buffer, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true, enum: UserKind.options },
    passwordHash: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);

export interface SessionDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  userId: Types.ObjectId;
  createdAt: Date;
  lastUsedAt: Date;
  /** Slides forward on every use: the idle limit is HIPAA's automatic logoff. */
  expiresAt: Date;
  revokedAt: Date | null;
  /**
   * The `Origin` of the page it was signed in from; null when no browser sent one (a server, a script). The session
   * works only from that origin (or without any), so a token lifted from one site is useless on another.
   */
  origin: string | null;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    revokedAt: { type: Date, default: null },
    origin: { type: String, default: null },
  },
  { versionKey: false, strict: 'throw' },
);

export const userModel = (db: Connection) => db.model<UserDoc>('User', userSchema, 'users');
export const sessionModel = (db: Connection) => db.model<SessionDoc>('Session', sessionSchema, 'sessions');
