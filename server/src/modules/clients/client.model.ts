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
