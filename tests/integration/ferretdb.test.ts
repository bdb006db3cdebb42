// Proves the tests talk to a real database: a separate process speaking the MongoDB wire protocol (FerretDB when
// scripts/test.mjs started it, or whatever MONGODB_URI names), not an in-process fake.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import mongoose from 'mongoose';
import { unmet } from '../helpers/prerequisites.ts';

const uri = process.env.MONGODB_URI;
const ferretdbPid = process.env.FERRETDB_PID ? Number(process.env.FERRETDB_PID) : undefined;
const dbName = `ct_probe_${randomBytes(6).toString('hex')}`;
const skip = unmet([[Boolean(uri), 'MONGODB_URI is not set (run through `npm test`)']]);

let conn: mongoose.Connection;

before(async () => {
  if (!uri) return;
  conn = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
});

after(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

test('buildInfo answers over the wire protocol', { skip }, async () => {
  assert.ok(conn.db, 'connection has a database handle');
  const info = await conn.db.admin().command({ buildInfo: 1 });
  assert.equal(info.ok, 1);
  assert.equal(typeof info.version, 'string');
  if (ferretdbPid !== undefined) assert.equal(info.ferretdbVersion, 'v1.24.2');
});

test(
  'the database is a separate FerretDB process listening on the URI port',
  { skip: skip || (ferretdbPid ? false : 'FERRETDB_PID is not set: an external database') },
  async () => {
    const pid = ferretdbPid as number;
    assert.notEqual(pid, process.pid);
    assert.doesNotThrow(() => process.kill(pid, 0), `process ${pid} is alive`);

    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    assert.equal(path.basename(argv[0] ?? ''), 'ferretdb', `argv[0] of ${pid} is the ferretdb binary`);
    assert.ok(argv.includes('--telemetry=disable'), 'telemetry is disabled');

    const port = Number(new URL(uri as string).port);
    assert.ok(port > 0, 'the URI names a port');
    assert.equal(await acceptsTcp(port), true, `127.0.0.1:${port} accepts TCP connections`);
    assert.ok(listeningPorts(pid).has(port), `process ${pid} owns the listening socket on port ${port}`);
  },
);

test('a document written by one connection is read back through another', { skip }, async () => {
  const schema = new mongoose.Schema({ label: String, count: Number, tags: [String] });
  const Writer = conn.model('Probe', schema);
  const written = await Writer.create({ label: 'round trip', count: 3, tags: ['a', 'b'] });

  const other = await mongoose
    .createConnection(uri as string, { dbName, serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  try {
    const Reader = other.model('Probe', schema);
    const read = await Reader.findById(written._id).lean();
    assert.ok(read, 'the second connection finds the document');
    assert.equal(read.label, 'round trip');
    assert.equal(read.count, 3);
    assert.deepEqual(read.tags, ['a', 'b']);
  } finally {
    await other.close();
  }
});

function acceptsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Ports in LISTEN state whose socket is one of pid's open file descriptors (from /proc, Linux only). */
function listeningPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    const target = safeReadlink(`/proc/${pid}/fd/${fd}`);
    const match = target && /^socket:\[(\d+)\]$/.exec(target);
    if (match?.[1]) inodes.add(match[1]);
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [localAddress, state, inode] = [cols[1], cols[3], cols[9]];
      const LISTEN = '0A';
      if (!localAddress || state !== LISTEN || !inode || !inodes.has(inode)) continue;
      ports.add(parseInt(localAddress.split(':')[1] ?? '', 16));
    }
  }
  return ports;
}

function safeReadlink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined; // fds come and go while we look
  }
}
