import type { Address, DirectoryFields } from '@clocktree/protocol';
import { Schema, type Connection, type Types } from 'mongoose';

/**
 * What a directory card shows of a practice, copied from its public profile whenever that is saved (or its photo
 * changes), so that a page of results is one query. Only public fields: the message services, whose names are sealed
 * at rest, are not copied (the card does not show them; Contact Us reads them from the practice).
 */
export interface DirectoryCard extends DirectoryFields {
  name: string;
  phone: string;
  address: Address;
  timeZone: string;
  hasPhoto: boolean;
  photoRev: number;
}

/**
 * A practice as the directory searches it: one document per practice (`_id` is the practice's id), derived from the
 * practice document (directory-keys.ts) whenever its profile is saved, with the card it shows.
 *
 * FerretDB v1 has no text indexes (nor does this design want MongoDB's): free text is matched through `terms`, a
 * stored array of normalized words and word prefixes, queried with `$all` over a multikey index, the same on both
 * databases. Filters are equality matches on stored lower-case arrays, each with its own index.
 */
export interface DirectoryEntryDoc {
  _id: Types.ObjectId;
  /** The practice opted in (`directoryOptIn`). */
  optIn: boolean;
  /**
   * The 7-day rule, kept here so that no query reads the threads: the instant the practice's oldest thread awaiting
   * its answer turns 7 days old, null while none awaits. Listed while null or later than now, so it drops out at that
   * instant with nothing running. Kept while opted in, by the thread events that change it (threads/thread-queries.ts
   * owns the rule), recomputed at start and every minute in case a crash cut one of those writes short. Not kept for
   * an entry not opted in: `NOT_KEPT` (the epoch, so not listed) from the opt-out until the refresh after an opt-in
   * (directory.service.ts).
   */
  listedUntil: Date | null;
  /** Where the practice is (geo/places.ts, from its postcode or city), or null when that is not known. */
  lat: number | null;
  lon: number | null;
  card: DirectoryCard;
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
    listedUntil: { type: Date, default: null },
    lat: { type: Number, default: null },
    lon: { type: Number, default: null },
    card: { type: Schema.Types.Mixed, required: true },
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
// The unfiltered page: listed practices by name (`listedUntil` is checked on the documents the index yields). Each
// filter has an index leading with its own key, so MongoDB picks the most selective one for a query and the rest are
// checked on the few documents it yields.
entrySchema.index({ optIn: 1, nameKey: 1 });
entrySchema.index({ terms: 1 });
entrySchema.index({ specialties: 1 });
entrySchema.index({ languages: 1 });
entrySchema.index({ insurance: 1 });
entrySchema.index({ places: 1 });
// A distance search: a latitude band (then the longitude range, checked in the index) narrows the candidates; the
// exact distance is computed in the service. No geo index: FerretDB v1 has none, and this runs the same on both.
entrySchema.index({ lat: 1, lon: 1 });
// The minute job's repair reads only the entries that carry a deadline.
entrySchema.index({ listedUntil: 1 });

export const directoryEntryModel = (db: Connection) =>
  db.model<DirectoryEntryDoc>('DirectoryEntry', entrySchema, 'directory_entries');
