// Every stored message reaches its live readers: pushed again when a retried send finds it stored, never answered
// 500 once stored, and re-synced after the database failed.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ServerToClientEvents } from '@clocktree/protocol';
import mongoose from 'mongoose';
import { practiceWithStaff } from '../testing/fixtures.ts';
import { online, type ClientSocket } from '../testing/sockets.ts';
import { useTestServer } from '../testing/test-server.ts';

type NewMessage = Parameters<ServerToClientEvents['message:new']>[0];

const heard = (socket: ClientSocket, body: string) =>
  new Promise<NewMessage>((resolve) => {
    const on = (payload: NewMessage) => {
      if (payload.message.body !== body) return;
      socket.off('message:new', on);
      resolve(payload);
    };
    socket.on('message:new', on);
  });
const syncRequired = (socket: ClientSocket) => new Promise<void>((resolve) => socket.once('sync:required', resolve));

describe('delivery of stored messages', () => {
  const t = useTestServer();
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  let threadId: string;
  before(async () => {
    s = await practiceWithStaff(t.request);
    const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'delivery' },
    });
    threadId = started.body.thread.id;
  });
  const send = (body: string, key: string) =>
    t.request('POST', `/api/v1/threads/${threadId}/messages`, {
      token: s.client.token,
      body: { body },
      headers: { 'idempotency-key': key },
    });

  test('a retried send that finds its message stored pushes it again, with the same id', async () => {
    // The first attempt stored the message while the colleague was offline (as if it died before its push).
    const first = await send('stored, push lost', 'key-redeliver-0001');
    assert.equal(first.status, 201);
    const colleague = await online(t.server.url, s.colleague.token);
    try {
      const again = heard(colleague, 'stored, push lost');
      const retry = await send('stored, push lost', 'key-redeliver-0001');
      assert.equal(retry.status, 200);
      const pushed = await again;
      assert.equal(pushed.message.id, first.body.message.id);
      assert.equal(pushed.message.seq, first.body.message.seq);
    } finally {
      colleague.close();
    }
  });

  test('a failure after the message is stored still answers 201, pushes it, and readers are told to re-sync', async () => {
    const colleague = await online(t.server.url, s.colleague.token);
    const Audit = t.server.app.models.Audit;
    const create = Audit.create.bind(Audit);
    // The database drops right after the message is stored: the audit write fails as FerretDB going away would.
    Audit.create = (async () => {
      Audit.create = create;
      throw new mongoose.mongo.MongoNetworkError('connection closed');
    }) as unknown as typeof Audit.create;
    try {
      const live = heard(colleague, 'stored before the outage');
      const resync = syncRequired(colleague);
      const sent = await send('stored before the outage', 'key-after-store-0001');
      assert.equal(sent.status, 201);
      assert.equal((await live).message.id, sent.body.message.id);
      await resync;
      const read = await t.request('GET', `/api/v1/threads/${threadId}`, { token: s.colleague.token });
      assert.equal(read.body.messages.filter((m: { id: string }) => m.id === sent.body.message.id).length, 1);
    } finally {
      Audit.create = create;
      colleague.close();
    }
  });
});
