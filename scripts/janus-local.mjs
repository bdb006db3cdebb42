// The embedded default for video (DESIGN.md: "Janus started locally when installed"): Debian's janus with its
// config and secrets in <DATA_DIR>/janus, its HTTP API on 127.0.0.1, and its event handler posting to our server.
// Node builtins only, like the other scripts start.mjs imports before setup has run.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { acceptsTcp, exitOf, spawnTiedToParent, stopChild, waitUntil } from './processes.mjs';
import { JANUS_BIN, writeJanusConfig } from './janus-config.mjs';
import { privateTree } from './private-files.mjs';

const DEFAULT_PORT = 8088;
const ADMIN_PORT = 7088;
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_LINES = 100;
const SECRETS = ['adminSecret', 'adminKey', 'eventSecret'];
// At debug level 3 Janus also warns about every module the config disables on purpose.
const EXPECTED_WARNING = /has been disabled, skipping|Disabling event handlers statistics/;

export function janusInstalled() {
  try {
    fs.accessSync(JANUS_BIN, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Janus's admin secret, the videoroom admin key and the event handler's password: generated once into
 * <dir>/secrets.json (this user only), so a restart of `npm start` keeps them.
 */
function loadSecrets(dir) {
  const file = path.join(dir, 'secrets.json');
  let stored = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // First start, or a damaged file: generate what is missing.
  }
  const secrets = {};
  for (const name of SECRETS)
    secrets[name] = typeof stored[name] === 'string' && stored[name].length >= 32 ? stored[name] : randomHex();
  if (SECRETS.some((name) => secrets[name] !== stored[name])) {
    fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  fs.chmodSync(file, 0o600);
  return secrets;
}

const randomHex = () => randomBytes(24).toString('hex');

/**
 * Writes the config into <dataDir>/janus and starts Janus as a child tied to this process; resolves once
 * `GET /janus/info` answers, to { url, version, pid, adminKey, eventSecret, notes, exited, output(), stop() }.
 * `exited` resolves with { code, signal } whenever Janus ends. Throws (with nothing left running) when the port is
 * taken or Janus does not come up. `port` is JANUS_PORT's text, when given. onOutput(line, level) gets Janus's
 * warnings ('warn') and errors ('error').
 *
 * ICE is not restricted: libnice ignores loopback, so a browser on this machine reaches Janus's media over a LAN
 * address. iceInterface (JANUS_ICE_INTERFACE: an interface name or an address) restricts it to one.
 */
export async function startLocalJanus({ dataDir, serverPort, port: portText, iceInterface, onOutput }) {
  const port = portText ? Number(portText) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`JANUS_PORT=${portText} is not a port`);
  if (await acceptsTcp(port)) throw new Error(`port ${port} on 127.0.0.1 is in use (set JANUS_PORT to another port)`);
  const notes = [];
  const adminPort = (await acceptsTcp(ADMIN_PORT)) ? undefined : ADMIN_PORT;
  if (adminPort === undefined) notes.push(`port ${ADMIN_PORT} is in use: Janus's admin API is off`);

  const dir = path.join(dataDir, 'janus');
  privateTree(dir);
  const secrets = loadSecrets(dir);
  writeJanusConfig(dir, {
    serverName: 'clocktree-local',
    ...secrets,
    httpAddress: '127.0.0.1',
    httpPort: port,
    adminPort,
    // 4 (info) logs every session and handle.
    debugLevel: 3,
    sessionTimeout: 60,
    ...(iceInterface ? { iceEnforceList: iceInterface } : {}),
    ...(iceInterface && net.isIP(iceInterface) ? { sdpAddress: iceInterface } : {}),
    eventHandlerUrl: `http://127.0.0.1:${serverPort}/internal/janus-events`,
  });

  const child = spawnTiedToParent(JANUS_BIN, ['-F', dir, '-C', path.join(dir, 'janus.jcfg'), '-o'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (EXPECTED_WARNING.test(line)) return;
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
      if (/^\[(ERR|FATAL)\]/.test(line)) onOutput?.(line, 'error');
      else if (line.startsWith('[WARN]')) onOutput?.(line, 'warn');
    });
  }
  const exited = exitOf(child);
  const output = () => tail.join('\n');
  let stopping;
  const stop = () => {
    stopping ??= stopChild(child, exited, STOP_GRACE_MS);
    return stopping;
  };

  const url = `http://127.0.0.1:${port}/janus`;
  let info;
  try {
    info = await waitForInfo(url, exited);
  } catch (err) {
    await stop();
    throw new Error(`${err.message}\n--- Janus output ---\n${output() || '(none)'}`);
  }
  return {
    url,
    version: info.version_string ?? 'unknown',
    pid: child.pid,
    adminKey: secrets.adminKey,
    eventSecret: secrets.eventSecret,
    notes,
    exited,
    output,
    stop,
  };
}

async function waitForInfo(url, exited) {
  const info = async () => {
    try {
      const body = await (await fetch(`${url}/info`, { signal: AbortSignal.timeout(1_000) })).json();
      return body?.janus === 'server_info' ? body : undefined;
    } catch {
      return undefined; // Not listening yet.
    }
  };
  return waitUntil(info, exited, START_TIMEOUT_MS, `Janus did not answer ${url}/info`, 50).catch((err) => {
    throw new Error(`Janus did not start: ${err.message}`);
  });
}
