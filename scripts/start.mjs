// `npm start`: the embedded runtime. Sets up, builds the widget bundles, starts FerretDB (unless MONGODB_URI is
// given), Janus (when installed and JANUS_URLS is not given) and the server, and renders the server's JSON logs for
// humans. Ctrl-C stops everything, in order: the server, Janus, FerretDB.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { FERRETDB_VERSION, startFerretDB } from './ferretdb.mjs';
import { janusInstalled, startLocalJanus } from './janus-local.mjs';
import { redisAnswers } from './redis-local.mjs';
import { renderLogLine } from './log-format.mjs';
import { privateDir, privateTree, spawnPrivate } from './private-files.mjs';
import { exitOf, runForCode, spawnTiedToParent, stopChild, waitUntil } from './processes.mjs';
import { ROOT, setup } from './setup.mjs';

const HEALTH_TIMEOUT_MS = 60_000;
const SERVER_STOP_GRACE_MS = 10_000;
const SERVER_ENTRY = 'server/src/main.ts';
/** main.ts exits with this when the configuration is invalid: restarting would fail the same way. */
const CONFIG_ERROR_EXIT_CODE = 2;
const RESTART_FIRST_DELAY_MS = 1000;
const RESTART_MAX_DELAY_MS = 30_000;
const RESTART_RESET_AFTER_MS = 60_000;

const state = { server: null, serverClosed: null, db: null, janus: null, stopping: false, restarts: 0 };

async function main() {
  handleSignals();
  await setup({ forTests: false });

  const port = process.env.PORT || '8080';
  const dataDir = privateDataDir(path.resolve(ROOT, process.env.DATA_DIR || 'data'));
  const database = process.env.MONGODB_URI ? externalDatabase() : await embeddedDatabase(dataDir);
  const video = await videoService(dataDir, port);
  const fanout = await redisState();

  await buildWidgets();
  startServer({ port, dataDir, database, video });
  await waitForHealth(port);
  printBox(port, dataDir, database, video.label, fanout);
}

/**
 * The data folder and what this service keeps in it, narrowed to this user (an earlier version left them readable to
 * others). Only these: DATA_DIR may name a folder that also holds other things.
 */
function privateDataDir(dataDir) {
  privateDir(dataDir);
  for (const part of ['db', 'janus', 'outbox'])
    if (fs.existsSync(path.join(dataDir, part))) privateTree(path.join(dataDir, part));
  const key = path.join(dataDir, 'dev-master-key');
  if (fs.existsSync(key)) fs.chmodSync(key, 0o600);
  return dataDir;
}

function externalDatabase() {
  return { uri: process.env.MONGODB_URI, label: `MONGODB_URI ${redact(process.env.MONGODB_URI)}`, demo: false };
}

async function embeddedDatabase(dataDir) {
  const dbDir = path.join(dataDir, 'db');
  say(`Starting FerretDB ${FERRETDB_VERSION} (data in ${displayPath(dbDir)})…`);
  const started = Date.now();
  state.db = await startFerretDB({ dataDir: dbDir, onOutput: (line) => console.log(`[ferretdb] ${line}`) });
  say(`  ok (${seconds(started)} s) on ${state.db.uri}`);
  state.db.exited.then((info) => {
    if (state.stopping) return;
    console.error(`[start] FerretDB stopped unexpectedly (${info.signal ?? `exit code ${info.code}`}); shutting down.`);
    console.error(`--- FerretDB output ---\n${state.db.output() || '(none)'}`);
    shutdown(1);
  });
  const uri = `${state.db.uri}clocktree`;
  // The demo practice is only seeded into our own throwaway database, never into one the user pointed us at.
  return { uri, label: `FerretDB ${FERRETDB_VERSION} (SQLite) ${uri}, data in ${displayPath(dbDir)}`, demo: true };
}

/**
 * JANUS_URLS as given, or a local Janus when Debian's is installed. Video is optional: when the local Janus cannot
 * start (its port is taken…), or dies later, this says so and the service runs on without it.
 */
