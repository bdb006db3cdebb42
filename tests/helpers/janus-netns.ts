// A real Janus (Debian's package) inside a network namespace of its own, reached over a veth pair.
//
// Why a namespace: libnice ignores loopback interfaces, so a Janus bound to 127.0.0.1 cannot carry media. Inside a
// namespace it gets a private /30 on a veth whose other end sits in the root namespace, and test traffic still goes
// only to addresses this helper made. Everything created here (namespace, veth, config folder, the Janus process)
// is removed by stop(), and, should the test die first, by the process's exit and signal handlers.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { JANUS_BIN, writeJanusConfig } from '../../scripts/janus-config.mjs';
import { isAlive, takeNetnsTurn } from './netns-turn.ts';

export { JANUS_BIN };

const run = promisify(execFile);

const SETPRIV = '/usr/bin/setpriv';
const HTTP_PORT = 8088;
const ADMIN_PORT = 7088;
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_LINES = 300;

export interface JanusInNetnsOptions {
  /**
   * Where Janus's HTTP event handler (sampleevh) posts, or a function that gets the root-namespace end of the veth
   * (the only address of ours Janus can reach) and returns the URL, e.g. after starting a server on that address.
   */
  eventHandlerUrl?: string | ((hostAddress: string) => string | Promise<string>);
  /** Sent by the event handler as the password of HTTP basic auth (user `janus`). */
  eventSecret?: string;
  /** Janus's own session timeout in seconds (default 60, as Janus's default). */
  sessionTimeoutSeconds?: number;
  /**
   * The videoroom `admin_key` (default: a new random one). A server started from its environment has one
   * JANUS_ADMIN_KEY for all its instances, so instances meant for one such server share it.
   */
  adminKey?: string;
}

export interface JanusInNetns {
  /** Janus HTTP API, e.g. `http://10.213.7.2:8088/janus`. */
  httpUrl: string;
  /** Janus admin API (same namespace address), with `adminSecret`. */
  adminUrl: string;
  adminSecret: string;
  /** The videoroom plugin's `admin_key`: needed to create rooms and to list private ones. */
  adminKey: string;
  /** Root-namespace end of the veth: the address Janus reaches us at. */
  hostAddress: string;
  /** Janus's end of the veth. */
  nsAddress: string;
  namespace: string;
  pid: number;
  /** How long from spawn to the first answer of `GET /info`. */
  startMs: number;
  /** The tail of Janus's output. */
  log(): string;
  stop(): Promise<void>;
}

interface Resources {
  /** Ends this instance's share of the process's turn at network namespaces. */
  release?: () => void;
  namespace?: string;
  hostIf?: string;
  dir?: string;
  child?: ChildProcess;
}

const live = new Set<Resources>();
let counter = 0;

