// The scale-out figures of `npm run bench` (issue 13), against the real server binary in its own process so its CPU
// time and memory can be read from /proc beside FerretDB's: delivery latency under a steady message rate with many
// connected clients (beside a raw Socket.IO relay at the same rate), idle authenticated sockets and the server's RSS
// per socket, and GET /threads requests/s beside a bare Koa hello-world.
import { randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startServerProcess } from '../../tests/helpers/server-process.ts';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time (user + system) of process `pid` so far, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Resident memory of process `pid`, in KB, from /proc/<pid>/status. */
export function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

function socketTo(url: string, token?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(url, {
      auth: token ? { token } : {},
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** `count` sockets at `url`, `batch` handshakes at a time. */
async function connectMany(url: string, token: string | undefined, count: number, batch = 50): Promise<Socket[]> {
  const sockets: Socket[] = [];
  while (sockets.length < count)
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(batch, count - sockets.length) }, () => socketTo(url, token)),
      )),
    );
  return sockets;
}

export interface LoadRow {
  label: string;
  rate: number;
  sent: number;
  delivered: number;
  errors: number;
  p50: number;
  p99: number;
  serverCpuPct?: number;
  dbCpuPct?: number;
  serverCpuPerMsg?: number;
  dbCpuPerMsg?: number;
}

/**
 * Sends at `rate` per second for `seconds` (open loop: on schedule, whatever the answers), timing each from its send
 * to its arrival at `receiver`; what has not arrived `drainMs` after the last send counts as undelivered.
 */
async function atRate(
  label: string,
  rate: number,
  seconds: number,
  send: (i: number, body: string) => Promise<boolean>,
  receiver: Socket,
  event: string,
  bodyOf: (payload: unknown) => string,
  pids: { server?: number; db?: number },
  drainMs = 10_000,
): Promise<LoadRow> {
  const sentAt = new Map<string, number>();
  const times: number[] = [];
  let errors = 0;
  const on = (payload: unknown) => {
    const started = sentAt.get(bodyOf(payload));
    if (started === undefined) return;
    times.push(performance.now() - started);
  };
  receiver.on(event, on);
  const cpu0 = { server: pids.server && cpuMs(pids.server), db: pids.db && cpuMs(pids.db) };
  const began = performance.now();
  const total = Math.round(rate * seconds);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = began + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const body = `${label} ${rate}/s #${i} ${randomBytes(3).toString('hex')}`;
    sentAt.set(body, performance.now());
    sends.push(
      send(i, body).then(
        (ok) => void (ok || errors++),
        () => void errors++,
      ),
    );
  }
  await Promise.all(sends);
  const end = performance.now() + drainMs;
  while (times.length < total - errors && performance.now() < end) await sleep(50);
  const elapsedS = (performance.now() - began) / 1000;
  receiver.off(event, on);
  times.sort((a, b) => a - b);
  const row: LoadRow = {
    label,
    rate,
    sent: total,
    delivered: times.length,
    errors,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
  };
  const delivered = Math.max(1, times.length);
  if (pids.server) {
    const used = cpuMs(pids.server) - (cpu0.server as number);
    Object.assign(row, { serverCpuPct: (used / 10 / elapsedS) | 0, serverCpuPerMsg: used / delivered });
  }
  if (pids.db) {
    const used = cpuMs(pids.db) - (cpu0.db as number);
    Object.assign(row, { dbCpuPct: (used / 10 / elapsedS) | 0, dbCpuPerMsg: used / delivered });
  }
  return row;
}

