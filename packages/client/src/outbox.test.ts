import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IdempotencyKey } from '@clocktree/protocol';
import { createClient } from './client.ts';
import { createOutbox, newIdempotencyKey } from './outbox.ts';
import { webStorageOutboxStore, type StorageLike } from './outbox-store.ts';
import { apiError, json, startApi, type Seen, type TestApi } from './test-api.ts';
import type { ServerResponse } from 'node:http';

const TID = 'abcdefabcdefabcdefabcdef';
const message = {
  id: '0123456789abcdef01234567',
  seq: 3,
  authorId: null,
  authorName: 'Dana',
  authorRole: 'client',
  body: 'Hello',
  createdAt: '2025-01-01T00:00:00.000Z',
  attachments: [],
};

type Step = (res: ServerResponse, seen: Seen) => void;
const created: Step = (res) => json(res, 201, { message });
// Drops the connection without an answer, as a network failure would.
const dropped: Step = (res) => res.socket?.destroy();
const status =
  (code: number, error: string): Step =>
  (res) =>
    apiError(res, code, error);

describe('outbox', () => {
  let api: TestApi;
  let steps: Step[] = [];

  before(async () => {
    api = await startApi((seen, res) => (steps.shift() ?? created)(res, seen));
  });
  after(() => api.close());
  beforeEach(() => {
    api.seen.length = 0;
    steps = [];
  });

  const outbox = (retries = 4) => createOutbox({ api: createClient({ baseUrl: api.url }), retries, backoffMs: 10 });
  const keys = () => api.seen.map((s) => s.headers['idempotency-key']);

  it('posts the reply with an Idempotency-Key the protocol accepts', async () => {
    const sent = await outbox().send(TID, { body: 'Hello', attachmentIds: [] });
    assert.deepEqual(sent, message);
    assert.equal(api.seen.length, 1);
    assert.equal(api.seen[0]?.method, 'POST');
    assert.equal(api.seen[0]?.url, `/api/v1/threads/${TID}/messages`);
    assert.deepEqual(JSON.parse(api.seen[0]!.body.toString()), { body: 'Hello', attachmentIds: [] });
    assert.ok(IdempotencyKey.safeParse(keys()[0]).success, String(keys()[0]));
  });

  it('retries network errors and 5xx under the same key until it goes through', async () => {
    steps = [dropped, status(503, 'unavailable'), status(500, 'internal'), created];
    const retried: number[] = [];
    const box = createOutbox({
      api: createClient({ baseUrl: api.url }),
      backoffMs: 5,
      onRetry: (n) => retried.push(n),
    });
    assert.deepEqual(await box.send(TID, { body: 'Hello' }), message);
    assert.equal(api.seen.length, 4);
    assert.equal(new Set(keys()).size, 1, 'one logical send, one key');
    assert.deepEqual(retried, [1, 2, 3]);
  });

  it('waits as long as a 503 asks with Retry-After before trying again', async () => {
    steps = [
      (res) => {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { code: 'unavailable', message: 'busy' } }));
      },
      created,
    ];
    const started = Date.now();
    assert.deepEqual(await outbox().send(TID, { body: 'Hello' }), message);
    const waited = Date.now() - started;
    assert.ok(waited >= 1000, `retried after ${waited} ms, not the 10 ms backoff`);
    assert.equal(new Set(keys()).size, 1);
  });

  it('never retries a 4xx, and thread_closed surfaces as such', async () => {
    for (const [code, error] of [
      [409, 'thread_closed'],
      [400, 'validation_failed'],
      [429, 'rate_limited'],
      [403, 'forbidden'],
    ] as const) {
      api.seen.length = 0;
      steps = [status(code, error)];
      await assert.rejects(outbox().send(TID, { body: 'Hello' }), { name: 'ApiError', status: code, code: error });
      assert.equal(api.seen.length, 1, `${error} is not retried`);
    }
  });

  it('gives up after the configured retries with the last error', async () => {
    steps = [status(503, 'unavailable'), status(503, 'unavailable'), dropped];
    await assert.rejects(outbox(2).send(TID, { body: 'Hello' }), { code: 'network', status: 0 });
    assert.equal(api.seen.length, 3);
  });

  it('reuses a key handed back for a second press of Send on the same draft', async () => {
    const key = newIdempotencyKey();
    await outbox().send(TID, { body: 'Hello' }, { idempotencyKey: key });
    await outbox().send(TID, { body: 'Hello' }, { idempotencyKey: key });
    assert.deepEqual(keys(), [key, key]);
    assert.notEqual(newIdempotencyKey(), key);
  });

  it('stops retrying when aborted', async () => {
    steps = [status(503, 'unavailable'), status(503, 'unavailable')];
    const controller = new AbortController();
    const box = createOutbox({
      api: createClient({ baseUrl: api.url }),
      backoffMs: 1000,
      onRetry: () => controller.abort(),
    });
    await assert.rejects(box.send(TID, { body: 'Hello' }, { signal: controller.signal }), { name: 'AbortError' });
    assert.equal(api.seen.length, 1);
  });

  describe('kept across a reload', () => {
    /** A stand-in for the tab's sessionStorage that outlives the outbox objects, as the real one outlives a page. */
    const tab = (): StorageLike & { items: Map<string, string> } => {
      const items = new Map<string, string>();
      return {
        items,
        getItem: (k) => items.get(k) ?? null,
        setItem: (k, v) => void items.set(k, v),
        removeItem: (k) => void items.delete(k),
      };
    };
    const durable = (storage: StorageLike, retries = 1) =>
      createOutbox({
        api: createClient({ baseUrl: api.url }),
        retries,
        backoffMs: 5,
        store: webStorageOutboxStore(storage, 'user-1'),
      });

    it('a send the network dropped is sent by the next page under its first key, and then forgotten', async () => {
      const storage = tab();
      steps = [dropped, dropped];
      await assert.rejects(durable(storage).send(TID, { body: 'Hello' }), { code: 'network' });
      const firstKey = keys()[0];
      assert.equal(webStorageOutboxStore(storage, 'user-1').list().length, 1, 'kept in the tab');

      const reloaded = durable(storage); // the page reloads: a new outbox over the same tab storage
      assert.deepEqual(await reloaded.resume(), [message]);
      assert.deepEqual(keys(), [firstKey, firstKey, firstKey], 'one key for the one logical send');
      assert.equal(storage.items.size, 0, 'nothing left once stored');
      assert.deepEqual(await reloaded.resume(), [], 'and never sent again');
      assert.equal(api.seen.length, 3);
    });

    it('a refused send is not kept, a rate-limited one is', async () => {
      const storage = tab();
      steps = [status(409, 'thread_closed')];
      await assert.rejects(durable(storage).send(TID, { body: 'Hello' }), { code: 'thread_closed' });
      assert.equal(storage.items.size, 0);
      steps = [status(429, 'rate_limited')];
      await assert.rejects(durable(storage).send(TID, { body: 'Later' }), { code: 'rate_limited' });
      assert.equal(webStorageOutboxStore(storage, 'user-1').list()[0]?.body.body, 'Later');
    });

    it('resume skips a send this page has in flight, so it is not posted twice at once', async () => {
      const storage = tab();
      let release: () => void = () => {};
      steps = [(res) => void (release = () => json(res, 201, { message }))];
      const box = durable(storage);
      const sending = box.send(TID, { body: 'Hello' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(await box.resume(), []);
      release();
      assert.deepEqual(await sending, message);
      assert.equal(api.seen.length, 1);
    });

    it('the store keeps one slot per account, survives garbage in it and is cleared at sign-out', () => {
      const storage = tab();
      const mine = webStorageOutboxStore(storage, 'user-1');
      const theirs = webStorageOutboxStore(storage, 'user-2');
      mine.put({ key: 'k1k1k1k1', threadId: TID, body: { body: 'a' } });
      assert.deepEqual(theirs.list(), []);
      storage.setItem('ct-outbox:user-2', '{not json');
      assert.deepEqual(theirs.list(), []);
      mine.clear();
      assert.equal(storage.getItem('ct-outbox:user-1'), null);
    });
  });
});
