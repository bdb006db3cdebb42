/**
 * A stand-in for the public directory (`GET /api/v1/directory`) and the practices' public profiles, for the
 * <ct-directory> and <ct-practice-card> browser tests. A test picks a fresh key, points the widget's `api` at
 * `/__directory/<key>`, and gets real HTTP answers in the protocol's shapes from 45 seeded practices (3 pages of 20).
 * The key's first word picks a scenario: `ok-…` answers, `down-…` answers 503 to every search, `flaky-…` answers 503 to
 * the first search only. A search for `q=slow…` is answered after 600 ms (a stale request a newer one must replace).
 * `near` with `distanceKm` measures from the three cities' centres (by city or postcode), nearest first, as the server
 * does from its postcode table; any other place answers 422 `unknown_place`.
 *
 * A Contact Us form opened from a card posts to `/__directory/<key>/api/v1/practices/<id>/contact-us`: that is handed
 * to the Contact Us canned API (`/__canned/ok/…`, web-test-runner.config.mjs), so the form is tested against the same
 * answers as in its own tests.
 *
 * Test hooks beside the API, under the same prefix:
 *   GET /__directory/<key>/__log   every API call so far: {method, path, query}
 *   GET /__directory/<key>/photo/<id>.svg   a practice's photo
 * The real server's directory is tested in its own module's tests; this only has to be faithful to the protocol.
 */
import { answer, fail, hex, keyedStates, respond } from './canned-common.mjs';
import { checkShape } from './canned-shapes.mjs';

const { DirectoryQuery } = await import('@clocktree/protocol');

export const DIRECTORY_PAGE_SIZE = 20;
export const DIRECTORY_COUNT = 45;

const NAMES = ['Maple Street', 'Cedar', 'Riverbend', 'Harbor', 'Juniper', 'Willow Creek', 'Summit', 'Bridgeway', 'Oak'];
const KINDS = ['Counseling', 'Family Therapy', 'Psychology Group', 'Wellness Center', 'Therapy Collective'];
const PLACES = [
  { city: 'Portland', region: 'OR', postcode: '97214' },
  { city: 'Seattle', region: 'WA', postcode: '98101' },
  { city: 'Eugene', region: 'OR', postcode: '97401' },
];
/** Where the three are (lat, lon), as the server's postcode table has them. */
const POINTS = { Portland: [45.5142, -122.6364], Seattle: [47.6114, -122.3305], Eugene: [44.0682, -123.0819] };

const haversineKm = ([lat1, lon1], [lat2, lon2]) => {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
};
const SPECIALTIES = ['Anxiety', 'Depression', 'Trauma and PTSD', 'Grief and loss', 'ADHD', 'Relationship issues'];
const LANGUAGES = [['en'], ['en', 'es'], ['en', 'vi'], ['es']];
const INSURANCE = [['Aetna', 'Cigna'], ['Kaiser Permanente'], []];

/** Practice `n` (0-based): every combination of the filters appears somewhere in the 45. */
function listing(n) {
  const place = PLACES[n % PLACES.length];
  const id = hex('d1', n + 1);
  return {
    id,
    name: `${NAMES[n % NAMES.length]} ${KINDS[n % KINDS.length]}${n >= NAMES.length ? ` ${Math.floor(n / NAMES.length) + 1}` : ''}`,
    phone: `+1 503 555 ${String(100 + n).padStart(4, '0')}`,
    address: { street: `${100 + n} Main Street`, country: 'US', ...place },
    timeZone: 'America/Los_Angeles',
    photoUrl: n % 2 === 0 ? `PHOTO/${id}.svg` : null,
    services: [],
    listed: true,
    specialties: [SPECIALTIES[n % SPECIALTIES.length], SPECIALTIES[(n + 2) % SPECIALTIES.length]],
    issues: [],
    approaches: ['CBT'],
    languages: LANGUAGES[n % LANGUAGES.length],
    inPerson: n % 5 !== 0,
    telehealth: n % 2 === 1,
    acceptingNewClients: n % 3 !== 2,
    insurance: INSURANCE[n % INSURANCE.length],
    slidingScale: n % 4 === 0,
    about: n === 7 ? 'Evening appointments for working parents.' : '',
  };
}

const seed = (scenario) => ({
  scenario,
  practices: Array.from({ length: DIRECTORY_COUNT }, (_, n) => listing(n)),
  log: [],
  searches: 0,
});
const stateFor = keyedStates(seed);

