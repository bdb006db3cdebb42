import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { uploadAttachment, type UploadProgress } from './upload.ts';
import { apiError, json, startApi, type Handler, type TestApi } from './test-api.ts';

const PID = 'abcdefabcdefabcdefabcdef';
const attachment = { id: '0123456789abcdef01234567', name: 'notes.txt', size: 11, type: 'text/plain' };

// Node has no XMLHttpRequest, so these cover the fetch path; the widget's browser tests cover the XHR one.
describe('uploadAttachment against a real HTTP server', () => {
  let api: TestApi;
  let handler: Handler;

  before(async () => {
    api = await startApi((seen, res, req) => handler(seen, res, req));
  });
  after(() => api.close());
  beforeEach(() => {
    api.seen.length = 0;
    handler = (_, res) => json(res, 201, { attachment });
  });

  it('POSTs one multipart `file` part for the practice, with the bearer token, and reports progress', async () => {
    const progress: UploadProgress[] = [];
    const file = new File(['hello world'], 'notes.txt', { type: 'text/plain' });
    const result = await uploadAttachment({ baseUrl: api.url, token: () => 'the-token' }, PID, file, {
      onProgress: (p) => progress.push(p),
    });
    assert.deepEqual(result, attachment);
    const seen = api.seen[0]!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, `/api/v1/attachments?practiceId=${PID}`);
    assert.equal(seen.headers.authorization, 'Bearer the-token');
    assert.match(String(seen.headers['content-type']), /^multipart\/form-data; boundary=/);
    const body = seen.body.toString();
    assert.match(body, /Content-Disposition: form-data; name="file"; filename="notes.txt"/);
    assert.match(body, /hello world/);
    assert.deepEqual(progress, [
      { loaded: 0, total: 11 },
      { loaded: 11, total: 11 },
    ]);
  });

  it('uploads for a My Network connection when given one instead of a practice', async () => {
    const file = new File(['hello world'], 'notes.txt', { type: 'text/plain' });
    await uploadAttachment({ baseUrl: api.url, token: () => 'the-token' }, { connectionId: PID }, file);
    assert.equal(api.seen[0]!.url, `/api/v1/attachments?connectionId=${PID}`);
  });

  it('maps refusals to ApiErrors and reports a dead session', async () => {
    let ended = 0;
    const http = { baseUrl: api.url, token: () => 'the-token', onUnauthenticated: () => ended++ };
    for (const [status, code] of [
      [413, 'payload_too_large'],
      [415, 'unsupported_media_type'],
      [401, 'unauthenticated'],
    ] as const) {
      handler = (_, res) => apiError(res, status, code);
      await assert.rejects(uploadAttachment(http, PID, new Blob(['x'])), { name: 'ApiError', status, code });
    }
    assert.equal(ended, 1, 'only the 401 ends the session');
  });

  it('aborts on request', async () => {
    handler = () => undefined; // never answers
    const controller = new AbortController();
    const pending = uploadAttachment({ baseUrl: api.url }, PID, new Blob(['x']), { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, { name: 'AbortError' });
  });
});
