import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Message } from '@clocktree/protocol';
import { createClient } from './client.ts';
import { apiError, delay, json, startApi, until, type TestApi } from './test-api.ts';
import { createThreadReader, type ThreadReader, type ThreadReaderOptions } from './thread-reader.ts';

const TID = '0123456789abcdef01234567';
const T0 = Date.parse('2026-03-02T09:00:00Z');

const message = (seq: number, createdMs = T0 + seq * 1000): Message => ({
  id: `fedcba9876543210fedc${String(seq).padStart(4, '0')}`,
  seq,
  authorId: null,
  authorName: 'Maple Street Counseling',
  authorRole: 'practice',
  body: `message ${seq}`,
  createdAt: new Date(createdMs).toISOString(),
  attachments: [],
});

/** What the server has stored, and the seq its thread counter reached (higher when a send took a number and died). */
interface Stored {
  messages: Message[];
  seq: number;
}

describe('thread reader against a real HTTP server', () => {
  let api: TestApi;
  let stored: Stored;
  let failing = false;
  let reader: ThreadReader | undefined;
  before(async () => {
    api = await startApi(({ url }, res) => {
      if (failing) return apiError(res, 503, 'unavailable');
      const afterSeq = Number(new URL(url, 'http://x').searchParams.get('afterSeq') ?? 0);
      const thread = { id: TID, seq: stored.seq, status: 'open', lastReadSeq: 0, contact: null };
      json(res, 200, { thread, messages: stored.messages.filter((m) => m.seq > afterSeq) });
    });
  });
  after(() => api.close());
  beforeEach(() => {
    reader?.close();
    api.seen.length = 0;
    failing = false;
  });

  const store = (...list: Message[]) => {
    stored.messages.push(...list);
    stored.messages.sort((a, b) => a.seq - b.seq);
    stored.seq = Math.max(stored.seq, ...list.map((m) => m.seq));
  };
  const reads = () => api.seen.map((s) => new URL(s.url, 'http://x').searchParams.get('afterSeq'));
  const seqs = () => reader!.messages.map((m) => m.seq);
  const open = async (extra: Partial<ThreadReaderOptions> = {}) => {
    reader = createThreadReader({
      api: createClient({ baseUrl: api.url, token: () => 'the-token' }),
      threadId: TID,
      onMessages: () => {},
      recheckMs: 20,
      settleMs: 300,
      ...extra,
    });
    await reader.load();
    return reader;
  };

  it('an out-of-order push fills the gap at once and loses nothing stored late', async () => {
    stored = { messages: [message(1)], seq: 1 };
    const r = await open();
    // Two writers: 3 is stored and pushed first while 2 is still on its way.
    stored.seq = 3;
    store(message(3));
    r.add(message(3));
    await until(() => reads().length === 2, 1000, 'the gap read');
    assert.equal(reads()[1], '1', 'asks after the highest contiguous seq, not the highest held');
    assert.deepEqual(seqs(), [1, 3]);
    assert.equal(r.contiguousSeq, 1);
    // 2 is stored, and its push is lost: the reader asks again while the gap lasts.
    store(message(2));
    await until(() => r.contiguousSeq === 3, 1000, 'the late message');
    assert.deepEqual(seqs(), [1, 2, 3]);
  });

  it('holds a message once, however often it is pushed or read', async () => {
    stored = { messages: [message(1), message(2)], seq: 2 };
    const r = await open();
    store(message(3));
    r.add(message(3));
    r.add(message(3)); // a retried send pushes again
    await r.resync(); // and a re-sync reads it back
    assert.deepEqual(seqs(), [1, 2, 3]);
    assert.equal(new Set(r.messages.map((m) => m.id)).size, 3);
  });

  it('re-syncs after the contiguous seq: a message stored behind a higher one is found', async () => {
    stored = { messages: [message(1)], seq: 1 };
    const r = await open({ settleMs: 60_000, recheckMs: 60_000 });
    stored.seq = 3;
    store(message(3));
    r.add(message(3));
    await until(() => reads().length === 2, 1000, 'the gap read');
    // The connection drops; meanwhile 2 lands, then 4. The view re-syncs on reconnect.
    store(message(2), message(4));
    await r.resync();
    assert.equal(reads().at(-1), '1');
    assert.deepEqual(seqs(), [1, 2, 3, 4]);
    assert.equal(r.contiguousSeq, 4);
  });

  it('a seq taken by a send that died is given up after settleMs, and the reads stop', async () => {
    stored = { messages: [message(1)], seq: 2 }; // seq 2 was taken, never stored
    const r = await open();
    store(message(3));
    r.add(message(3));
    await until(() => r.contiguousSeq === 3, 2000, 'the gap to settle');
    const count = reads().length;
    assert.ok(count <= 8, `${count} reads`);
    await delay(200);
    assert.equal(reads().length, count, 'no more reads once settled');
    r.add(message(4));
    store(message(4));
    assert.equal(r.contiguousSeq, 4, 'the next push is contiguous again: no read');
    assert.equal(reads().length, count);
  });

  it('an old gap (a later message long older than the newest) is given up at the first read', async () => {
    stored = { messages: [message(1), message(3), message(4, T0 + 3_600_000)], seq: 4 };
    const r = await open({ settleMs: 30_000 });
    assert.equal(r.contiguousSeq, 4);
    assert.deepEqual(seqs(), [1, 3, 4]);
    assert.equal(reads().length, 1);
  });

  it('a failed gap read is tried again', async () => {
    stored = { messages: [message(1)], seq: 1 };
    const errors: unknown[] = [];
    const r = await open({ onError: (e) => errors.push(e), settleMs: 60_000 });
    failing = true;
    store(message(2), message(3));
    r.add(message(3));
    await until(() => errors.length > 0, 1000, 'a failed read');
    failing = false;
    await until(() => r.contiguousSeq === 3, 1000, 'the retry');
    assert.deepEqual(seqs(), [1, 2, 3]);
  });
});
