import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Keys for purposes other than wrapping the practices' data keys, each derived from the master key (HKDF-SHA256
 * under its own label): one secret to keep and rotate, and no key that can stand in for another.
 */
export type KeyPurpose = 'idempotency' | 'email-index' | 'email-seal';

export function deriveKey(masterKey: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `clocktree/${purpose}/v1`, 32));
}

/**
 * HMAC-SHA256 (hex) under the purpose's key. Unlike a plain hash, a copy of the database cannot confirm a guessed
 * value (a short message, an e-mail address) without the master key.
 */
export function keyedDigest(key: Buffer, value: string | Buffer): string {
  return createHmac('sha256', key).update(value).digest('hex');
}
