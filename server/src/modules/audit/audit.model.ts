import { Schema, type Connection, type Types } from 'mongoose';

export interface AuditDoc {
  _id: Types.ObjectId;
  actorId: Types.ObjectId | null;
  practiceId: Types.ObjectId | null;
  action: string;
  target: string | null;
  time: Date;
  ip: string;
}

const auditSchema = new Schema<AuditDoc>(
  {
    actorId: { type: Schema.Types.ObjectId, default: null },
    practiceId: { type: Schema.Types.ObjectId, default: null },
    action: { type: String, required: true },
    target: { type: String, default: null },
    time: { type: Date, required: true },
    ip: { type: String, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
auditSchema.index({ practiceId: 1, _id: -1 });

// Append-only: refuse every update and delete issued through the model, whatever code asks.
const refuse = () => {
  throw new Error('the audit log is append-only');
};
for (const op of [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'replaceOne',
  'deleteOne',
  'deleteMany',
] as const) {
  auditSchema.pre(op, refuse);
}

export const auditModel = (db: Connection) => db.model<AuditDoc>('Audit', auditSchema, 'audit_log');
