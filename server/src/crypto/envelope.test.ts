import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mongoose, { type Connection } from 'mongoose';
import { connectDatabase } from '../database.ts';
import { envelope, practiceKeyModel } from './envelope.ts';

describe('envelope encryption', () => {
  let db: Connection;
  before(async () => {
    db = await connectDatabase(process.env.MONGODB_URI!, { dbName: `ct_env_${randomBytes(4).toString('hex')}` });
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  test('round-trips, stores only a wrapped key, and binds ciphertexts to their practice', async () => {
    const master = randomBytes(32);
    const Keys = practiceKeyModel(db);
    await Keys.createIndexes();
    const e = envelope(Keys, master);
    const a = new mongoose.Types.ObjectId();
    const b = new mongoose.Types.ObjectId();
    const sealed = await e.encryptText(a, 'canary-env-1 panic attacks');
    assert.equal(sealed.includes(Buffer.from('canary')), false);
    assert.equal(await e.decryptText(a, sealed), 'canary-env-1 panic attacks');
    await e.encryptText(b, 'x');
    await assert.rejects(e.decrypt(b, sealed), 'another practice’s key cannot open it');
    const tampered = Buffer.from(sealed);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    await assert.rejects(e.decrypt(a, tampered), 'tampering is detected');
    // A second instance (another node, or after a restart) with the same master key reads the same data.
    assert.equal(await envelope(Keys, master).decryptText(a, sealed), 'canary-env-1 panic attacks');
    await assert.rejects(envelope(Keys, randomBytes(32)).decrypt(a, sealed), 'a wrong master key opens nothing');
    const keys = await db.collection('practice_keys').find({}).toArray();
    assert.equal(keys.length, 2);
  });

  test('keyed digests: stable under one master key, different per purpose and per master key', () => {
    const Keys = practiceKeyModel(db);
    const master = randomBytes(32);
    const e = envelope(Keys, master);
    const digest = e.digest('idempotency', 'yes');
    assert.match(digest, /^[0-9a-f]{64}$/);
    assert.equal(envelope(Keys, master).digest('idempotency', 'yes'), digest, 'the same after a restart');
    assert.notEqual(e.digest('email-index', 'yes'), digest, 'each purpose has its own key');
    assert.notEqual(envelope(Keys, randomBytes(32)).digest('idempotency', 'yes'), digest);
  });
});
