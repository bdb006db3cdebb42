import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IdempotencyKey } from '@clocktree/protocol';
import { createClient } from './client.ts';
import { createOutbox, newIdempotencyKey } from './outbox.ts';
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
});
