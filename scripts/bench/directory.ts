// The directory table of `npm run bench`: p50 of `GET /directory` queries at N, 10N and 100N listed practices, beside a
// bare Koa hello-world measured in the same run. The practices go in through the server's own connection, in the
// shapes it writes (the practice and its directory entry, built by the directory's own `entryOf`).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { Types } from 'mongoose';
import type { App } from '../../server/src/app.ts';
import { entryOf } from '../../server/src/modules/directory/directory.service.ts';
import type { PracticeDoc } from '../../server/src/modules/practices/practice.model.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { service } from './service.ts';

export const DIRECTORY_SIZES = (process.env.BENCH_DIRECTORY_SIZES ?? '50,500,5000')
  .split(',')
  .filter(Boolean)
  .map(Number);
const ROUNDS = Number(process.env.BENCH_DIRECTORY_ROUNDS ?? 11);
const CHUNK = 500;

const SPECIALTIES = ['Trauma', 'Anxiety', 'Depression', 'Couples', 'Grief', 'ADHD', 'Eating disorders', 'Addiction'];
const CITIES = ['Portland', 'Seattle', 'Boston', 'Austin', 'Denver', 'Chicago', 'Montréal', 'Toronto'];
const INSURERS = ['Aetna', 'Blue Shield', 'Cigna', 'Kaiser', 'United'];
const LANGUAGES = ['en', 'es', 'fr', 'zh-Hant', 'de'];

const QUERIES: Record<string, string> = {
  'first page': '',
  'q=name word': 'q=harbor',
  'q=specialty prefix': 'q=trau',
  'specialty+language': 'specialty=grief&language=es',
  'near=city': 'near=denver',
  'near+distance': 'near=10001&distanceKm=25',
  'all filters':
    'q=counseling&near=portland&specialty=trauma&language=en&telehealth=true&accepting=true&insurance=aetna',
  'page 3': 'page=3',
};

function practice(i: number): PracticeDoc {
  const pick = <T>(list: T[], k = 0) => list[(i + k) % list.length]!;
  return {
    _id: new Types.ObjectId(),
    name: `${pick(['Harbor', 'Oak', 'Willow', 'Cedar', 'River'])} ${pick(['Counseling', 'Therapy', 'Clinic'], 1)} ${i}`,
    phone: '555 0100',
    address: { street: '', city: pick(CITIES, 2), region: '', postcode: String(10000 + (i % 900)), country: 'US' },
    timeZone: 'UTC',
    mailFromName: '',
    hasPhoto: false,
    photoRev: 0,
    replyTo: '',
    specialties: [pick(SPECIALTIES), pick(SPECIALTIES, 3)],
    issues: ['Insomnia', 'Stress'],
    approaches: ['CBT', 'EMDR'],
    languages: [pick(LANGUAGES), 'en'],
    inPerson: i % 2 === 0,
    telehealth: i % 3 !== 0,
    acceptingNewClients: i % 4 !== 0,
    insurance: [pick(INSURERS)],
    slidingScale: i % 5 === 0,
    about: 'A small practice for adults and families, in person and online.',
    allowedOrigins: [],
    directoryOptIn: true,
    members: [],
    contactUsAssigneeIds: [],
    services: [],
    rev: 0,
    createdAt: new Date(),
  };
}

async function growTo(app: App, size: number): Promise<void> {
  const { Practice, DirectoryEntry } = app.models;
  for (let have = await Practice.estimatedDocumentCount(); have < size; have += CHUNK) {
    const batch = Array.from({ length: Math.min(CHUNK, size - have) }, (_, k) => practice(have + k));
    await Practice.insertMany(batch);
    await DirectoryEntry.insertMany(batch.map((p) => ({ _id: p._id, ...entryOf(p, new Date()), listedUntil: null })));
  }
}

/** p50 of the answered requests; a 503 (the server shed it: the database too slow) is counted, not timed. */
async function p50(request: Request, path: string): Promise<{ p50: number; shed: number }> {
  await request('GET', path);
  const times: number[] = [];
  let shed = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const res = await request('GET', path);
    if (res.status === 503) shed++;
    else if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    else times.push(performance.now() - start);
  }
  return { p50: times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN, shed };
}

async function helloWorld(): Promise<number> {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = { hello: 'world' };
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return (await p50(httpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), '/')).p50;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Measures and prints the table. */
export async function directoryBench(uri: string): Promise<void> {
  const ours = await service(uri);
  const rows: { size: number; total: number; timings: Record<string, { p50: number; shed: number }> }[] = [];
  try {
    for (const size of DIRECTORY_SIZES) {
      await growTo(ours.app, size);
      const timings: Record<string, { p50: number; shed: number }> = {};
      for (const [name, query] of Object.entries(QUERIES))
        timings[name] = await p50(ours.request, `/api/v1/directory${query ? `?${query}` : ''}`);
      const total = (await ours.request('GET', '/api/v1/directory')).body.total as number;
      rows.push({ size, total, timings });
      console.log(`[directory bench] ${size} practices measured`);
    }
  } finally {
    await ours.close();
  }
  const hello = await helloWorld();
  const head = ['practices', 'listed', ...Object.keys(QUERIES).map((n) => `${n} p50 ms`)];
  const lines = rows.map((r) => [
    String(r.size),
    String(r.total),
    ...Object.values(r.timings).map(({ p50, shed }) => `${p50.toFixed(1)}${shed ? ` (${shed}/${ROUNDS} shed)` : ''}`),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(`\nDirectory: GET /api/v1/directory p50 as listed practices grow (${ROUNDS} rounds each, 20 per page)`);
  console.log(format(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(format(l));
  console.log(`reference: bare Koa hello-world GET, same run: p50 ${hello.toFixed(2)} ms`);
  console.log(
    `Database: ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB v1.24.2 (SQLite backend)'} — these are its figures; ` +
      'FerretDB scans whole collections whatever the indexes, so its growth is not what MongoDB, which uses them, shows.',
  );
}

// Run alone: `node --import tsx scripts/bench/directory.ts` (MONGODB_URI, or a throw-away FerretDB).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { database } = await import('./database.ts');
  const db = await database();
  try {
    await directoryBench(db.uri);
  } finally {
    await db.stop();
  }
}
