import { Schema, type Connection, type Types } from 'mongoose';

/**
 * A practice as the directory searches it: one document per practice (`_id` is the practice's id), derived from the
 * practice document (directory-keys.ts) whenever its profile is saved. Only normalized keys live here; what a card
 * shows is read from the practice itself.
 *
 * FerretDB v1 has no text indexes (nor does this design want MongoDB's): free text is matched through `terms`, a
 * stored array of normalized words and word prefixes, queried with `$all` over a multikey index, the same on both
 * databases. Filters are equality matches on stored lower-case arrays, each with its own index.
 */
export interface DirectoryEntryDoc {
  _id: Types.ObjectId;
  /** The practice opted in (`directoryOptIn`); the 7-day rule is applied at query time from the threads. */
  optIn: boolean;
  /** Lower-cased, accent-free name: the sort order. */
  nameKey: string;
  terms: string[];
  specialties: string[];
  languages: string[];
  insurance: string[];
  /** City and postcode keys (`near`). */
  places: string[];
  telehealth: boolean;
  accepting: boolean;
  updatedAt: Date;
}

const entrySchema = new Schema<DirectoryEntryDoc>(
  {
    optIn: { type: Boolean, required: true },
    nameKey: { type: String, required: true },
    terms: { type: [String], default: [] },
    specialties: { type: [String], default: [] },
    languages: { type: [String], default: [] },
    insurance: { type: [String], default: [] },
    places: { type: [String], default: [] },
    telehealth: { type: Boolean, required: true },
    accepting: { type: Boolean, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
// The unfiltered page: listed practices by name. Each filter has an index leading with its own key, so MongoDB picks
// the most selective one for a query and the rest are checked on the few documents it yields.
entrySchema.index({ optIn: 1, nameKey: 1 });
entrySchema.index({ terms: 1 });
entrySchema.index({ specialties: 1 });
entrySchema.index({ languages: 1 });
entrySchema.index({ insurance: 1 });
entrySchema.index({ places: 1 });

export const directoryEntryModel = (db: Connection) =>
  db.model<DirectoryEntryDoc>('DirectoryEntry', entrySchema, 'directory_entries');
