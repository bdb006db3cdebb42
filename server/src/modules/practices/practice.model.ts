import { Role, type Address, type DirectoryFields } from '@clocktree/protocol';
import { Schema, type Connection, type Types } from 'mongoose';

export interface MemberDoc {
  userId: Types.ObjectId;
  role: Role;
  addedAt: Date;
}

/** A message service. Its name and description can say what clients are treated for: sealed like message bodies. */
export interface ServiceDoc {
  _id: Types.ObjectId;
  nameEnc: Buffer;
  descriptionEnc: Buffer;
  assigneeIds: Types.ObjectId[];
}

/** Members and services live inside the practice document so every change to them is one atomic update. */
export interface PracticeDoc extends DirectoryFields {
  _id: Types.ObjectId;
  name: string;
  phone: string;
  address: Address;
  /** IANA name: appointment times are shown, entered and mailed in it. */
  timeZone: string;
  /** Empty: the neutral default sender name. */
  mailFromName: string;
  replyTo: string;
  allowedOrigins: string[];
  directoryOptIn: boolean;
  members: MemberDoc[];
  contactUsAssigneeIds: Types.ObjectId[];
  services: ServiceDoc[];
  /** Whether a photo is stored (practice-photo.model.ts). */
  hasPhoto: boolean;
  /** Counts photo uploads, never reset: each photo gets a URL (`?v=`) of its own, cached for a year. */
  photoRev: number;
  /** Bumped by every membership change: writers compare-and-set on it (see addMember). */
  rev: number;
  createdAt: Date;
}

const memberSchema = new Schema<MemberDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, required: true, enum: Role.options },
    addedAt: { type: Date, required: true },
  },
  { _id: false },
);

const serviceSchema = new Schema<ServiceDoc>({
  nameEnc: { type: Buffer, required: true },
  descriptionEnc: { type: Buffer, required: true },
  assigneeIds: { type: [Schema.Types.ObjectId], default: [] },
});

const practiceSchema = new Schema<PracticeDoc>(
  {
    name: { type: String, required: true },
    phone: { type: String, default: '' },
    address: {
      type: new Schema<Address>(
        {
          street: { type: String, default: '' },
          city: { type: String, default: '' },
          region: { type: String, default: '' },
          postcode: { type: String, default: '' },
          country: { type: String, default: '' },
        },
        { _id: false },
      ),
      default: () => ({}),
    },
    timeZone: { type: String, default: 'UTC' },
    mailFromName: { type: String, default: '' },
    replyTo: { type: String, default: '' },
    specialties: { type: [String], default: [] },
    issues: { type: [String], default: [] },
    approaches: { type: [String], default: [] },
    languages: { type: [String], default: [] },
    inPerson: { type: Boolean, default: false },
    telehealth: { type: Boolean, default: false },
    acceptingNewClients: { type: Boolean, default: false },
    insurance: { type: [String], default: [] },
    slidingScale: { type: Boolean, default: false },
    about: { type: String, default: '' },
    allowedOrigins: { type: [String], default: [], index: true },
    directoryOptIn: { type: Boolean, default: false },
    members: { type: [memberSchema], default: [] },
    contactUsAssigneeIds: { type: [Schema.Types.ObjectId], default: [] },
    services: { type: [serviceSchema], default: [] },
    hasPhoto: { type: Boolean, default: false },
    photoRev: { type: Number, default: 0 },
    rev: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
practiceSchema.index({ 'members.userId': 1 });

export const practiceModel = (db: Connection) => db.model<PracticeDoc>('Practice', practiceSchema, 'practices');
