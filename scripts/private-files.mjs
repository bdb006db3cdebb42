// The data folder holds the database, the outbox, keys and Janus's secrets: this user's alone, whatever the umask.
// Node builtins only: start.mjs and ferretdb.mjs run before node_modules exists on a fresh clone.
import fs from 'node:fs';
import path from 'node:path';

/** Creates `dir` (and its parents) as 0700; an existing one is narrowed too, as mkdir's mode applies only on creation. */
export function privateDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** Narrows a tree an earlier version left readable to others: folders 0700, files 0600 (links are left alone). */
export function privateTree(dir) {
  privateDir(dir);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) privateTree(full);
    else if (entry.isFile()) fs.chmodSync(full, 0o600);
  }
}

/**
 * Runs `spawnChild` under umask 077, so that the files the child creates itself (FerretDB's SQLite files and
 * journals) are 0600. spawn() forks synchronously, so the child inherits it; this process's umask is restored at once.
 */
export function spawnPrivate(spawnChild) {
  const previous = process.umask(0o077);
  try {
    return spawnChild();
  } finally {
    process.umask(previous);
  }
}
