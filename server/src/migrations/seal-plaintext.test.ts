import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import mongoose from 'mongoose';
import { practiceWithStaff } from '../testing/fixtures.ts';
import { httpClient } from '../testing/http.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { envelope } from '../crypto/envelope.ts';
import { connectDatabase } from '../database.ts';
import { createLogger } from '../logger.ts';
import { createModels } from '../models.ts';
import { CLAIM, MARKER, sealPlaintext } from './seal-plaintext.ts';

const CANARY = 'canary-legacy-5521';

/** Every raw document of the database, as the bytes it stores, searched for the canary. */
async function collectionsHolding(server: TestServer, needle: string): Promise<string[]> {
  const db = server.db.db!;
  const found: string[] = [];
  for (const { name } of await db.listCollections().toArray())
    for (const doc of await db.collection(name).find({}).toArray())
      if (Buffer.from(mongoose.mongo.BSON.serialize(doc)).includes(Buffer.from(needle))) found.push(name);
  return found;
}

describe('plaintext left by an earlier version is sealed at start', () => {
  test('client names, attachment names (upload and message), service texts and account e-mails: sealed, read back the same', async () => {
    const dbName = `ct_test_legacy_${randomBytes(4).toString('hex')}`;
    const masterKey = randomBytes(32);
    let server = await startTestServer({ dbName, masterKey });
    const request = httpClient(server.url);
    const s = await practiceWithStaff(request);
    const service = await request('POST', `/api/v1/practices/${s.practiceId}/services`, {
      token: s.admin.token,
      body: { name: 'Billing', description: 'Invoices', assigneeIds: [] },
    });
    const form = new FormData();
    form.append('file', new Blob(['hello']), 'notes.txt');
    const uploaded = await fetch(`${server.url}/api/v1/attachments?practiceId=${s.practiceId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.colleague.token}` },
      body: form,
    }).then((r) => r.json());
    const thread = await request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'A file for you', attachmentIds: [uploaded.attachment.id] },
    });
    assert.equal(thread.status, 201);
    await server.close(true);

    // What an earlier version wrote: the same documents with the names in plaintext.
    const raw = (await mongoose.createConnection(process.env.MONGODB_URI!, { dbName }).asPromise()).db!;
    await raw
      .collection('client_links')
      .updateMany({}, { $set: { name: `Client ${CANARY}` }, $unset: { nameEnc: '' } });
    await raw
      .collection('attachments')
      .updateMany({}, { $set: { name: `file-${CANARY}.txt` }, $unset: { nameEnc: '' } });
    await raw.collection('messages').updateMany(
      { 'attachments.0': { $exists: true } },
      {
        $set: {
          attachments: [
            {
              id: new mongoose.Types.ObjectId(uploaded.attachment.id),
              name: `file-${CANARY}.txt`,
              size: 5,
              type: 'text/plain',
            },
          ],
        },
      },
    );
    await raw.collection('practices').updateMany(
      {},
      {
        $set: {
          services: [
            {
              _id: new mongoose.Types.ObjectId(service.body.service.id),
              name: `Service ${CANARY}`,
              description: `About ${CANARY}`,
              assigneeIds: [],
            },
          ],
        },
      },
    );
    // …and the accounts as they were: the address in the clear under a unique index of its own.
    const users = raw.collection('users');
    await users.dropIndex('emailIndex_1');
    for (const [id, email] of [
      [s.admin.id, s.admin.email],
      [s.colleague.id, s.colleague.email],
      [s.client.id, `client-${CANARY}@example.test`],
    ] as const)
      await users.updateOne(
        { _id: new mongoose.Types.ObjectId(id) },
        { $set: { email }, $unset: { emailIndex: '', emailEnc: '' } },
      );
    await users.createIndex({ email: 1 }, { unique: true });
    // A database of an earlier version has never run the migration.
    await raw.collection<{ _id: string }>('migrations').deleteOne({ _id: MARKER });
    await raw.client.close();

    const sealedNow = async (db: mongoose.mongo.Db) =>
      Promise.all(
        ['client_links', 'attachments', 'messages', 'practices', 'users'].map(async (name) =>
          JSON.stringify(await db.collection(name).find({}).sort({ _id: 1 }).toArray()),
        ),
      );
    let before: string[] = [];
    server = await startTestServer({ dbName, masterKey });
    try {
      before = await sealedNow(server.db.db!);
      assert.deepEqual(await collectionsHolding(server, CANARY), [], 'nothing left in plaintext');
      const api = httpClient(server.url);
      const token = (
        await api('POST', '/api/v1/auth/login', {
          body: { email: s.colleague.email, password: 'a long enough password' },
        })
      ).body.token;
      const clients = await api('GET', `/api/v1/practices/${s.practiceId}/clients`, { token });
      assert.deepEqual(
        clients.body.clients.map((c: { name: string; email: string }) => [c.name, c.email]),
        [[`Client ${CANARY}`, `client-${CANARY}@example.test`]],
      );
      // The client signs in with the address as it was, found through the blind index.
      const client = await api('POST', '/api/v1/auth/login', {
        body: { email: `client-${CANARY}@example.test`, password: 'a long enough password' },
      });
      assert.equal(client.status, 200);
      assert.equal(client.body.user.email, `client-${CANARY}@example.test`);
      const read = await api('GET', `/api/v1/threads/${thread.body.thread.id}`, { token });
      assert.equal(read.body.messages[0].attachments[0].name, `file-${CANARY}.txt`);
      const download = await fetch(`${server.url}/api/v1/attachments/${uploaded.attachment.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(await download.text(), 'hello');
      assert.match(download.headers.get('content-disposition') ?? '', new RegExp(`file-${CANARY}\\.txt`));
      const profile = await api('GET', `/api/v1/practices/${s.practiceId}`);
      assert.deepEqual(profile.body.practice.services, [
        { id: service.body.service.id, name: `Service ${CANARY}`, description: `About ${CANARY}` },
      ]);
    } finally {
      await server.close(true);
    }

    // A further start finds nothing to do: the sealed values stay byte for byte as they are.
    server = await startTestServer({ dbName, masterKey });
    try {
      assert.deepEqual(await sealedNow(server.db.db!), before);
    } finally {
      await server.close();
    }
  });

  describe('one node at a time', () => {
    const timing = { renewMs: 100, staleMs: 1_000, pollMs: 50 };
    async function withDatabase(
      run: (migrate: () => Promise<Record<string, number>>, markers: Markers) => Promise<void>,
    ) {
      const db = await connectDatabase(process.env.MONGODB_URI!, {
        dbName: `ct_test_claim_${randomBytes(4).toString('hex')}`,
      });
      const models = createModels(db);
      const markers = db.collection<{ _id: string; at?: Date; doneAt?: Date }>('migrations');
      try {
        await run(
          () => sealPlaintext(models, envelope(models.PracticeKey, randomBytes(32)), createLogger('silent'), timing),
          markers,
        );
      } finally {
        await db.dropDatabase();
        await db.close();
      }
    }
    type Markers = mongoose.mongo.Collection<{ _id: string; at?: Date; doneAt?: Date }>;

    test('while another node holds a live claim, a start waits for its marker and does not run the migration', async () => {
      await withDatabase(async (migrate, markers) => {
        await markers.insertOne({ _id: CLAIM, at: new Date() });
        const started = Date.now();
        setTimeout(() => void markers.insertOne({ _id: MARKER, doneAt: new Date() }), 400);
        assert.deepEqual(await migrate(), {});
        assert.ok(Date.now() - started >= 350, 'it waited for the other node');
        assert.ok(await markers.findOne({ _id: CLAIM }), "the other node's claim is left to it");
      });
    });

    test('a claim left by a node that died is taken over once stale; the migration runs and lets go of it', async () => {
      await withDatabase(async (migrate, markers) => {
        await markers.insertOne({ _id: CLAIM, at: new Date(Date.now() - 5_000) });
        const counts = await migrate();
        assert.equal(counts['account e-mails'], 0, 'this node ran it');
        assert.ok(await markers.findOne({ _id: MARKER }), 'marked done');
        assert.equal(await markers.findOne({ _id: CLAIM }), null, 'claim released');
      });
    });
  });
});