const has = (list, wanted) => list.some((item) => item.toLowerCase() === wanted.toLowerCase());
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function search(state, rawQuery, prefix) {
  state.searches += 1;
  if (state.scenario === 'down' || (state.scenario === 'flaky' && state.searches === 1))
    fail(503, 'unavailable', 'Service unavailable');
  // The contract's own query schema (strict): a parameter the server would refuse is refused here too.
  const parsed = DirectoryQuery.safeParse(rawQuery);
  if (!parsed.success)
    fail(
      400,
      'validation_failed',
      'The request is not valid.',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  const query = parsed.data;
  if (query.q?.startsWith('slow')) await sleep(600);
  const from = query.near && query.distanceKm ? PLACES.find((pl) => has([pl.city, pl.postcode], query.near)) : null;
  if (query.near && query.distanceKm && !from)
    fail(422, 'unknown_place', 'That place is not one we can measure distances from. Enter a US ZIP code.');
  const away = (p) => Math.round(haversineKm(POINTS[from.city], POINTS[p.address.city]) * 10) / 10;
  const matches = state.practices.filter((p) => {
    const text = [p.name, p.about, ...p.specialties, ...p.issues, ...p.approaches].join(' ').toLowerCase();
    if (query.q && !text.includes(query.q.toLowerCase())) return false;
    if (from && away(p) > query.distanceKm) return false;
    if (query.near && !from && !has([p.address.city, p.address.postcode], query.near)) return false;
    if (query.specialty && !has(p.specialties, query.specialty)) return false;
    if (query.language && !p.languages.some((tag) => tag === query.language || tag.startsWith(`${query.language}-`)))
      return false;
    if (query.telehealth && p.telehealth !== (query.telehealth === 'true')) return false;
    if (query.accepting && p.acceptingNewClients !== (query.accepting === 'true')) return false;
    if (query.insurance && !has(p.insurance, query.insurance)) return false;
    return true;
  });
  const page = query.page ?? 1;
  const start = (page - 1) * DIRECTORY_PAGE_SIZE;
  if (from) matches.sort((a, b) => away(a) - away(b));
  // A listing has no message services (the practice's profile has them).
  const practices = matches.slice(start, start + DIRECTORY_PAGE_SIZE).map(({ services: _services, ...p }) => ({
    ...p,
    photoUrl: p.photoUrl?.replace('PHOTO', `${prefix}/photo`) ?? null,
    ...(from ? { distanceKm: away(p) } : {}),
  }));
  return [200, { practices, page, pageSize: DIRECTORY_PAGE_SIZE, total: matches.length }];
}

function profile(state, pid, prefix) {
  const found = state.practices.find((p) => p.id === pid);
  if (!found) fail(404, 'not_found', 'Not found');
  const { id, name, phone, address, timeZone, photoUrl, services, listed } = found;
  const photo = photoUrl?.replace('PHOTO', `${prefix}/photo`) ?? null;
  return [200, { practice: { id, name, phone, address, timeZone, photoUrl: photo, services, listed } }];
}

const photo = (id) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#9fb3c8"/><text x="32" y="40" font-size="20" text-anchor="middle">${id.slice(-2)}</text></svg>`;

/** web-test-runner middleware (Koa). */
export async function cannedDirectory(ctx, next) {
  const match = /^\/__directory\/([\w-]+)(\/.*)$/.exec(ctx.path);
  if (!match) return next();
  const [, key, rest] = match;
  const prefix = `/__directory/${key}`;
  const state = stateFor(key);
  if (rest === '/__log') return respond(ctx, [200, state.log]);
  const photoMatch = /^\/photo\/(\w+)\.svg$/.exec(rest);
  if (photoMatch) return respond(ctx, [200, Buffer.from(photo(photoMatch[1])), 'image/svg+xml']);
  if (!rest.startsWith('/api/v1/')) return respond(ctx, [404, { error: { code: 'not_found', message: 'Not found' } }]);
  const path = rest.slice('/api/v1'.length);
  state.log.push({ method: ctx.method, path, query: { ...ctx.query } });
  if (ctx.method === 'POST' && /^\/practices\/\w+\/contact-us$/.test(path)) {
    // Contact Us has its own canned API: the form opened from a card is answered exactly as in its own tests.
    ctx.path = `/__canned/ok/api/v1${path}`;
    return next();
  }
  const result = await answer(async () => {
    if (ctx.method === 'GET' && path === '/directory') return search(state, { ...ctx.query }, prefix);
    const practice = /^\/practices\/(\w+)$/.exec(path);
    if (ctx.method === 'GET' && practice) return profile(state, practice[1], prefix);
    return fail(404, 'not_found', 'Not found');
  });
  respond(ctx, checkShape(ctx.method, path, result));
}
