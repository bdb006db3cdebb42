// What the service keeps on disk (the database, the outbox, keys, Janus's secrets) is this user's alone: folders 0700,
// files 0600, whatever the umask, and also when an earlier version left them readable to others.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import mongoose from 'mongoose';
// @ts-expect-error: plain ES module without types
import { startFerretDB } from '../../scripts/ferretdb.mjs';
import { privateTree } from '../../scripts/private-files.mjs';
import { devMasterKey } from '../../server/src/crypto/dev-master-key.ts';
import { outboxMailer } from '../../server/src/mail/mailer.ts';

const temps: string[] = [];
after(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A temp folder laid out as an older version left it: readable by everyone. */
function openFolder(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-private-'));
  temps.push(dir);
  fs.chmodSync(dir, 0o755);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dir, name), text, { mode: 0o644 });
  }
  return dir;
}

/** Every entry under `dir` (itself included) whose mode is not 0700 for folders or 0600 for files. */
function tooOpen(dir: string): string[] {
  const mode = (p: string) => fs.statSync(p).mode & 0o777;
  const found = mode(dir) === 0o700 ? [] : [`${dir} ${mode(dir).toString(8)}`];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...tooOpen(full));
    else if (entry.isFile() && mode(full) !== 0o600) found.push(`${full} ${mode(full).toString(8)}`);
  }
  return found;
}

describe('data files are private', () => {
  test('umask under test is permissive, so the modes below are the code’s doing', () => {
    const probe = path.join(openFolder(), 'probe');
    fs.writeFileSync(probe, '');
    assert.notEqual(fs.statSync(probe).mode & 0o077, 0, 'files are created readable to others by default here');
  });

  test('FerretDB: its folder 0700, the SQLite files it creates 0600, older files narrowed', async () => {
    const dir = openFolder({ 'left-by-an-older-version.txt': 'x', 'sub/notes.txt': '' });
    const db = await startFerretDB({ dataDir: dir });
    try {
      const conn = await mongoose.createConnection(db.uri, { dbName: 'ct_private_probe' }).asPromise();
      await conn.collection('probe').insertOne({ written: true });
      await conn.close();
    } finally {
      await db.stop();
    }
    assert.ok(
      fs.readdirSync(dir).some((f) => f.startsWith('ct_private_probe')),
      'FerretDB wrote its own database file',
    );
    assert.deepEqual(tooOpen(dir), []);
  });

  test('the outbox: folder 0700 (also when it existed), each mail 0600', async () => {
    const dir = path.join(openFolder(), 'outbox');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const mailer = outboxMailer(dir);
    await mailer.send({ to: 'someone@example.test', subject: 'You have a new secure message', text: 'link' });
    mailer.close();
    assert.equal(fs.readdirSync(dir).length, 1);
    assert.deepEqual(tooOpen(dir), []);
  });

  test('the dev master key: created 0600 in a 0700 folder; an older readable key is narrowed and kept', () => {
    const fresh = path.join(openFolder(), 'data');
    const key = devMasterKey(fresh);
    assert.equal(key.length, 32);
    assert.deepEqual(tooOpen(fresh), []);
    assert.ok(devMasterKey(fresh).equals(key), 'the same key on the next start');

    const older = openFolder({ 'dev-master-key': key.toString('base64') });
    assert.ok(devMasterKey(older).equals(key));
    assert.deepEqual(tooOpen(older), []);
  });

  test("Janus's folder (config and secrets.json) is narrowed the way `npm start` does it", () => {
    const dir = openFolder({ 'janus/secrets.json': '{}', 'janus/janus.jcfg': '' });
    privateTree(path.join(dir, 'janus'));
    assert.deepEqual(tooOpen(path.join(dir, 'janus')), []);
  });
});
