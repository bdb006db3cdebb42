import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { privateDir } from '../private-dir.ts';

/**
 * Outside production a master key is generated once into the data folder, readable only by this user; a key file an
 * earlier version left readable to others is narrowed when read.
 */
export function devMasterKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'dev-master-key');
  privateDir(dataDir);
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    chmodSync(file, 0o600);
    return key;
  } catch {
    const key = randomBytes(32);
    writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
    return key;
  }
}
