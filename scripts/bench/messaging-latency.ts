// `npm run bench`: POST a message → `message:new` at the other reader, p50/p99, beside references measured in the
// same run on the same machine: a bare Koa JSON POST, and a raw Socket.IO relay (A emits, server re-emits to B).
// Then the growth table (scripts/bench/growth.ts): p50 of the main requests as the collections grow, and the
// directory table (scripts/bench/directory.ts): its queries at N, 10N and 100N practices beside a bare Koa hello-world.
// A benchmark, not a test: the numbers vary with the machine's load; compare rows of one run with each other.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient } from '../../server/src/testing/http.ts';
import { database } from './database.ts';
import { directoryBench, DIRECTORY_SIZES } from './directory.ts';
import { growthTable, printGrowth } from './growth.ts';
import { printScale, scaleBench } from './scale.ts';
import { twoNodeGrowth } from './two-nodes.ts';
import { service } from './service.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const GROWTH_SIZES = (process.env.BENCH_GROWTH_SIZES ?? '1000,5000,20000').split(',').filter(Boolean).map(Number);
const GROWTH_ROUNDS = Number(process.env.BENCH_GROWTH_ROUNDS ?? 11);
const WARMUP = 30;
const list = (value: string) => value.split(',').filter(Boolean).map(Number);
/** Delivery under load: rates (messages/s), seconds at each, and idle sockets (the first count is there meanwhile). */
const RATES = list(process.env.BENCH_RATES ?? '50,100,200');
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const IDLE = list(process.env.BENCH_IDLE ?? '1000,5000');
const RPS_SECONDS = Number(process.env.BENCH_RPS_SECONDS ?? 5);
/** The growth table on two nodes (sharing Redis): one size by default (fills dominate the run); more by flag. */
const GROWTH2_SIZES = list(process.env.BENCH_GROWTH2_SIZES ?? '1000');
const ONLY = process.env.BENCH_ONLY; // "scale" or "growth": one part alone

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, once: () => Promise<void>) {
  for (let i = 0; i < WARMUP; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 50), p99: percentile(times, 99), n: ROUNDS };
}

const online = (url: string, token?: string) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = connect(url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });

async function growth(uri: string) {
  const ours = await service(uri);
  try {
    return await growthTable(ours.app, ours.request, GROWTH_SIZES, GROWTH_ROUNDS);
  } finally {
    await ours.close();
  }
}

async function ours(uri: string) {
  const { url, request, close } = await service(uri);
  const s = await practiceWithStaff(request);
  const started = await request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
    token: s.colleague.token,
    body: { clientId: s.client.id, body: 'Benchmark thread' },
  });
  const threadId = started.body.thread.id;
  const colleague = await online(url, s.colleague.token);
  let i = 0;
  const result = await measure('ours: POST /threads/:tid/messages → message:new at the other reader', async () => {
    const body = `message ${i++}`;
    const heard = new Promise<void>((resolve) => {
      const on = (e: { message: { body: string } }) => {
        if (e.message.body !== body) return;
        colleague.off('message:new', on);
        resolve();
      };
      colleague.on('message:new', on);
    });
    const res = await request('POST', `/api/v1/threads/${threadId}/messages`, {
      token: s.client.token,
      body: { body },
    });
    if (res.status !== 201) throw new Error(`send failed: ${res.status}`);
    await heard;
  });
  colleague.close();
  await close();
  return result;
}

async function bareKoa() {
  const app = new Koa();
  app.use(async (ctx) => {
    let raw = '';
    for await (const chunk of ctx.req) raw += chunk;
    ctx.status = 201;
    ctx.body = { echo: JSON.parse(raw) };
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const request = httpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const result = await measure('reference: bare Koa JSON POST round trip', async () => {
    await request('POST', '/', { body: { body: 'x' } });
  });
  await new Promise((resolve) => server.close(resolve));
  return result;
}

async function rawSocketIo() {
  const server = createServer();
  const io = new Server(server);
  io.on('connection', (socket) => socket.on('say', (text: string) => socket.broadcast.emit('heard', text)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const [a, b] = await Promise.all([online(url), online(url)]);
  let i = 0;
  const result = await measure('reference: raw Socket.IO relay (emit → server → other client)', async () => {
    const text = `t${i++}`;
    const heard = new Promise<void>((resolve) => {
      const on = (t: string) => {
        if (t !== text) return;
        b.off('heard', on);
        resolve();
      };
      b.on('heard', on);
    });
    a.emit('say', text);
    await heard;
  });
  a.close();
  b.close();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  return result;
}

const db = await database();
try {
  const dbLabel = process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB';
  if (ONLY !== 'growth') {
    const scale = await scaleBench({
      dbUri: db.uri,
      ...(db.pid ? { dbPid: db.pid } : {}),
      rates: RATES,
      seconds: LOAD_SECONDS,
      idle: IDLE,
      rpsSeconds: RPS_SECONDS,
    });
    printScale(scale, IDLE[0] ?? 0, dbLabel);
  }
  if (!ONLY) console.log(`\nMeasuring ${ROUNDS} rounds each (after ${WARMUP} warm-up rounds)…`);
  const rows = ONLY ? [] : [await ours(db.uri), await bareKoa(), await rawSocketIo()];
  if (rows.length) {
    const width = Math.max(...rows.map((r) => r.label.length));
    console.log(
      `\n${'measurement'.padEnd(width)}  ${'p50 ms'.padStart(8)}  ${'p99 ms'.padStart(8)}  ${'n'.padStart(5)}`,
    );
    console.log(`${'-'.repeat(width)}  --------  --------  -----`);
    for (const r of rows)
      console.log(
        `${r.label.padEnd(width)}  ${r.p50.toFixed(2).padStart(8)}  ${r.p99.toFixed(2).padStart(8)}  ${String(r.n).padStart(5)}`,
      );
  }
  console.log(
    `\nDatabase: ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB v1.24.2 (SQLite backend)'} — its SQLite backend scans whole` +
      ' collections for every query, even by _id; do not read these figures as MongoDB timings.',
  );
  if (GROWTH_SIZES.length && ONLY !== 'scale') printGrowth(await growth(db.uri), GROWTH_ROUNDS);
  if (GROWTH2_SIZES.length && ONLY !== 'scale') {
    const two = await twoNodeGrowth(db.uri, GROWTH2_SIZES, GROWTH_ROUNDS);
    if (typeof two === 'string') console.log(`\nGrowth on two nodes: not measured (${two})`);
    else printGrowth(two, GROWTH_ROUNDS, 'two nodes sharing Redis, requests alternating between them');
  }
  if (DIRECTORY_SIZES.length && ONLY !== 'scale' && ONLY !== 'growth') await directoryBench(db.uri);
} finally {
  await db.stop();
}
