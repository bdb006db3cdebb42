// Brings a fresh clone to a runnable state: npm packages, Debian packages, the embedded database binary.
// Node builtins only: node_modules may not exist yet when this runs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureFerretDB, FERRETDB_VERSION } from './ferretdb.mjs';
import { run } from './processes.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM_BIN = '/usr/bin/chromium';
const JANUS_BIN = '/usr/bin/janus';
const DEBIAN_PACKAGES = [
  { name: 'chromium', binary: CHROMIUM_BIN },
  { name: 'janus', binary: JANUS_BIN },
];

/** Runs every step, skipping what is already present. Resolves to { ferretdbBinary } (null with MONGODB_URI). */
export async function setup({ forTests = false } = {}) {
  await npmPackages();
  await debianPackages({ forTests });
  const ferretdbBinary = await ferretdb();
  return { ferretdbBinary };
}

async function npmPackages() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (fs.existsSync(marker) && mtime(marker) >= mtime(lock)) {
    say('npm packages are up to date');
    return;
  }
  await step('Installing npm packages (npm ci --no-audit --no-fund)', () =>
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT }),
  );
}

async function debianPackages({ forTests }) {
  const missing = DEBIAN_PACKAGES.filter((p) => !fs.existsSync(p.binary)).map((p) => p.name);
  if (missing.length === 0) {
    say(`Debian packages present (${DEBIAN_PACKAGES.map((p) => p.name).join(', ')})`);
    return;
  }
  if (process.env.CLOCKTREE_SKIP_APT === '1') {
    say(`CLOCKTREE_SKIP_APT=1: not installing missing Debian packages (${missing.join(', ')})`);
    return;
  }
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  if (process.getuid?.() !== 0) {
    say(`Missing Debian packages (${missing.join(', ')}). Not root, so please run:`);
    say(`  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get ${install.join(' ')}`);
  } else {
    try {
      await step(`Installing Debian packages: ${missing.join(' ')} (apt-get)`, async () => {
        await run('apt-get', ['update']);
        await run('apt-get', install, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      });
    } catch (err) {
      say(`apt-get failed: ${err.message}`);
    }
  }
  // Without Janus the server simply runs without local video; without Chromium the browser tests cannot run.
  if (forTests && !fs.existsSync(CHROMIUM_BIN)) {
    throw new Error(`${CHROMIUM_BIN} is missing and the browser tests need it (install the Debian package chromium).`);
  }
  if (!fs.existsSync(JANUS_BIN)) say('Janus is not installed: video rooms will be unavailable.');
}

async function ferretdb() {
  if (process.env.MONGODB_URI) {
    say('MONGODB_URI is set: using that database, not building FerretDB');
    return null;
  }
  let binary;
  await step(`Checking for FerretDB ${FERRETDB_VERSION} (embedded database)`, async () => {
    binary = await ensureFerretDB({ log: say });
  });
  return binary;
}

async function step(message, fn) {
  say(`${message}…`);
  const started = Date.now();
  await fn();
  say(`  ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function say(line) {
  console.log(`[setup] ${line}`);
}

function mtime(file) {
  return fs.statSync(file).mtimeMs;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  // Exit through process.exit so the 'exit' listeners remove a half-done FerretDB build.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
  setup({ forTests: process.argv.includes('--for-tests') }).catch((err) => {
    console.error(`[setup] failed: ${err.message}`);
    process.exit(1);
  });
}
