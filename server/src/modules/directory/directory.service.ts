import type { Address, DirectoryListing, DirectoryQuery, DirectoryResponse } from '@clocktree/protocol';
import type { Types } from 'mongoose';
import type { ServiceBase } from '../../context.ts';
import { ApiError } from '../../http/api-error.ts';
import { boundingBox, distanceKm, roundKm, type Point } from '../../geo/great-circle.ts';
import { addressPoint, placePoint } from '../../geo/places.ts';
import type { PracticeDoc } from '../practices/practice.model.ts';
import { directoryFields, photoUrlOf } from '../practices/practice.views.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { ThreadQueries } from '../threads/thread-queries.ts';
import { normalize, placeKey, placesOf, postcodeKey, tagKeys, termsOf, words } from './directory-keys.ts';
import type { DirectoryEntryDoc } from './directory.model.ts';

export const DIRECTORY_PAGE_SIZE = 20;

/**
 * At most this many practices inside a distance search's box are read (their id, point and name: a few dozen bytes
 * each) to be measured and sorted; past it the answer is made from the first ones the index yields. 5,000 listed
 * practices within 100 km after the other filters is beyond any region today; grid cells are the next step.
 */
export const MAX_DISTANCE_CANDIDATES = 5_000;

const NO_ADDRESS: Address = { street: '', city: '', region: '', postcode: '', country: '' };

/** `es-MX` is found by `es-MX` and by `es`. */
const languageKeys = (tags: string[] | undefined) =>
  [...new Set((tags ?? []).flatMap((tag) => [tag.toLowerCase(), tag.split('-')[0]!.toLowerCase()]))].filter(Boolean);

/**
 * What the directory stores of a practice to search it by and to show it (directory.model.ts), all but its 7-day
 * deadline, which the threads give (`refreshListing`).
 */
