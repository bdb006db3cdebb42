import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { deriveKey, keyedDigest, type KeyPurpose } from './derived-keys.ts';
import { isDuplicateKey } from '../database.ts';

/**
 * Envelope encryption: each practice has its own random AES-256 data key, stored only wrapped (AES-256-GCM) by
 * the master key. Losing the database alone reveals nothing; rotating the master key rewraps keys, not data.
 * Sealed values are `v1 | iv(12) | tag(16) | ciphertext`, with the practice id as additional authenticated
 * data, so a ciphertext copied into another practice's record fails to open.
 */
const VERSION = 1;

export interface PracticeKeyDoc {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  wrapped: Buffer;
  createdAt: Date;
}

const practiceKeySchema = new Schema<PracticeKeyDoc>(
  {
    practiceId: { type: Schema.Types.ObjectId, required: true, unique: true },
    wrapped: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);

export const practiceKeyModel = (db: Connection) =>
  db.model<PracticeKeyDoc>('PracticeKey', practiceKeySchema, 'practice_keys');

/** Lean documents hold BSON Binary where hydrated ones hold Buffer; accept either. */
export function toBuffer(value: Buffer | Uint8Array | { buffer: Uint8Array }): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const bytes = value.buffer;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function seal(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed[0] !== VERSION) throw new Error('unknown ciphertext version');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
}

export function envelope(Keys: Model<PracticeKeyDoc>, masterKey: Buffer) {
  if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  const cache = new Map<string, Promise<Buffer>>();
  const derived = new Map<KeyPurpose, Buffer>();
  const keyFor = (purpose: KeyPurpose) => {
    let key = derived.get(purpose);
    if (!key) derived.set(purpose, (key = deriveKey(masterKey, purpose)));
    return key;
  };

  /** The practice's data key, created on first use; a race between two nodes keeps whichever was stored first. */
  async function loadKey(practiceId: string): Promise<Buffer> {
    const found = await Keys.findOne({ practiceId }).lean();
    if (found) return open(masterKey, toBuffer(found.wrapped), `key:${practiceId}`);
    const key = randomBytes(32);
    try {
      await Keys.create({ practiceId, wrapped: seal(masterKey, key, `key:${practiceId}`), createdAt: new Date() });
      return key;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return loadKey(practiceId);
    }
  }

  function keyOf(practiceId: string): Promise<Buffer> {
    let key = cache.get(practiceId);
    if (!key) {
      key = loadKey(practiceId);
      key.catch(() => cache.delete(practiceId));
      cache.set(practiceId, key);
    }
    return key;
  }

  return {
    async encrypt(practiceId: string | Types.ObjectId, plain: Buffer): Promise<Buffer> {
      const pid = String(practiceId);
      return seal(await keyOf(pid), plain, `data:${pid}`);
    },
    async decrypt(practiceId: string | Types.ObjectId, sealed: Buffer | { buffer: Uint8Array }): Promise<Buffer> {
      const pid = String(practiceId);
      return open(await keyOf(pid), toBuffer(sealed), `data:${pid}`);
    },
    async encryptText(practiceId: string | Types.ObjectId, text: string): Promise<Buffer> {
      return this.encrypt(practiceId, Buffer.from(text, 'utf8'));
    },
    async decryptText(practiceId: string | Types.ObjectId, sealed: Buffer | { buffer: Uint8Array }): Promise<string> {
      return (await this.decrypt(practiceId, sealed)).toString('utf8');
    },
    /** Seals a value that belongs to no practice (an account's e-mail address) under a key derived for `purpose`. */
    sealSystem(purpose: KeyPurpose, text: string): Buffer {
      return seal(keyFor(purpose), Buffer.from(text, 'utf8'), `system:${purpose}`);
    },
    openSystem(purpose: KeyPurpose, sealed: Buffer | { buffer: Uint8Array }): string {
      return open(keyFor(purpose), toBuffer(sealed), `system:${purpose}`).toString('utf8');
    },
    /** A keyed digest (HMAC) for comparing or finding a value without storing it or a plain hash of it. */
    digest(purpose: KeyPurpose, value: string | Buffer): string {
      return keyedDigest(keyFor(purpose), value);
    },
  };
}

export type Envelope = ReturnType<typeof envelope>;
