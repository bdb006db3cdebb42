// `npm test [-- <substring>…]`: every check in one place. Each step runs even when an earlier one failed, so one
// run shows everything that is wrong; the table at the end is the summary. Substrings restrict the node test files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFerretDB } from './ferretdb.mjs';
import { redisAnswers, redisInstalled, startLocalRedis } from './redis-local.mjs';
import { exitOf, runForCode, stopChild } from './processes.mjs';
import { CHROMIUM_BIN, ROOT, setup } from './setup.mjs';

// Per test file: catches a hang, not slowness. The machines are shared; under load (load average 14) the longest files
// passed 120 s, so a healthy run failed. 90 minutes bounds the whole run in CI.
const TEST_TIMEOUT_MS = 300_000;
const CHILD_STOP_GRACE_MS = 10_000;

const filters = process.argv.slice(2).filter((arg) => arg !== '--');
const results = [];
const testEnv = { ...process.env };
const state = { current: null, db: null, dbDir: null, redis: null, interrupted: false, cleanup: null };

async function main() {
  handleSignals();
  await setup({ forTests: true });

  await step('typecheck', () => commands([['npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']]]));
  await step('lint', () =>
    commands([
      ['npx', ['eslint', '--max-warnings=0', '.']],
      ['npx', ['prettier', '--check', '--log-level=warn', '.']],
    ]),
  );
  await step('build', () => commands([['npx', ['rollup', '-c', '--silent']]]));
  await step('node tests', nodeTests);
  await step('browser tests', browserTests);

  await cleanup();
  printTable();
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

async function nodeTests() {
  const files = findTestFiles();
  if (files.length === 0) {
    return filters.length
      ? { ok: false, note: `no test file matches ${filters.join(', ')}` }
      : { ok: true, note: 'no test files' };
  }
  await ensureDatabase();
  await ensureRedis();
  testEnv.CHROMIUM_PATH = process.env.CHROMIUM_PATH || CHROMIUM_BIN;
  // Every prerequisite was installed by setup: a suite that cannot run must fail here, not skip (tests/helpers).
  testEnv.CLOCKTREE_FULL_SUITE = '1';
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    '--test-reporter=spec',
    ...files,
  ];
  const ok = (await runCommand(process.execPath, args)) === 0;
  return { ok, note: `${files.length} file${files.length === 1 ? '' : 's'}` };
}

async function browserTests() {
  if (!fs.existsSync(path.join(ROOT, 'web-test-runner.config.mjs'))) {
    console.error('[test] web-test-runner.config.mjs not found: the browser tests cannot run.');
    return { ok: false, note: 'web-test-runner.config.mjs missing' };
  }
  return commands([['npx', ['web-test-runner']]]);
}

/** Tests share one throwaway FerretDB; each test file picks its own database name, so the URI carries none. */
async function ensureDatabase() {
  if (process.env.MONGODB_URI || state.db) return;
  state.dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clocktree-test-db-'));
  console.log(`[test] Starting FerretDB for the tests (data in ${state.dbDir})`);
  state.db = await startFerretDB({ dataDir: state.dbDir, onOutput: (line) => console.error(`[ferretdb] ${line}`) });
  state.db.exited.then((info) => {
    if (state.cleanup) return;
    console.error(`[test] FerretDB died during the tests (${info.signal ?? `exit code ${info.code}`}):`);
    console.error(state.db.output() || '(no output)');
  });
  testEnv.MONGODB_URI = state.db.uri;
  testEnv.FERRETDB_PID = String(state.db.pid);
}

/** The Redis tests (limits, multi-node) use REDIS_TEST_URL, 127.0.0.1:6379, or a redis-server started here. */
async function ensureRedis() {
  const wanted = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
  if (state.redis || (await redisAnswers(wanted))) return console.log(`[test] Redis answers at ${wanted}`);
  if (!redisInstalled()) {
    console.error(`[test] NO REDIS: nothing answers at ${wanted} and redis-server is not installed;`);
    console.error('[test]   the Redis tests (redis-limits, multi-node) will fail. apt-get install redis-server.');
    return;
  }
  state.redis = await startLocalRedis();
  testEnv.REDIS_TEST_URL = state.redis.url;
  console.log(`[test] No Redis at ${wanted}: started redis-server for the tests at ${state.redis.url}`);
}

