import { Schema, type Connection, type Types } from 'mongoose';

/** A user is a client of a practice through one link; a person may be a client of several practices. */
export interface ClientLinkDoc {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  userId: Types.ObjectId;
  /** The name the practice knows the client by, sealed with the practice's data key (client-name.ts). */
  nameEnc: Buffer;
  createdAt: Date;
}

const clientLinkSchema = new Schema<ClientLinkDoc>(
  {
    practiceId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    nameEnc: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
clientLinkSchema.index({ practiceId: 1, userId: 1 }, { unique: true });

export const clientLinkModel = (db: Connection) =>
  db.model<ClientLinkDoc>('ClientLink', clientLinkSchema, 'client_links');

/**
 * A client the practice unlinked (`DELETE /practices/:pid/clients/:clientId`): their link is gone, so every rule that
 * asks "is this a client" says no, and this record makes the conversations they had with the practice unreadable
 * to them from then on (threads.service). Linking them again (an accepted invitation) removes it.
 */
export interface FormerClientDoc {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  userId: Types.ObjectId;
  removedAt: Date;
}

const formerClientSchema = new Schema<FormerClientDoc>(
  {
    practiceId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    removedAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
formerClientSchema.index({ practiceId: 1, userId: 1 }, { unique: true });

export const formerClientModel = (db: Connection) =>
  db.model<FormerClientDoc>('FormerClient', formerClientSchema, 'former_clients');