/** Best effort, synchronous: usable from 'exit' handlers, where nothing asynchronous runs any more. */
function removeSync(r: Resources): void {
  if (r.child?.pid && r.child.exitCode === null && r.child.signalCode === null) {
    try {
      r.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  if (r.namespace) spawnSync('ip', ['netns', 'del', r.namespace], { stdio: 'ignore' });
  // Deleting the namespace deletes the veth pair; this catches a veth that never made it into the namespace.
  if (r.hostIf) spawnSync('ip', ['link', 'del', r.hostIf], { stdio: 'ignore' });
  if (r.dir) fs.rmSync(r.dir, { recursive: true, force: true });
  r.release?.();
  live.delete(r);
  if (live.size === 0) unhookProcess();
}

const onExit = () => [...live].forEach(removeSync);
const onSignal = (signal: NodeJS.Signals) => {
  onExit();
  unhookProcess();
  // Nobody else handles it: die of it as we would have without this handler.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
};
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooked = false;
function hookProcess(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}
function unhookProcess(): void {
  if (!hooked) return;
  hooked = false;
  process.off('exit', onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

async function ip(...args: string[]): Promise<void> {
  try {
    await run('ip', args);
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    if (/Operation not permitted|Permission denied/i.test(stderr))
      throw new Error(
        `\`ip ${args.join(' ')}\` is not permitted (${stderr}). Janus tests need root (or CAP_NET_ADMIN and ` +
          'CAP_SYS_ADMIN) to create a network namespace and a veth pair: libnice ignores loopback, so a local Janus ' +
          'must sit in a namespace of its own.',
      );
    throw new Error(`\`ip ${args.join(' ')}\` failed: ${stderr || String(err)}`);
  }
}

/**
 * Namespaces and config folders this helper made in a process that was killed outright (SIGKILL: no exit handler
 * ran). Their Janus died with that process (parent-death signal); an empty namespace is removed, one with processes
 * left alone.
 */
async function reapLeftovers(): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'list']);
  for (const line of stdout.split('\n')) {
    const match = /^(ct-janus-(\d+)-\d+)\b/.exec(line);
    if (!match || Number(match[2]) === process.pid || isAlive(Number(match[2]))) continue;
    const pids = await run('ip', ['netns', 'pids', match[1]!]).catch(() => ({ stdout: 'unknown' }));
    if (pids.stdout.trim() === '') await run('ip', ['netns', 'del', match[1]!]).catch(() => {});
  }
  for (const name of fs.readdirSync(os.tmpdir())) {
    const match = /^ct-janus-(\d+)-/.exec(name);
    if (match && Number(match[1]) !== process.pid && !isAlive(Number(match[1])))
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

/** A /30 in 10.213.X.0/24 with X from our pid, skipping blocks any interface already uses (parallel runs). */
async function pickSubnet(): Promise<{ hostAddress: string; nsAddress: string }> {
  const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show']);
  const x = (process.pid % 250) + 1;
  for (let tries = 0; tries < 64; tries++) {
    const block = (counter++ % 64) * 4;
    const hostAddress = `10.213.${x}.${block + 1}`;
    const nsAddress = `10.213.${x}.${block + 2}`;
    if (!stdout.includes(` ${hostAddress}/`) && !stdout.includes(` ${nsAddress}/`)) return { hostAddress, nsAddress };
  }
  throw new Error(`no free /30 left in 10.213.${x}.0/24`);
}

async function waitForInfo(httpUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + START_TIMEOUT_MS;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
  for (;;) {
    if (exited) throw new Error(`Janus ended during start (${exited}):\n${log()}`);
    try {
      const res = await fetch(`${httpUrl}/info`, { signal: AbortSignal.timeout(1_000) });
      const body = (await res.json()) as { janus?: string };
      if (body.janus === 'server_info') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`Janus did not answer ${httpUrl}/info within 20 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts Janus in a namespace of its own; throws (having removed everything) if it is not up within 20 s. */
export async function startJanusInNetns(options: JanusInNetnsOptions = {}): Promise<JanusInNetns> {
  if (!fs.existsSync(JANUS_BIN)) throw new Error(`${JANUS_BIN} is missing: install Debian's janus package.`);
  const n = counter;
  const r: Resources = {};
  live.add(r);
  hookProcess();
  const lines: string[] = [];
  const log = () => lines.join('\n');
  try {
    r.release = await takeNetnsTurn();
    await reapLeftovers();
    const { hostAddress, nsAddress } = await pickSubnet();
    const namespace = `ct-janus-${process.pid}-${n}`;
    // Interface names are at most 15 characters.
    const hostIf = `ctj${process.pid % 1_000_000}h${n % 100}`;
    const nsIf = `ctj${process.pid % 1_000_000}n${n % 100}`;

    await ip('netns', 'add', namespace);
    r.namespace = namespace;
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    r.hostIf = hostIf;
    await ip('link', 'set', nsIf, 'netns', namespace);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    await ip('link', 'set', hostIf, 'up');
    await ip('-n', namespace, 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf);
    await ip('-n', namespace, 'link', 'set', nsIf, 'up');
    await ip('-n', namespace, 'link', 'set', 'lo', 'up');

    const eventHandlerUrl =
      typeof options.eventHandlerUrl === 'function'
        ? await options.eventHandlerUrl(hostAddress)
        : options.eventHandlerUrl;
    if (eventHandlerUrl) {
      const target = new URL(eventHandlerUrl).hostname;
      if (target !== hostAddress)
        throw new Error(`the event handler URL must point at ${hostAddress} (our end of the veth), not ${target}`);
    }

    r.dir = fs.mkdtempSync(path.join(os.tmpdir(), `ct-janus-${process.pid}-`));
    const adminKey = options.adminKey ?? randomBytes(24).toString('hex');
    const adminSecret = randomBytes(24).toString('hex');
    writeJanusConfig(r.dir, {
      serverName: namespace,
      adminSecret,
      adminKey,
      httpAddress: nsAddress,
      httpPort: HTTP_PORT,
      adminPort: ADMIN_PORT,
      debugLevel: 4,
      sessionTimeout: options.sessionTimeoutSeconds ?? 60,
      // The address put in SDPs; Janus would otherwise pick loopback, the first interface it sees.
      sdpAddress: nsAddress,
      iceEnforceList: nsIf,
      ...(eventHandlerUrl ? { eventHandlerUrl } : {}),
      ...(options.eventSecret ? { eventSecret: options.eventSecret } : {}),
    });

    const started = performance.now();
    // setpriv and `ip netns exec` each exec the next program, so the child's pid is Janus's. The parent-death
    // signal survives those execs: if this process is killed outright (no exit handler runs), Janus dies with it.
    const janusArgs = [JANUS_BIN, '-F', r.dir, '-C', path.join(r.dir, 'janus.jcfg'), '-o'];
    const child = spawn(
      fs.existsSync(SETPRIV) ? SETPRIV : 'ip',
      [
        ...(fs.existsSync(SETPRIV) ? ['--pdeathsig', 'SIGKILL', '--', 'ip'] : []),
        'netns',
        'exec',
        namespace,
        ...janusArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    r.child = child;
    const collect = (chunk: Buffer) => {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (lines.length > LOG_TAIL_LINES) lines.splice(0, lines.length - LOG_TAIL_LINES);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

    const httpUrl = `http://${nsAddress}:${HTTP_PORT}/janus`;
    await waitForInfo(httpUrl, child, log);
    const startMs = performance.now() - started;

    let stopping: Promise<void> | undefined;
    return {
      httpUrl,
      adminUrl: `http://${nsAddress}:${ADMIN_PORT}/admin`,
      adminSecret,
      adminKey,
      hostAddress,
      nsAddress,
      namespace,
      pid: child.pid!,
      startMs,
      log,
      stop() {
        stopping ??= (async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
            await exited;
            clearTimeout(killer);
          }
          removeSync(r);
        })();
        return stopping;
      },
    };
  } catch (err) {
    removeSync(r);
    throw err;
  }
}
