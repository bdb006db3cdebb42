import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import mongoose from 'mongoose';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

describe('encryption at rest', () => {
  const t = useTestServer();

  test('no message body, subject or Contact Us detail is stored in plaintext anywhere in the database', async () => {
    const s = await practiceWithStaff(t.request);
    const canary = 'canary-rest-8842';
    const sent = await t.request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: `Name ${canary}`, email: `${canary}@example.test`, phone: '555 8842', body: `Body ${canary}` },
    });
    await t.request('POST', `/api/v1/threads/${sent.body.thread.id}/messages`, {
      token: s.colleague.token,
      body: { body: `Reply ${canary}` },
    });
    await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, subject: `Subject ${canary}`, body: `Direct ${canary}` },
    });
    // The API still reads it all back for the practice…
    const read = await t.request('GET', `/api/v1/threads/${sent.body.thread.id}`, { token: s.colleague.token });
    assert.equal(read.body.messages[0].body, `Body ${canary}`);
    assert.equal(read.body.thread.contact.email, `${canary}@example.test`);
    // …while the raw documents, serialized to the bytes the database stores, never contain it.
    const db = t.server.db.db!;
    let documents = 0;
    for (const { name } of await db.listCollections().toArray()) {
      for (const doc of await db.collection(name).find({}).toArray()) {
        documents++;
        const bytes = Buffer.from(mongoose.mongo.BSON.serialize(doc));
        assert.equal(bytes.includes(Buffer.from(canary)), false, `plaintext found in ${name}`);
        assert.equal(bytes.includes(Buffer.from('555 8842')), false, `phone found in ${name}`);
      }
    }
    assert.ok(documents > 10);
  });

  test('an idempotency record cannot confirm a guessed message: its body digest is keyed', async () => {
    const s = await practiceWithStaff(t.request);
    const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'Hello' },
    });
    const send = (body: string) =>
      t.request('POST', `/api/v1/threads/${started.body.thread.id}/messages`, {
        token: s.client.token,
        headers: { 'idempotency-key': 'short-reply-1' },
        body: { body },
      });
    const first = await send('yes');
    assert.equal(first.status, 201);
    const record = await t.server.db.db!.collection('idempotency_keys').findOne({ key: 'short-reply-1' });
    const guess = createHash('sha256')
      .update(JSON.stringify(['yes', []]))
      .digest('hex');
    assert.ok(record);
    assert.notEqual(record.bodyHash, guess, 'the unsalted SHA-256 of the guess matches nothing');
    // Replays still work by the keyed digest: the same body is the same message, another body a conflict.
    const replay = await send('yes');
    assert.equal(replay.status, 200);
    assert.equal(replay.body.message.id, first.body.message.id);
    assert.equal((await send('no')).status, 409);
  });
});
