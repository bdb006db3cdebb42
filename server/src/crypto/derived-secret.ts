import { hkdfSync } from 'node:crypto';

/** A secret for one purpose derived from the master key, so no extra key has to be configured or can leak the others. */
export const derivedSecret = (masterKey: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `clocktree/${purpose}`, 32));
