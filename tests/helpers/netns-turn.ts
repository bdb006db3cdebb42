// One test process at a time runs Janus in network namespaces. With two at once (the suite runs two files in
// parallel), calls in Chromium connected but barely received: the subscriber of the video-call test had 20–40
// audio packets after 20 s while its publisher had sent 1,400, in 6 of 7 such runs and never in 15 runs alone.
// Chromium reacts to every interface that comes or goes (another test's veth) by re-checking its networks, and
// another Janus's media shares the same veth range; rather than chase which, the Janus stories take turns.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOCK = path.join(os.tmpdir(), 'clocktree-netns.lock');
const PID_FILE = path.join(LOCK, 'pid');
const WAIT_LIMIT_MS = 15 * 60_000;
/** A lock folder without its pid file yet (taken this instant) is trusted this long before it counts as stale. */
const UNNAMED_GRACE_MS = 10_000;

let held = 0;
let acquiring: Promise<void> | undefined;

/** Whether a process with this id exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

function stale(): boolean {
  try {
    const pid = Number(fs.readFileSync(PID_FILE, 'utf8'));
    return pid > 0 && pid !== process.pid && !isAlive(pid);
  } catch {
    try {
      return Date.now() - fs.statSync(LOCK).mtimeMs > UNNAMED_GRACE_MS;
    } catch {
      return false;
    }
  }
}

async function acquire(): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(PID_FILE, String(process.pid));
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    if (stale()) {
      fs.rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`waited 15 minutes for ${LOCK}: another test run keeps Janus`);
    if (!said) console.log('[janus] waiting for another test file to finish its Janus story');
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Waits for this process's turn at network namespaces (re-entrant within the process: several Janus instances of one
 * story share it). Returns the release, synchronous so that exit handlers can call it.
 */
export async function takeNetnsTurn(): Promise<() => void> {
  if (held === 0) await (acquiring ??= acquire().finally(() => (acquiring = undefined)));
  held++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held--;
    if (held === 0) fs.rmSync(LOCK, { recursive: true, force: true });
  };
}