/** A bare Socket.IO relay (emit → server → other client) with `idle` more clients connected. */
async function rawRelay(idle: number) {
  const server = createServer();
  const io = new Server(server);
  io.on('connection', (socket) => socket.on('say', (text: string) => void io.to('listeners').emit('heard', text)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const [sender, receiver] = await Promise.all([socketTo(url), socketTo(url)]);
  for (const s of await io.fetchSockets()) if (s.id === receiver.id) s.join('listeners');
  const others = await connectMany(url, undefined, idle);
  return {
    sender,
    receiver,
    async close() {
      for (const s of [sender, receiver, ...others]) s.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

export interface ScaleOptions {
  dbUri: string;
  dbPid?: number;
  rates: number[];
  seconds: number;
  idle: number[];
  rpsSeconds: number;
}

export async function scaleBench(o: ScaleOptions) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ct-bench-node-'));
  const uri = new URL(o.dbUri);
  uri.pathname = `/ct_bench_scale_${randomBytes(4).toString('hex')}`;
  const server = await startServerProcess({
    MONGODB_URI: uri.toString(),
    CLOCKTREE_MASTER_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info', // as production runs; the start is read from its 'listening' line
  });
  const sockets: Socket[] = [];
  try {
    const request = httpClient(server.url);
    const s = await practiceWithStaff(request);
    const bystanders = await practiceWithStaff(request);
    const threadIds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
        token: s.colleague.token,
        body: { clientId: s.client.id, body: `load thread ${i}` },
      });
      threadIds.push(res.body.thread.id);
    }
    const receiver = await socketTo(server.url, s.colleague.token);
    sockets.push(receiver);

    // Idle authenticated sockets (people of another practice, who hear none of this): RSS per socket.
    const idleRows: { sockets: number; rssMb: number; perSocketKb: number }[] = [];
    const baseline = rssKb(server.pid);
    let loadRows: LoadRow[] = [];
    for (const target of o.idle) {
      const before = sockets.length - 1;
      sockets.push(...(await connectMany(server.url, bystanders.admin.token, target - before)));
      await sleep(2_000);
      const now = rssKb(server.pid);
      idleRows.push({ sockets: target, rssMb: now / 1024, perSocketKb: (now - baseline) / target });
      // The delivery load runs with the first count of idle sockets connected.
      if (target === o.idle[0])
        loadRows = await deliveryRows(o, server, request, s.client.token, threadIds, receiver, target);
    }
    // The idle clients live in this process: they go before the requests/s, which this process also drives.
    for (const socket of sockets.splice(1)) socket.close();
    const rps = await threadsRps(request, s.admin.token, s.practiceId, o.rpsSeconds);
    return { idleRows, loadRows, rps };
  } finally {
    for (const socket of sockets) socket.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  async function deliveryRows(
    o: ScaleOptions,
    server: { pid: number },
    request: Request,
    token: string,
    threadIds: string[],
    receiver: Socket,
    idle: number,
  ) {
    const rows: LoadRow[] = [];
    const raw = await rawRelay(idle);
    try {
      for (const rate of o.rates) {
        rows.push(
          await atRate(
            'raw Socket.IO relay',
            rate,
            o.seconds,
            async (_, body) => (raw.sender.emit('say', body), true),
            raw.receiver,
            'heard',
            (text: unknown) => text as string,
            {},
          ),
        );
        rows.push(
          await atRate(
            'ours: POST → message:new',
            rate,
            o.seconds,
            async (i, body) =>
              (
                await request('POST', `/api/v1/threads/${threadIds[i % threadIds.length]}/messages`, {
                  token,
                  body: { body },
                })
              ).status === 201,
            receiver,
            'message:new',
            (e: unknown) => (e as { message: { body: string } }).message.body,
            { server: server.pid, ...(o.dbPid ? { db: o.dbPid } : {}) },
          ),
        );
      }
    } finally {
      await raw.close();
    }
    return rows;
  }
}

/** Closed loop, 10 at a time, for `seconds`: answered requests per second and how many were not 200. */
async function closedLoop(seconds: number, call: () => Promise<number>) {
  let ok = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (performance.now() < end) {
        if ((await call().catch(() => 0)) === 200) ok++;
        else errors++;
      }
    }),
  );
  return { rps: ok / seconds, errors };
}

async function threadsRps(request: Request, token: string, practiceId: string, seconds: number) {
  const ours = await closedLoop(
    seconds,
    async () => (await request('GET', `/api/v1/threads?practiceId=${practiceId}`, { token })).status,
  );
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = 'hello world';
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bare = httpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const koa = await closedLoop(seconds, async () => (await bare('GET', '/')).status);
  await new Promise((resolve) => server.close(resolve));
  return { ours, koa };
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));

export function printScale(result: Awaited<ReturnType<typeof scaleBench>>, idle: number, dbLabel: string) {
  console.log(`\nDelivery under load, ${idle} idle authenticated sockets connected (server in its own process)`);
  const head = ['measurement', 'rate/s', 'sent', 'delivered', 'errors', 'p50 ms', 'p99 ms', 'ratio p50'];
  const cpuHead = ['server CPU %', `${dbLabel} CPU %`, 'server CPU ms/msg', `${dbLabel} CPU ms/msg`];
  console.log([...head, ...cpuHead].join(' | '));
  const raw = new Map(result.loadRows.filter((r) => r.label.startsWith('raw')).map((r) => [r.rate, r.p50]));
  for (const r of result.loadRows) {
    const ratio = r.label.startsWith('raw') ? '1' : fmt(r.p50 / raw.get(r.rate)!);
    console.log(
      [
        r.label,
        r.rate,
        r.sent,
        r.delivered,
        r.errors,
        fmt(r.p50),
        fmt(r.p99),
        ratio,
        fmt(r.serverCpuPct, 0),
        fmt(r.dbCpuPct, 0),
        fmt(r.serverCpuPerMsg, 2),
        fmt(r.dbCpuPerMsg, 2),
      ].join(' | '),
    );
  }
  console.log('\nIdle authenticated sockets on one node (RSS of the server process)');
  console.log('sockets | server RSS MB | KB per socket (from before the first)');
  for (const r of result.idleRows) console.log(`${r.sockets} | ${fmt(r.rssMb)} | ${fmt(r.perSocketKb)}`);
  console.log('\nRequests per second, 10 at a time');
  console.log('measurement | requests/s | errors');
  console.log(`ours: GET /threads (${dbLabel}-bound) | ${fmt(result.rps.ours.rps)} | ${result.rps.ours.errors}`);
  console.log(`bare Koa hello-world | ${fmt(result.rps.koa.rps)} | ${result.rps.koa.errors}`);
}