export function entryOf(p: PracticeDoc, now: Date): Omit<DirectoryEntryDoc, '_id' | 'listedUntil'> {
  const fields = directoryFields(p);
  const point = addressPoint(p.address ?? {});
  return {
    optIn: p.directoryOptIn,
    lat: point?.lat ?? null,
    lon: point?.lon ?? null,
    card: {
      name: p.name,
      phone: p.phone,
      address: { ...NO_ADDRESS, ...(p.address as Partial<Address> | undefined) },
      timeZone: p.timeZone ?? 'UTC',
      hasPhoto: p.hasPhoto ?? false,
      photoRev: p.photoRev ?? 0,
      ...fields,
    },
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

/** A distance search from a place the table does not know: an empty page would read as "no one near you". */
const unknownPlace = () =>
  new ApiError(
    'unknown_place',
    'That place is not one we can measure distances from. Enter a US ZIP code, a Canadian postcode, or a US or ' +
      'Canadian city (for example "Portland, OR").',
  );

/** What a page of results reads of each entry: the card, not the search keys (`terms` alone can be 2,000 words). */
const CARD = { _id: 1, card: 1 } as const;
type Listed = Pick<DirectoryEntryDoc, '_id' | 'card'>;

const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * The `listedUntil` of an entry whose deadline is not kept (directory.model.ts): one not opted in, or not refreshed
 * yet. In the past, so not listed.
 */
export const NOT_KEPT = new Date(0);

/**
 * The public directory (issue 12): listed practices only — opted in, and nothing awaiting beyond the 7-day window,
 * which each entry carries as `listedUntil` (directory.model.ts), so a practice drops out (and comes back) without
 * anything else changing and no query reads the threads. Searched and answered from `directory_entries` alone.
 *
 * `near` alone matches the practice's city or postcode exactly (normalized). With `distanceKm`, `near` is geocoded
 * (geo/places.ts) and practices whose stored point is within that great-circle distance are listed nearest first,
 * each with its distance; a place that cannot be geocoded is a 422 `unknown_place`.
 */
export function directoryService({
  models,
  clock,
  publicUrl,
  practices,
  threads,
}: Pick<ServiceBase<'DirectoryEntry'>, 'models' | 'clock' | 'publicUrl'> & {
  practices: Pick<PracticesService, 'loadMany' | 'optedInIds'>;
  threads: Pick<ThreadQueries, 'listedUntil' | 'listedUntilAll'>;
}) {
  const { DirectoryEntry } = models;

  /**
   * Rewrites the practice's entry from its document; called whenever its profile or photo is saved. The deadline is
   * left to the refresh that follows, which reads the threads once: a new entry, and an entry opting out, get
   * `NOT_KEPT` (not listed), so an entry opting in is not shown before that refresh has set its deadline, and an
   * opted-in entry whose profile changes keeps the one it has.
   */
  async function sync(p: PracticeDoc): Promise<void> {
    const entry = entryOf(p, clock.now());
    await DirectoryEntry.updateOne(
      { _id: p._id },
      p.directoryOptIn
        ? { $set: entry, $setOnInsert: { listedUntil: NOT_KEPT } }
        : { $set: { ...entry, listedUntil: NOT_KEPT } },
      { upsert: true },
    );
    await refreshListing(p._id);
  }

  /**
   * Brings a listed entry's `listedUntil` in line with the threads after an event that may have changed it (an entry
   * not opted in is one read by `_id`, and its threads are not read: `sync` sets the deadline when it opts in). Two
   * events at once may write in either order, so each writer reads the rule again after its write and writes again
   * until what it read is what is stored: the last write is then always followed by a read of the threads' final
   * state. A refresh that finds the stored value right writes nothing: any write after its read of the entry is
   * some other writer's, checked by that writer in the same way.
   */
  async function refreshListing(practiceId: Types.ObjectId): Promise<void> {
    const entry = await DirectoryEntry.findOne({ _id: practiceId }, { optIn: 1, listedUntil: 1 }).lean<
      Pick<DirectoryEntryDoc, 'optIn' | 'listedUntil'>
    >();
    if (!entry?.optIn) return;
    let stored = entry.listedUntil ?? null;
    let until = await threads.listedUntil(practiceId);
    for (let attempt = 0; attempt < 5 && !sameInstant(stored, until); attempt++) {
      // Only while opted in: an opt-out's `NOT_KEPT` stays, for the next opt-in to find.
      const done = await DirectoryEntry.updateOne({ _id: practiceId, optIn: true }, { $set: { listedUntil: until } });
      if (!done.matchedCount) return;
      stored = until;
      until = await threads.listedUntil(practiceId);
    }
  }

  function filterFor(query: DirectoryQuery): Record<string, unknown> {
    const filter: Record<string, unknown> = {
      optIn: true,
      $or: [{ listedUntil: null }, { listedUntil: { $gt: clock.now() } }],
    };
    // Only punctuation (`.*`) has no word to match: it finds nothing rather than everything.
    const wanted = words(query.q ?? '').slice(0, 8);
    if (query.q) filter.terms = { $all: wanted.length ? wanted : [query.q] };
    if (query.near && !query.distanceKm)
      filter.places = { $in: [...new Set([placeKey(query.near), postcodeKey(query.near)])] };
    if (query.specialty) filter.specialties = normalize(query.specialty);
    if (query.language) filter.languages = query.language.toLowerCase();
    if (query.insurance) filter.insurance = normalize(query.insurance);
    if (query.telehealth) filter.telehealth = query.telehealth === 'true';
    if (query.accepting) filter.accepting = query.accepting === 'true';
    return filter;
  }

  function toListing(e: Listed, distance?: number): DirectoryListing {
    const { hasPhoto, photoRev, ...card } = e.card;
    return {
      id: String(e._id),
      ...card,
      photoUrl: photoUrlOf({ _id: e._id, hasPhoto, photoRev }, publicUrl()),
      listed: true,
      ...(distance === undefined ? {} : { distanceKm: roundKm(distance) }),
    };
  }

  /** Practices within `radiusKm` of `center`, nearest first (then by name), one page of them. */
  async function byDistance(filter: Record<string, unknown>, center: Point, radiusKm: number, page: number) {
    const box = boundingBox(center, radiusKm);
    const lat = { $gte: box.lat.min, $lte: box.lat.max };
    const inBox = box.lon.map((r) => ({ lat, lon: { $gte: r.min, $lte: r.max } }));
    const candidates = await DirectoryEntry.find(
      { ...filter, $and: [{ $or: inBox }] },
      { _id: 1, lat: 1, lon: 1, nameKey: 1 },
    )
      .limit(MAX_DISTANCE_CANDIDATES)
      .lean<Pick<DirectoryEntryDoc, '_id' | 'lat' | 'lon' | 'nameKey'>[]>();
    const near = candidates
      .map((c) => ({ c, km: distanceKm(center, { lat: c.lat!, lon: c.lon! }) }))
      .filter(({ km }) => km <= radiusKm)
      .sort(
        (a, b) =>
          a.km - b.km || a.c.nameKey.localeCompare(b.c.nameKey) || String(a.c._id).localeCompare(String(b.c._id)),
      );
    const shown = near.slice((page - 1) * DIRECTORY_PAGE_SIZE, page * DIRECTORY_PAGE_SIZE);
    const ids = shown.map(({ c }) => c._id);
    const entries = await DirectoryEntry.find({ _id: { $in: ids } }, CARD).lean<Listed[]>();
    const byId = new Map(entries.map((e) => [String(e._id), e]));
    const practices = shown.flatMap(({ c, km }) => {
      const e = byId.get(String(c._id));
      return e ? [toListing(e, km)] : [];
    });
    return { practices, total: near.length };
  }

  async function byName(filter: Record<string, unknown>, page: number) {
    const [total, entries] = await Promise.all([
      DirectoryEntry.countDocuments(filter),
      DirectoryEntry.find(filter, CARD)
        .sort({ nameKey: 1, _id: 1 })
        .skip((page - 1) * DIRECTORY_PAGE_SIZE)
        .limit(DIRECTORY_PAGE_SIZE)
        .lean<Listed[]>(),
    ]);
    return { practices: entries.map((e) => toListing(e)), total };
  }

  return {
    sync,
    refreshListing,

    /**
     * At start: practices opted in whose entry is missing or older than the card (or that a crash left out), and
     * entries still listed for a practice that opted out since, are rewritten from the practice.
     */
    async backfill(): Promise<number> {
      const optedIn = await practices.optedInIds();
      // Both reads go through indexes (`_id`, `optIn`): no pass over every entry.
      const [withCard, listed] = await Promise.all([
        DirectoryEntry.find({ _id: { $in: optedIn }, card: { $ne: null } }, { _id: 1 }).lean<
          { _id: Types.ObjectId }[]
        >(),
        DirectoryEntry.find({ optIn: true }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>(),
      ]);
      const wanted = new Set(optedIn.map(String));
      const current = new Set(withCard.map((e) => String(e._id)));
      const stale = [
        ...optedIn.filter((id) => !current.has(String(id))),
        ...listed.filter((e) => !wanted.has(String(e._id))).map((e) => e._id),
      ];
      if (stale.length) for (const p of await practices.loadMany(stale)) await sync(p);
      await this.recomputeListings();
      return stale.length;
    },

    /**
     * The safety net (at start and every minute): every opted-in entry's `listedUntil` recomputed from the threads,
     * written where it differs, and only over the value read (a thread event's refresh in between wins).
     */
    async recomputeListings(): Promise<number> {
      const until = await threads.listedUntilAll();
      // Only entries that may be wrong: those with a deadline now, and those the threads give one (both indexed).
      const entries = await DirectoryEntry.find(
        { optIn: true, $or: [{ listedUntil: { $ne: null } }, { _id: { $in: [...until.keys()] } }] },
        { _id: 1, listedUntil: 1 },
      ).lean<Pick<DirectoryEntryDoc, '_id' | 'listedUntil'>[]>();
      let fixed = 0;
      for (const e of entries) {
        const right = until.get(String(e._id)) ?? null;
        if (sameInstant(e.listedUntil ?? null, right)) continue;
        const done = await DirectoryEntry.updateOne(
          { _id: e._id, optIn: true, listedUntil: e.listedUntil ?? null },
          { $set: { listedUntil: right } },
        );
        fixed += done.modifiedCount;
      }
      return fixed;
    },

    async search(query: DirectoryQuery): Promise<DirectoryResponse> {
      const page = query.page ?? 1;
      const filter = filterFor(query);
      let found;
      if (query.near && query.distanceKm) {
        const center = placePoint(query.near);
        if (!center) throw unknownPlace();
        found = await byDistance(filter, center, query.distanceKm, page);
      } else found = await byName(filter, page);
      return { ...found, page, pageSize: DIRECTORY_PAGE_SIZE };
    },
  };
}

export type DirectoryService = ReturnType<typeof directoryService>;