async function videoService(dataDir, serverPort) {
  if (process.env.JANUS_URLS) {
    const count = process.env.JANUS_URLS.split(',').filter((s) => s.trim()).length;
    return { label: `JANUS_URLS (${count} instance${count === 1 ? '' : 's'})`, env: {} };
  }
  const off = (why) => ({ label: `off — ${why}`, env: {} });
  if (!janusInstalled()) return off("install Debian's janus or set JANUS_URLS");

  const janusDir = path.join(dataDir, 'janus');
  say(`Starting Janus (video; config in ${displayPath(janusDir)})…`);
  const started = Date.now();
  try {
    state.janus = await startLocalJanus({
      dataDir,
      serverPort: Number(serverPort),
      port: process.env.JANUS_PORT,
      iceInterface: process.env.JANUS_ICE_INTERFACE,
      onOutput: (line, level) => {
        // Once the server is down, the event handler's failed posts (and their retries) are expected.
        if (state.stopping && /relay event|Retransmitting event/.test(line)) return;
        console[level](`[janus] ${line}`);
      },
    });
  } catch (err) {
    console.warn(`[start] No video: ${err.message}`);
    console.warn('[start] Continuing without it: messaging does not need video.');
    return off(err.message.split('\n')[0]);
  }
  const janus = state.janus;
  say(`  ok (${seconds(started)} s): Janus ${janus.version} on ${janus.url}`);
  for (const note of janus.notes) say(`  ${note}`);
  janus.exited.then((info) => {
    if (state.stopping) return;
    const why = info.signal ?? `exit code ${info.code}`;
    console.error(`[start] Janus stopped unexpectedly (${why}): no video until the next \`npm start\`.`);
    console.error('[start] Messaging keeps running.');
    console.error(`--- Janus output ---\n${janus.output() || '(none)'}`);
  });
  return {
    label: `local Janus ${janus.version} at ${janus.url}`,
    env: { JANUS_URLS: janus.url, JANUS_ADMIN_KEY: janus.adminKey, JANUS_EVENT_SECRET: janus.eventSecret },
  };
}

/**
 * One node needs no Redis (in-process Socket.IO fan-out, jobs without leases); several share REDIS_URL. Said either
 * way, and loudly when REDIS_URL is set but nothing answers there.
 */
async function redisState() {
  const url = process.env.REDIS_URL;
  if (!url) {
    say('Redis: none (REDIS_URL not set): one node, in-process fan-out. Set REDIS_URL to run several nodes.');
    return 'none: one node (set REDIS_URL for several)';
  }
  if (await redisAnswers(url)) {
    say(`Redis: ${redact(url)} answers (fan-out, job leases and limits shared across nodes)`);
    return `REDIS_URL ${redact(url)}`;
  }
  console.warn(
    `[start] REDIS ABSENT: nothing answers at REDIS_URL ${redact(url)}. The server starts, but until Redis answers ` +
      'its pushes reach only its own sockets, leased jobs wait and limits are counted per node.',
  );
  return `REDIS_URL ${redact(url)} (NOT ANSWERING)`;
}

async function buildWidgets() {
  if (!fs.existsSync(path.join(ROOT, 'rollup.config.mjs'))) {
    console.warn('[start] rollup.config.mjs not found: skipping the widget build (the SDK bundles may be missing).');
    return;
  }
  say('Building the widget bundles (rollup)…');
  const started = Date.now();
  const code = await runForCode('npx', ['rollup', '-c', '--silent'], { cwd: ROOT });
  if (code !== 0) throw new Error(`the widget build failed (exit code ${code})`);
  say(`  ok (${seconds(started)} s)`);
}

function startServer({ port, dataDir, database, video }) {
  if (!fs.existsSync(path.join(ROOT, SERVER_ENTRY))) throw new Error(`${SERVER_ENTRY} not found`);
  say(`Starting the server on port ${port}…`);
  const env = { ...process.env, ...video.env, MONGODB_URI: database.uri, PORT: port, DATA_DIR: dataDir };
  if (database.demo) env.CLOCKTREE_DEMO = '1';
  const child = spawnPrivate(() =>
    spawnTiedToParent(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const startedAt = Date.now();
  state.server = child;
  readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    process.stdout.write(`${renderLogLine(line)}\n`);
  });
  // 'close' (not 'exit') so the server's last log lines are printed before we leave.
  state.serverClosed = exitOf(child, 'close');
  state.serverClosed.then(async ({ code, signal, error }) => {
    if (state.stopping) return;
    const why = error ? error.message : signal ? `killed by ${signal}` : `exit code ${code}`;
    if (code === CONFIG_ERROR_EXIT_CODE || error) {
      // A configuration error (or a server that cannot be spawned) fails the same way every time.
      console.error(`[start] The server stopped by itself (${why}); not restarting it.`);
      return shutdown(code ?? 1);
    }
    // The database and Janus keep running: only the server is started again, after a growing pause so a server
    // that dies at once does not spin. A server that stayed up a while starts the pauses over.
    if (Date.now() - startedAt > RESTART_RESET_AFTER_MS) state.restarts = 0;
    const delay = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** state.restarts++);
    console.error(
      `[start] The server stopped by itself (${why}); restarting it in ${(delay / 1000).toFixed(1)} s ` +
        `(restart ${state.restarts}). FerretDB and Janus keep running.`,
    );
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (state.stopping) return;
    try {
      startServer({ port, dataDir, database, video });
      await waitForHealth(port);
      say('  the server is back');
    } catch (err) {
      console.error(`[start] Restarting the server failed: ${err.message}`);
    }
  });
}

