/**
 * Distances on the Earth as a sphere, for the directory's "within N km" filter. Pure functions: no data, no I/O.
 * The spherical model is off by at most about 0.5 % against the ellipsoid, far below what a postcode's centre says
 * about where a practice is.
 */

export interface Point {
  lat: number;
  lon: number;
}

/** The mean radius (IUGG), in km. */
export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

/** Haversine distance in km: numerically steady for short distances, where the spherical law of cosines is not. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A latitude band and one or two longitude ranges (two when the box crosses the antimeridian). */
export interface Box {
  lat: { min: number; max: number };
  lon: { min: number; max: number }[];
}

/**
 * The smallest latitude/longitude box holding every point within `radiusKm` of `center` (J. P. Matuschek, "Finding
 * Points Within a Distance of a Latitude/Longitude Using Bounding Coordinates"). A box reaching a pole spans every
 * longitude; one crossing ±180° is split in two ranges, so each is a plain indexed range query.
 */
export function boundingBox(center: Point, radiusKm: number): Box {
  const angle = radiusKm / EARTH_RADIUS_KM;
  const lat = center.lat * RAD;
  const minLat = lat - angle;
  const maxLat = lat + angle;
  const deg = (r: number) => r / RAD;
  if (minLat <= -Math.PI / 2 || maxLat >= Math.PI / 2)
    return {
      lat: { min: Math.max(deg(minLat), -90), max: Math.min(deg(maxLat), 90) },
      lon: [{ min: -180, max: 180 }],
    };
  const dLon = deg(Math.asin(Math.sin(angle) / Math.cos(lat)));
  const box = { lat: { min: deg(minLat), max: deg(maxLat) } };
  const west = center.lon - dLon;
  const east = center.lon + dLon;
  if (west < -180)
    return {
      ...box,
      lon: [
        { min: west + 360, max: 180 },
        { min: -180, max: east },
      ],
    };
  if (east > 180)
    return {
      ...box,
      lon: [
        { min: west, max: 180 },
        { min: -180, max: east - 360 },
      ],
    };
  return { ...box, lon: [{ min: west, max: east }] };
}

/** Whether the box holds the point (the exact check is `distanceKm`; this is what the database's ranges mean). */
export const inBox = (box: Box, p: Point): boolean =>
  p.lat >= box.lat.min && p.lat <= box.lat.max && box.lon.some((r) => p.lon >= r.min && p.lon <= r.max);

/** A distance as listings show it: to 0.1 km, which is finer than the postcode centres it is measured between. */
export const roundKm = (km: number): number => Math.round(km * 10) / 10;
