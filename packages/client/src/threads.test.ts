import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createClient } from './client.ts';
import { apiError, json, startApi, type Handler, type TestApi } from './test-api.ts';

const PID = 'abcdefabcdefabcdefabcdef';
const SID = '0123456789abcdef0123cafe';
const TID = '0123456789abcdef01234567';
const AID = 'fedcba9876543210fedcba98';

describe('thread resources against a real HTTP server', () => {
  let api: TestApi;
  let handler: Handler;
  before(async () => {
    api = await startApi((seen, res, req) => handler(seen, res, req));
  });
  after(() => api.close());
  beforeEach(() => {
    api.seen.length = 0;
    handler = (_, res) => json(res, 200, { ok: true });
  });

  const client = () => createClient({ baseUrl: api.url, token: () => 'the-token' });
  const last = () => {
    const seen = api.seen.at(-1)!;
    return {
      method: seen.method,
      url: seen.url,
      body: seen.body.length ? JSON.parse(seen.body.toString()) : undefined,
    };
  };

  it('call the paths of the contract with the bodies of the protocol', async () => {
    const c = client();
    await c.listThreads({ practiceId: PID, status: 'open' });
    assert.deepEqual(last(), { method: 'GET', url: `/api/v1/threads?practiceId=${PID}&status=open`, body: undefined });
    await c.listThreads();
    assert.equal(last().url, '/api/v1/threads');
    await c.getThread(TID);
    assert.equal(last().url, `/api/v1/threads/${TID}`);
    await c.getThread(TID, { afterSeq: 7 });
    assert.equal(last().url, `/api/v1/threads/${TID}?afterSeq=7`);
    await c.getThread(TID, { afterSeq: 0 });
    assert.equal(last().url, `/api/v1/threads/${TID}?afterSeq=0`);
    await c.sendMessage(TID, { body: 'Hi' }, { idempotencyKey: 'key-0123456789' });
    assert.deepEqual(last(), { method: 'POST', url: `/api/v1/threads/${TID}/messages`, body: { body: 'Hi' } });
    assert.equal(api.seen.at(-1)!.headers['idempotency-key'], 'key-0123456789');
    handler = (_, res) => json(res, 204);
    assert.equal(await c.markRead(TID, 4), undefined);
    assert.deepEqual(last(), { method: 'POST', url: `/api/v1/threads/${TID}/read`, body: { seq: 4 } });
    handler = (_, res) => json(res, 200, {});
    await c.closeThread(TID);
    assert.deepEqual(last(), { method: 'POST', url: `/api/v1/threads/${TID}/close`, body: undefined });
    await c.createServiceThread(PID, SID, { subject: 'Invoice', body: 'Paid?', attachmentIds: [AID] });
    assert.deepEqual(last(), {
      method: 'POST',
      url: `/api/v1/practices/${PID}/services/${SID}/threads`,
      body: { subject: 'Invoice', body: 'Paid?', attachmentIds: [AID] },
    });
    await c.createThread(PID, { clientId: TID, body: 'Hello' });
    assert.deepEqual(last(), {
      method: 'POST',
      url: `/api/v1/practices/${PID}/threads`,
      body: { clientId: TID, body: 'Hello' },
    });
    for (const seen of api.seen) assert.equal(seen.headers.authorization, 'Bearer the-token');
  });

  it('downloads an attachment as bytes, with the token in a header and never in the URL', async () => {
    handler = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' });
      res.end('%PDF-1.4 bytes');
    };
    const blob = await client().downloadAttachment(AID);
    assert.equal(await blob.text(), '%PDF-1.4 bytes');
    assert.equal(blob.type, 'application/pdf');
    const seen = api.seen[0]!;
    assert.equal(seen.url, `/api/v1/attachments/${AID}`);
    assert.equal(seen.headers.authorization, 'Bearer the-token');
    assert.ok(!seen.url.includes('the-token'));

    handler = (_, res) => apiError(res, 404, 'not_found');
    await assert.rejects(client().downloadAttachment(AID), { name: 'ApiError', status: 404, code: 'not_found' });
  });
});
