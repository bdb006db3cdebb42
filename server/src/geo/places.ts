import { createRequire } from 'node:module';
import { normalize } from '../search-key.ts';
import type { Point } from './great-circle.ts';

/**
 * Where a postcode or a city is, from the offline table of the npm package `zipcodes` (BSD licence, Dav Glass): every
 * US ZIP code (42,555, with city and state) and every Canadian forward sortation area (the first three characters of
 * a postcode, 1,620, named by district). Nothing is fetched at install or run time. Places elsewhere are unknown: a
 * practice there has no point (it is still found by city or postcode without a distance), and a distance search from
 * there is refused (directory.service.ts).
 *
 * The table is 5 MB of JavaScript (≈ 30 MB of heap, ≈ 0.3 s to load): read on the first lookup, once per process.
 */

interface Row {
  zip: string;
  latitude: number;
  longitude: number;
  city: string;
  state: string;
  country: string;
}

interface City {
  country: 'US' | 'CA';
  /** The state's or province's two-letter code, upper case ('' when the table's name for it has none). */
  region: string;
  /**
   * The median latitude and longitude of its postcodes' centres (a mean is pulled tens of km off by the table's few
   * misplaced rows); how many postcodes it has ranks same-named cities ("Portland" is the Oregon one).
   */
  point: Point;
  postcodes: number;
}

interface Table {
  postcodes: Map<string, Point>;
  cities: Map<string, City[]>;
  /** Upper-case full names ("OREGON", "QUEBEC") and codes, to their code. */
  regions: Map<string, string>;
}

const key = normalize;

/** Canadian districts are named like "Downtown Montreal North" or "Vancouver (Kitsilano)": the city is inside. */
function canadianCities(name: string): string[] {
  const base = name.split(/[(/]/)[0]!.trim();
  let city = base.replace(/^(Downtown|Central|Old) /i, '');
  for (let before = ''; before !== city;) {
    before = city;
    city = city.replace(/ (North|South|East|West|Northeast|Northwest|Southeast|Southwest|Central|& West)$/i, '');
  }
  return [...new Set([base, city].map(key).filter(Boolean))];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

let table: Table | undefined;

function load(): Table {
  if (table) return table;
  const zipcodes = createRequire(import.meta.url)('zipcodes') as {
    codes: Record<string, Row>;
    states: { full: Record<string, string> };
  };
  const regions = new Map<string, string>();
  for (const [name, code] of Object.entries(zipcodes.states.full)) regions.set(name, code).set(code, code);
  const postcodes = new Map<string, Point>();
  const sums = new Map<string, { country: 'US' | 'CA'; region: string; lats: number[]; lons: number[] }>();
  for (const row of Object.values(zipcodes.codes)) {
    // A few hundred US rows carry no position (0, 0).
    if (!row.latitude && !row.longitude) continue;
    const point = { lat: row.latitude, lon: row.longitude };
    postcodes.set(row.zip.toUpperCase(), point);
    const country = row.country === 'US' ? 'US' : 'CA';
    const region = regions.get(row.state.toUpperCase()) ?? '';
    const names = country === 'US' ? [key(row.city)] : canadianCities(row.city);
    for (const name of names) {
      const id = `${name}|${country}|${region}`;
      const sum = sums.get(id) ?? { country, region, lats: [], lons: [] };
      sum.lats.push(point.lat);
      sum.lons.push(point.lon);
      sums.set(id, sum);
    }
  }
  const cities = new Map<string, City[]>();
  for (const [id, { country, region, lats, lons }] of sums) {
    const name = id.slice(0, id.indexOf('|'));
    const list = cities.get(name) ?? [];
    list.push({ country, region, postcodes: lats.length, point: { lat: median(lats), lon: median(lons) } });
    cities.set(name, list);
  }
  for (const list of cities.values()) list.sort((a, b) => b.postcodes - a.postcodes);
  return (table = { postcodes, cities, regions });
}

/** A US ZIP (`97201`, `97201-1234`) or a Canadian postcode or its first three characters (`H2X 1Y4`, `h2x`). */
export function postcodePoint(text: string): Point | null {
  const compact = text.toUpperCase().replace(/[\s-]+/g, '');
  const us = /^(\d{5})(\d{4})?$/.exec(compact);
  const ca = /^([A-Z]\d[A-Z])(\d[A-Z]\d)?$/.exec(compact);
  const code = us?.[1] ?? ca?.[1];
  return code ? (load().postcodes.get(code) ?? null) : null;
}

/** The code of a state or province named by code or in full ("or", "Oregon", "Québec"), or undefined. */
function regionCode(text: string): string | undefined {
  const name = key(text).toUpperCase();
  return name ? load().regions.get(name) : undefined;
}

/**
 * A city by name; `region` and `country` narrow same-named cities when they are known, and among what remains the
 * one with the most postcodes wins.
 */
export function cityPoint(city: string, region = '', country = ''): Point | null {
  let found = load().cities.get(key(city)) ?? [];
  if (country === 'US' || country === 'CA') found = found.filter((c) => c.country === country);
  const code = regionCode(region);
  const inRegion = code ? found.filter((c) => c.region === code) : found;
  return (inRegion.length ? inRegion : found)[0]?.point ?? null;
}

/**
 * What a person types as a place (`near`): a postcode, a city, or a city then its state or province ("Portland, ME",
 * "portland maine"). The region given must match; null when the place is not in the table.
 */
export function placePoint(text: string): Point | null {
  const postcode = postcodePoint(text);
  if (postcode) return postcode;
  const comma = text.lastIndexOf(',');
  if (comma > 0) return regionalCity(text.slice(0, comma), text.slice(comma + 1));
  const parts = key(text).split(' ');
  for (let regionWords = 0; regionWords <= Math.min(3, parts.length - 1); regionWords++) {
    const city = parts.slice(0, parts.length - regionWords).join(' ');
    const point = regionWords ? regionalCity(city, parts.slice(-regionWords).join(' ')) : cityPoint(city);
    if (point) return point;
  }
  return null;
}

function regionalCity(city: string, region: string): Point | null {
  const code = regionCode(region);
  if (!code) return null;
  return (
    load()
      .cities.get(key(city))
      ?.find((c) => c.region === code)?.point ?? null
  );
}

/** A practice's address: its postcode first (where the country is the US, Canada or not given), else its city. */
export function addressPoint(address: {
  city?: string;
  region?: string;
  postcode?: string;
  country?: string;
}): Point | null {
  const country = address.country ?? '';
  if (country && country !== 'US' && country !== 'CA') return null;
  return (
    (address.postcode ? postcodePoint(address.postcode) : null) ??
    (address.city ? cityPoint(address.city, address.region, country) : null)
  );
}
