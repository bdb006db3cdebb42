// Builds, caches and runs the embedded database: FerretDB v1 with its SQLite backend.
// Node builtins only: this runs from setup, before node_modules exists on a fresh clone.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { privateTree, spawnPrivate } from './private-files.mjs';
import {
  acceptsTcp,
  exitOf,
  freeLoopbackPort,
  isExecutable,
  run,
  spawnTiedToParent,
  stopChild,
  waitUntil,
} from './processes.mjs';

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`;
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_CHARS = 16_000;
const SERIOUS_LINE = /\t(ERROR|DPANIC|PANIC|FATAL)\t|^panic: /;

export function ferretdbCacheDir() {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.resolve(cacheHome, 'clocktree-embed', `ferretdb-${FERRETDB_VERSION}`);
}

export function ferretdbBinaryPath() {
  return path.join(ferretdbCacheDir(), 'ferretdb');
}

/**
 * Returns the path of a working FerretDB binary, building it into the per-user cache the first time.
 * The binary only ever appears in the cache through an atomic rename, so an interrupted build is never reused.
 */
export async function ensureFerretDB({ log = console.log } = {}) {
  const binary = ferretdbBinaryPath();
  if (isExecutable(binary)) return binary;

  log(`  Building FerretDB ${FERRETDB_VERSION} from the Go module proxy into ${binary}`);
  log('  (this takes about a minute the first time; later runs reuse the cached binary)');
  await assertGoAvailable();
  fs.mkdirSync(ferretdbCacheDir(), { recursive: true });
  removeStaleLeftovers();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clocktree-ferretdb-build-'));
  const partial = path.join(ferretdbCacheDir(), `.ferretdb.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  // Callers' signal handlers end with process.exit(), which skips `finally` but still runs 'exit' listeners.
  const removeLeftovers = () => {
    fs.rmSync(partial, { force: true });
    if (fs.existsSync(work)) makeUserWritable(work);
    fs.rmSync(work, { recursive: true, force: true });
  };
  process.on('exit', removeLeftovers);
  try {
    const moduleDir = await downloadModule(work);
    const src = path.join(work, 'src');
    fs.cpSync(moduleDir, src, { recursive: true });
    // The module cache is read-only; the copy must be writable to add version.txt (and to be deleted later).
    makeUserWritable(src);
    // `go install …@version` panics at start: the release's version.txt is generated, not part of the module.
    fs.writeFileSync(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    await run('go', ['build', '-trimpath', '-o', partial, './cmd/ferretdb'], { cwd: src, env: goEnv() });
    await assertReportsVersion(partial);
    fs.renameSync(partial, binary);
    return binary;
  } finally {
    process.off('exit', removeLeftovers);
    removeLeftovers();
  }
}

/**
 * Starts FerretDB on loopback with its data in dataDir and waits until it accepts connections.
 * Resolves to { uri, port, pid, dataDir, exited, output(), stop() }; `exited` resolves with { code, signal } whenever
 * the process ends, so callers can notice an unexpected death; output() is the tail of what it printed.
 * onOutput(line) receives only its error-level lines: at warn level FerretDB also dumps every failed command's
 * response (a duplicate key, the driver's unsupported endSessions on close) and every dropped connection.
 */