async function waitForHealth(port) {
  const url = `http://127.0.0.1:${port}/healthz`;
  const healthy = async () => {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200;
    } catch {
      return false; // Not listening yet.
    }
  };
  await waitUntil(healthy, undefined, HEALTH_TIMEOUT_MS, `${url} did not answer 200`, 250);
}

function printBox(port, dataDir, database, videoLabel, redisLabel) {
  const base = `http://127.0.0.1:${port}`;
  const mail = process.env.SMTP_URL
    ? 'sent through SMTP_URL'
    : `written to ${displayPath(path.join(dataDir, 'outbox'))} as .eml files`;
  const rows = [
    'Clocktree Embed is running',
    '',
    `Example practice site  ${base}/examples/practice-site/`,
    `Client portal          ${base}/messages/`,
    `Provider console       ${base}/console`,
    `Directory              ${base}/examples/directory/`,
    `Health                 ${base}/healthz`,
    `Database               ${database.label}`,
    `Video                  ${videoLabel}`,
    `Redis                  ${redisLabel}`,
    `Mail                   ${mail}`,
    '                       (invitations and resets at once; new-message notices ~30 s after nobody read it live)',
    ...demoSignIns(database.demo),
    '',
    'Clients get in from the invitation mail a practice sends them (Add a client in the console).',
    'Ctrl-C to stop',
  ];
  const width = Math.max(...rows.map((r) => r.length));
  const lines = [
    `┌${'─'.repeat(width + 2)}┐`,
    ...rows.map((r) => `│ ${r.padEnd(width)} │`),
    `└${'─'.repeat(width + 2)}┘`,
  ];
  console.log(`\n${lines.join('\n')}\n`);
}

/** The demo accounts, when the demo practice is seeded (our own embedded database only). */
function demoSignIns(seeded) {
  if (!seeded) return [];
  const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'server/src/demo/demo-accounts.json'), 'utf8'));
  return [
    '',
    `Demo sign-ins (password ${demo.password}):`,
    `  admin      ${demo.admin.email}`,
    `  colleague  ${demo.colleague.email}`,
    `  client     ${demo.client.email}`,
  ];
}

// ---- lifecycle ---------------------------------------------------------------------------------------------------

function handleSignals() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (state.stopping) {
        // A second Ctrl-C means "now": the 'exit' hooks and parent-death signals still stop the children.
        state.server?.kill('SIGKILL');
        process.exit(130);
      }
      console.log(`\n[start] ${signal}: stopping…`);
      shutdown(0);
    });
  }
}

async function shutdown(code) {
  if (state.stopping) return;
  state.stopping = true;
  if (state.server) await stopServer();
  if (state.janus) await state.janus.stop();
  if (state.db) await state.db.stop();
  process.exit(code);
}

async function stopServer() {
  await stopChild(state.server, state.serverClosed, SERVER_STOP_GRACE_MS, {
    onKill: () => console.warn(`[start] The server did not stop within ${SERVER_STOP_GRACE_MS / 1000} s; killing it.`),
  });
}

function redact(uri) {
  return uri.replace(/\/\/([^@/]*?):([^@/]*)@/, '//$1:***@');
}

function displayPath(dir) {
  const rel = path.relative(ROOT, dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `./${rel}` : dir;
}

function say(line) {
  console.log(`[start] ${line}`);
}

function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(1);
}

main().catch((err) => {
  console.error(`[start] ${err.message}`);
  shutdown(1);
});
