import { chmodSync, mkdirSync } from 'node:fs';

/**
 * A folder for this user only (0700), also when it already existed (mkdir's mode applies only on creation): the
 * outbox and the dev master key. scripts/private-files.mjs does the same for what `npm start` creates.
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