export async function startFerretDB({ dataDir, port, binary, onOutput } = {}) {
  if (!dataDir) throw new Error('startFerretDB: dataDir is required');
  const dir = path.resolve(dataDir);
  privateTree(dir);
  const bin = binary ?? (await ensureFerretDB());
  const listenPort = port ?? (await freeLoopbackPort());
  // Otherwise another server on that port would pass our readiness probe while FerretDB fails to bind.
  if (port && (await acceptsTcp(port))) throw new Error(`FerretDB cannot listen on 127.0.0.1:${port}: port in use`);

  const args = [
    '--handler=sqlite',
    // FerretDB insists on a trailing slash and an existing directory; percent-encode odd characters for its URL parser.
    `--sqlite-url=file:${pathToFileURL(dir).pathname.replace(/\/?$/, '/')}`,
    `--listen-addr=127.0.0.1:${listenPort}`,
    `--state-dir=${dir}`,
    '--debug-addr=-',
    // Telemetry would phone home after an hour; an embedded dev database must never do that.
    '--telemetry=disable',
    '--log-level=warn',
  ];
  const child = spawnPrivate(() => spawnTiedToParent(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const output = collectOutput(child, onOutput);
  const exited = exitOf(child);
  const stop = () => stopChild(child, exited, STOP_GRACE_MS);

  try {
    await waitUntil(
      () => acceptsTcp(listenPort),
      exited,
      START_TIMEOUT_MS,
      `port ${listenPort} did not accept connections`,
    );
  } catch (err) {
    await stop();
    throw new Error(`FerretDB did not start: ${err.message}\n--- FerretDB output ---\n${output.tail() || '(none)'}`);
  }
  return {
    uri: `mongodb://127.0.0.1:${listenPort}/`,
    port: listenPort,
    pid: child.pid,
    dataDir: dir,
    exited,
    output: output.tail,
    stop,
  };
}

// Keeps the last few KB of output for error messages; the pipes must be drained anyway or the child would block.
function collectOutput(child, onOutput) {
  let tail = '';
  const onChunk = (chunk) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
    if (onOutput) for (const line of text.split('\n')) if (SERIOUS_LINE.test(line)) onOutput(line);
  };
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', onChunk);
  return { tail: () => tail.trim() };
}

async function assertGoAvailable() {
  try {
    await run('go', ['version'], { env: goEnv(), quiet: true });
  } catch {
    throw new Error(
      'Building FerretDB needs Go >= 1.24 on PATH (https://go.dev/dl/). ' +
        'Alternatively set MONGODB_URI to use an existing MongoDB.',
    );
  }
}

async function downloadModule(cwd) {
  const { stdout } = await run('go', ['mod', 'download', '-json', MODULE], { cwd, env: goEnv(), capture: true });
  const info = JSON.parse(stdout);
  if (info.Error || !info.Dir) throw new Error(`go mod download ${MODULE} failed: ${info.Error ?? 'no Dir'}`);
  return info.Dir;
}

async function assertReportsVersion(binary) {
  const { stdout } = await run(binary, ['--version'], { capture: true });
  if (!stdout.includes(`version: ${FERRETDB_VERSION}`)) {
    throw new Error(`the freshly built FerretDB reports an unexpected version:\n${stdout}`);
  }
}

// A user's Go settings (GOFLAGS=-mod=vendor, a go.work, GO111MODULE=off) must not leak into this fixed build.
function goEnv() {
  return { ...process.env, CGO_ENABLED: '0', GO111MODULE: 'on', GOWORK: 'off', GOFLAGS: '-buildvcs=false' };
}

function makeUserWritable(dir) {
  fs.chmodSync(dir, fs.statSync(dir).mode | 0o200);
  if (!fs.statSync(dir).isDirectory()) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeUserWritable(full);
    else if (entry.isFile()) fs.chmodSync(full, fs.statSync(full).mode | 0o200);
  }
}

// A build interrupted by a signal leaves its partial binary and sources behind. Clear old ones only: a concurrent
// build's files are recent.
function removeStaleLeftovers() {
  const candidates = [
    ...listMatching(ferretdbCacheDir(), '.ferretdb.partial-'),
    ...listMatching(os.tmpdir(), 'clocktree-ferretdb-build-'),
  ];
  for (const full of candidates) {
    try {
      if (Date.now() - fs.statSync(full).mtimeMs < 3_600_000) continue;
      makeUserWritable(full);
      fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Someone else's leftovers or a race with another cleanup: not worth failing a build for.
    }
  }
}

function listMatching(dir, prefix) {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => path.join(dir, name));
}
