import { Schema, type Connection, type Types } from 'mongoose';

/**
 * A professional's invitation of an e-mail address into their network. The address and the note are sealed under
 * the inviter's own data key (the envelope's key for the inviter's user id: My Network belongs to no practice);
 * `emailKey` (auth.emailKey, the accounts' blind index) finds the invitations of a signed-in person, also of one who
 * registered after being invited.
 */
export interface NetworkInviteDoc {
  _id: Types.ObjectId;
  fromId: Types.ObjectId;
  emailKey: string;
  emailEnc: Buffer;
  noteEnc: Buffer | null;
  createdAt: Date;
  expiresAt: Date;
  /** Set by the first accept; a repeated accept answers the same connection. */
  acceptedAt: Date | null;
  connectionId: Types.ObjectId | null;
}

const inviteSchema = new Schema<NetworkInviteDoc>(
  {
    fromId: { type: Schema.Types.ObjectId, required: true },
    emailKey: { type: String, required: true, index: true },
    emailEnc: { type: Buffer, required: true },
    noteEnc: { type: Buffer, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    acceptedAt: { type: Date, default: null },
    connectionId: { type: Schema.Types.ObjectId, default: null },
  },
  { versionKey: false, strict: 'throw' },
);
// One invitation per inviter and address: a double click or a retry leaves one (the insert decides).
inviteSchema.index({ fromId: 1, emailKey: 1 }, { unique: true });

/**
 * Two connected professionals. `pairKey` is both ids in sorted order: its unique index makes "one connection per
 * pair" hold under any race (FerretDB v1 enforces unique indexes correctly under concurrency), whoever invited whom.
 *
 * Removing the connection sets `removedAt` rather than deleting it: the pair keeps one connection id for good. That id
 * names the data key of their `network` threads and the owner their files are uploaded for, so when the two connect
 * again the same document comes back (`removedAt` cleared) and their old conversations take replies and files again;
 * while it is removed, both are refused (`not_connected`) and what was exchanged stays readable to each.
 */
export interface NetworkConnectionDoc {
  _id: Types.ObjectId;
  pairKey: string;
  peerIds: Types.ObjectId[];
  /** When the pair connected, or connected again after a removal: the connection's "since". */
  createdAt: Date;
  /** Set while the connection is removed; null while the two are connected. */
  removedAt: Date | null;
}

const connectionSchema = new Schema<NetworkConnectionDoc>(
  {
    pairKey: { type: String, required: true, unique: true },
    peerIds: { type: [Schema.Types.ObjectId], required: true, index: true },
    createdAt: { type: Date, required: true },
    removedAt: { type: Date, default: null },
  },
  { versionKey: false, strict: 'throw' },
);

/** The filter of a connection in force (not removed). */
export const CONNECTED = { removedAt: null } as const;

export const pairKeyOf = (a: unknown, b: unknown) => [String(a), String(b)].sort().join(':');

export const networkInviteModel = (db: Connection) =>
  db.model<NetworkInviteDoc>('NetworkInvite', inviteSchema, 'network_invites');
export const networkConnectionModel = (db: Connection) =>
  db.model<NetworkConnectionDoc>('NetworkConnection', connectionSchema, 'network_connections');