function findTestFiles() {
  const roots = ['server/src', 'tests'];
  const packages = path.join(ROOT, 'packages');
  if (fs.existsSync(packages)) for (const name of fs.readdirSync(packages)) roots.push(`packages/${name}/src`);

  const files = [];
  for (const root of roots) {
    const dir = path.join(ROOT, root);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
    for (const rel of fs.readdirSync(dir, { recursive: true })) {
      const file = path.join(root, rel);
      if (!file.endsWith('.test.ts') || file.split(path.sep).includes('node_modules')) continue;
      if (filters.length && !filters.some((f) => file.includes(f))) continue;
      files.push(file);
    }
  }
  return files.sort();
}

// ---- steps and their summary -------------------------------------------------------------------------------------

async function step(name, fn) {
  if (state.interrupted) return;
  console.log(`\n[test] ── ${name} ${'─'.repeat(Math.max(0, 60 - name.length))}`);
  const started = Date.now();
  let outcome;
  try {
    outcome = await fn();
  } catch (err) {
    console.error(`[test] ${name}: ${err.message}`);
    outcome = { ok: false, note: err.message.split('\n')[0] };
  }
  const result = { name, ...outcome, seconds: (Date.now() - started) / 1000 };
  if (state.interrupted) Object.assign(result, { ok: false, note: 'interrupted' });
  results.push(result);
  console.log(`[test] ${name}: ${result.ok ? 'ok' : 'FAILED'} (${result.seconds.toFixed(1)} s)`);
}

async function commands(list) {
  let ok = true;
  for (const [command, args] of list) {
    if (state.interrupted) return { ok: false };
    console.log(`[test] $ ${command} ${args.join(' ')}`);
    if ((await runCommand(command, args)) !== 0) ok = false;
  }
  return { ok };
}

function printTable() {
  const rows = results.map((r) => [
    r.name,
    (r.ok ? 'ok' : 'FAILED') + (r.note ? ` (${r.note})` : ''),
    r.seconds.toFixed(1),
  ]);
  const header = ['step', 'result', 'seconds'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const format = (row) =>
    row.map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('-+-')}`);
  for (const row of rows) console.log(format(row));
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed ? `\n${failed} step${failed === 1 ? '' : 's'} failed` : '\nall steps passed');
}

// ---- processes ---------------------------------------------------------------------------------------------------

/**
 * Each command gets its own process group so that stopping it also stops what it started (tsx workers, test
 * subprocesses, Chromium); a terminal Ctrl-C reaches only us, and we forward it.
 */
async function runCommand(command, args) {
  const code = await runForCode(command, args, {
    cwd: ROOT,
    env: testEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
    group: true,
    onSpawn: (child) => {
      state.current = { child, exited: exitOf(child) };
    },
  });
  state.current = null;
  return code;
}

async function stopCurrent() {
  if (state.current) await stopChild(state.current.child, state.current.exited, CHILD_STOP_GRACE_MS, { group: true });
}

function cleanup() {
  state.cleanup ??= (async () => {
    await state.db?.stop();
    await state.redis?.stop();
    if (state.dbDir) fs.rmSync(state.dbDir, { recursive: true, force: true });
  })();
  return state.cleanup;
}

function handleSignals() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, async () => {
      if (state.interrupted) process.exit(130);
      state.interrupted = true;
      console.log(`\n[test] ${signal}: stopping (again to force)…`);
      await stopCurrent();
      await cleanup();
      printTable();
      process.exit(130);
    });
  }
}

main().catch(async (err) => {
  console.error(`[test] ${err.message}`);
  await cleanup();
  process.exit(1);
});
