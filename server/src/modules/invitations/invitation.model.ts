import { InvitationRole } from '@clocktree/protocol';
import { Schema, type Connection, type Types } from 'mongoose';

/**
 * A practice's invitation of an e-mail address, as a client or a colleague. The address itself and the name the
 * practice typed are sealed with the practice's data key; `emailKey` (auth.emailKey) finds the invitations of a
 * signed-in person without the address in the clear being needed for the lookup.
 */
export interface InvitationDoc {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  role: InvitationRole;
  emailKey: string;
  emailEnc: Buffer;
  /** The name the practice typed for a client; null for colleagues, who name themselves. */
  nameEnc: Buffer | null;
  /** SHA-256 of the `#invite=` link's token: the token itself exists only in the e-mail. */
  tokenHash: string;
  /** The link stops working, and the invitation is swept, after this. Each resend moves it. */
  expiresAt: Date;
  /** When the last e-mail about it went out: a re-add within a minute sends none (a double click, two admins). */
  sentAt: Date;
  /** The invitee said no; the practice still sees "invited" until it expires, so a decline says nothing. */
  declinedAt: Date | null;
  invitedBy: Types.ObjectId | null;
  createdAt: Date;
}

const invitationSchema = new Schema<InvitationDoc>(
  {
    practiceId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, required: true, enum: InvitationRole.options },
    emailKey: { type: String, required: true, index: true },
    emailEnc: { type: Buffer, required: true },
    nameEnc: { type: Buffer, default: null },
    tokenHash: { type: String, required: true, unique: true },
    expiresAt: { type: Date, required: true, index: true },
    sentAt: { type: Date, required: true },
    declinedAt: { type: Date, default: null },
    invitedBy: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
// One invitation per address and practice: two admins adding the same address at once leave one (the insert decides,
// which FerretDB v1 also gets right under concurrency).
invitationSchema.index({ practiceId: 1, emailKey: 1 }, { unique: true });

export const invitationModel = (db: Connection) =>
  db.model<InvitationDoc>('Invitation', invitationSchema, 'invitations');
