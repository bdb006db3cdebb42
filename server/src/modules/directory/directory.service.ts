import type { DirectoryListing, DirectoryQuery, DirectoryResponse } from '@clocktree/protocol';
import type { Types } from 'mongoose';
import type { ServiceBase } from '../../context.ts';
import type { PracticeDoc } from '../practices/practice.model.ts';
import { directoryFields, toPracticePublic } from '../practices/practice.views.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import { normalize, placeKey, placesOf, postcodeKey, tagKeys, termsOf, words } from './directory-keys.ts';
import type { DirectoryEntryDoc } from './directory.model.ts';

export const DIRECTORY_PAGE_SIZE = 20;

/** `es-MX` is found by `es-MX` and by `es`. */
const languageKeys = (tags: string[] | undefined) =>
  [...new Set((tags ?? []).flatMap((tag) => [tag.toLowerCase(), tag.split('-')[0]!.toLowerCase()]))].filter(Boolean);

/** What the directory stores of a practice to search it by (directory.model.ts). */
export function entryOf(p: PracticeDoc, now: Date): Omit<DirectoryEntryDoc, '_id'> {
  const fields = directoryFields(p);
  return {
    optIn: p.directoryOptIn,
    nameKey: normalize(p.name),
    terms: termsOf({ name: p.name, ...fields }),
    specialties: tagKeys(fields.specialties),
    languages: languageKeys(fields.languages),
    insurance: tagKeys(fields.insurance),
    places: placesOf(p.address),
    telehealth: fields.telehealth,
    accepting: fields.acceptingNewClients,
    updatedAt: now,
  };
}

/**
 * The public directory (issue 12): listed practices only — opted in, and nothing awaiting beyond the 7-day window,
 * which is read from the threads at every query, so a practice drops out (and comes back) without anything else
 * changing. Searched through `directory_entries` (directory.model.ts), answered from the practices themselves.
 *
 * `near` matches the practice's city or postcode exactly (normalized). `distanceKm` is accepted but not applied:
 * there is no offline table of postcode or city coordinates here, so there is no distance to compare.
 */
export function directoryService({
  models,
  clock,
  publicUrl,
  practices,
}: Pick<ServiceBase<'DirectoryEntry'>, 'models' | 'clock' | 'publicUrl'> & {
  practices: Pick<PracticesService, 'overduePracticeIds' | 'services' | 'loadMany' | 'optedInIds'>;
}) {
  const { DirectoryEntry } = models;

  /** Rewrites the practice's search keys from its document; called whenever its profile is saved. */
  async function sync(p: PracticeDoc): Promise<void> {
    await DirectoryEntry.updateOne({ _id: p._id }, { $set: entryOf(p, clock.now()) }, { upsert: true });
  }

  function filterFor(query: DirectoryQuery, overdue: Types.ObjectId[]): Record<string, unknown> {
    const filter: Record<string, unknown> = { optIn: true };
    if (overdue.length) filter._id = { $nin: overdue };
    // Only punctuation (`.*`) has no word to match: it finds nothing rather than everything.
    const wanted = words(query.q ?? '').slice(0, 8);
    if (query.q) filter.terms = { $all: wanted.length ? wanted : [query.q] };
    if (query.near) filter.places = { $in: [...new Set([placeKey(query.near), postcodeKey(query.near)])] };
    if (query.specialty) filter.specialties = normalize(query.specialty);
    if (query.language) filter.languages = query.language.toLowerCase();
    if (query.insurance) filter.insurance = normalize(query.insurance);
    if (query.telehealth) filter.telehealth = query.telehealth === 'true';
    if (query.accepting) filter.accepting = query.accepting === 'true';
    return filter;
  }

  return {
    sync,

    /** Practices opted in before the directory had entries (or whose entry a crash lost) get theirs at start. */
    async backfill(): Promise<number> {
      const [optedIn, entries] = await Promise.all([
        practices.optedInIds(),
        DirectoryEntry.find({}, { _id: 1 }).lean(),
      ]);
      const have = new Set(entries.map((e) => String(e._id)));
      const missing = optedIn.filter((id) => !have.has(String(id)));
      if (!missing.length) return 0;
      for (const p of await practices.loadMany(missing)) await sync(p);
      return missing.length;
    },

    async search(query: DirectoryQuery): Promise<DirectoryResponse> {
      const page = query.page ?? 1;
      const filter = filterFor(query, await practices.overduePracticeIds());
      const [total, hits] = await Promise.all([
        DirectoryEntry.countDocuments(filter),
        DirectoryEntry.find(filter, { _id: 1 })
          .sort({ nameKey: 1, _id: 1 })
          .skip((page - 1) * DIRECTORY_PAGE_SIZE)
          .limit(DIRECTORY_PAGE_SIZE)
          .lean(),
      ]);
      const docs = await practices.loadMany(hits.map((h) => h._id));
      const byId = new Map(docs.map((d) => [String(d._id), d]));
      const listings: DirectoryListing[] = [];
      for (const { _id } of hits) {
        const p = byId.get(String(_id));
        // The practice itself decides: an entry a crash left behind a change of `directoryOptIn` shows nothing.
        if (!p?.directoryOptIn) continue;
        listings.push({
          ...toPracticePublic(p, true, await practices.services(p), publicUrl()),
          ...directoryFields(p),
        });
      }
      return { practices: listings, page, pageSize: DIRECTORY_PAGE_SIZE, total };
    },
  };
}

export type DirectoryService = ReturnType<typeof directoryService>;
