// Spawning, waiting for and stopping child processes, for every script (FerretDB, Janus, the server, test steps,
// setup's installs). Node builtins only: setup and start import it before node_modules exists on a fresh clone.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';

/**
 * Spawns a child in its own process group (so a terminal Ctrl-C reaches only us and we can stop children in order)
 * that still cannot outlive us: setpriv's parent-death signal covers a SIGKILL of this process, and an 'exit'
 * hook covers crashes and process.exit(). Used for FerretDB, Janus and the server in start.mjs.
 */
export function spawnTiedToParent(command, args, options = {}) {
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => isExecutable(p));
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'TERM', '--', command, ...args], { ...options, detached: true })
    : spawn(command, args, { ...options, detached: true });
  const killOnExit = () => {
    if (isRunning(child)) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return child;
}

/** Resolves with `{code, signal}` when the child ends, or `{error}` when it could not be spawned (never 'exit'). */
export function exitOf(child, event = 'exit') {
  return new Promise((resolve) => {
    child.once(event, (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
}

export function describeExit({ code, signal, error }) {
  if (error) return `could not run it (${error.message})`;
  return signal ? `it was killed by ${signal}` : `it exited with code ${code}`;
}

export const isRunning = (child) => child.pid !== undefined && child.exitCode === null && child.signalCode === null;

/** Sends `signal` to the child, or with `group` to its whole process group (what it started too). */
export function signal(child, name, { group = false } = {}) {
  try {
    if (group) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // Already gone.
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves with `exited` (the child's exitOf). `onKill` is told before the
 * SIGKILL, to say why.
 */
export async function stopChild(child, exited, graceMs, { group = false, onKill } = {}) {
  if (!isRunning(child)) return exited;
  signal(child, 'SIGTERM', { group });
  const timer = setTimeout(() => {
    onKill?.();
    signal(child, 'SIGKILL', { group });
  }, graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a command to its end and resolves with its exit code (127 when it cannot run, 128 + n for signal n). With
 * `group`, it gets its own process group that our exit takes down; `onSpawn` receives the child.
 */
export function runForCode(command, args, { cwd, env, stdio = 'inherit', group = false, onSpawn } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio, detached: group });
    onSpawn?.(child);
    const killGroup = () => signal(child, 'SIGTERM', { group: true });
    if (group) process.on('exit', killGroup);
    child.once('error', (err) => {
      console.error(`cannot run ${command}: ${err.message}`);
      resolve(127);
    });
    child.once('exit', (code, sig) => {
      process.off('exit', killGroup);
      resolve(code ?? 128 + (os.constants.signals[sig] ?? 1));
    });
  });
}

/** Runs a command that must succeed; `capture` resolves with its stdout, `quiet` hides its output. */
export function run(command, args, { cwd, env, capture = false, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', capture ? 'pipe' : quiet ? 'ignore' : 'inherit', quiet ? 'ignore' : 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.once('error', reject);
    child.once('exit', (code, sig) => {
      if (code === 0) resolve({ stdout });
      else {
        // `go mod download -json` reports its error inside the JSON on stdout.
        const detail = capture && stdout.trim() ? `\n${stdout.trim()}` : '';
        reject(new Error(`${command} ${args.join(' ')} failed (${sig ?? `exit code ${code}`})${detail}`));
      }
    });
  });
}

/** Polls `ready()` until it is true; fails when the child ends first (`exited`) or after `timeoutMs`. */
export async function waitUntil(ready, exited, timeoutMs, what, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let ended;
  exited?.then((info) => (ended = info));
  while (Date.now() < deadline) {
    if (ended) throw new Error(describeExit(ended));
    const value = await ready();
    if (value) return value;
    await sleep(everyMs);
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s`);
}

export function acceptsTcp(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
