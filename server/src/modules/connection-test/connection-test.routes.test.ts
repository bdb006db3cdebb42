import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { CONNECTION_TEST_MAX_BYTES, CONNECTION_TEST_REQUESTS_PER_MINUTE } from '@clocktree/protocol';
import { practiceOnSite } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

const BASE = '/api/v1/connection-test';
const PRACTICE_SITE = 'https://maple-street.example';

/** Sends `total` bytes without a Content-Length, in 1 MiB pieces, until the server answers; resolves its status. */
function chunkedUpload(url: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(`${url}${BASE}/upload`), { method: 'POST' });
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    // Writing on after the answer may hit the closed connection; the status is what counts.
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    const piece = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < total && !req.destroyed) {
        const size = Math.min(piece.length, total - sent);
        sent += size;
        if (!req.write(piece.subarray(0, size))) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

describe('connection test routes', () => {
  const t = useTestServer();
  let practiceSite: Awaited<ReturnType<typeof practiceOnSite>>;
  before(async () => {
    practiceSite = await practiceOnSite(t.request, PRACTICE_SITE);
  });

  /** Each test starts a fresh rate-limit window, so the tests never count each other's requests. */
  const freshWindow = () => t.server.clock.advance(60_000);

  test('ping answers 204 with nothing in it, never to be cached, to anyone without signing in', async () => {
    freshWindow();
    const res = await t.request('GET', `${BASE}/ping`);
    assert.equal(res.status, 204);
    assert.equal(res.body, undefined);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
  });

  test('download answers exactly the bytes asked for, random and uncompressed', async () => {
    freshWindow();
    for (const bytes of [1, 65_536, 1_000_003, CONNECTION_TEST_MAX_BYTES]) {
      const res = await fetch(`${t.server.url}${BASE}/download?bytes=${bytes}`, {
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      assert.equal(res.status, 200, `${bytes} bytes`);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.equal(res.headers.get('content-length'), String(bytes));
      assert.equal(res.headers.get('content-encoding'), null, 'identity: sent as it is');
      assert.match(res.headers.get('cache-control') ?? '', /no-store/);
      assert.match(res.headers.get('cache-control') ?? '', /no-transform/);
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(body.length, bytes);
      if (bytes >= 65_536) {
        // Incompressible: a proxy could not shrink it and make the line look faster than it is.
        assert.ok(gzipSync(body).length > bytes * 0.99, `${bytes} bytes compress`);
      }
    }
  });

  test('download refuses a missing, malformed, too small or too large size with 400 validation_failed', async () => {
    freshWindow();
    const queries = [
      '',
      '?bytes=',
      '?bytes=-1',
      '?bytes=0',
      '?bytes=abc',
      '?bytes=1e12',
      '?bytes=1.5',
      '?bytes=0x10',
      `?bytes=${CONNECTION_TEST_MAX_BYTES + 1}`,
      '?bytes=99999999999999999999',
      '?bytes=1&bytes=2',
      '?bytes=1&other=1',
    ];
    for (const query of queries) {
      const res = await t.request('GET', `${BASE}/download${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'validation_failed', query);
      assert.equal(res.body.error.fields?.[0]?.path, query.includes('other') ? '' : 'bytes', query);
    }
  });

  test('upload reads and drops any body up to 10 MiB, whatever its type, and says how much arrived', async () => {
    freshWindow();
    for (const [bytes, type] of [
      [0, undefined],
      [1, 'application/octet-stream'],
      [65_536, undefined],
      [CONNECTION_TEST_MAX_BYTES, 'text/plain'],
    ] as const) {
      const res = await t.request('POST', `${BASE}/upload`, {
        raw: new Uint8Array(bytes),
        headers: type ? { 'content-type': type } : {},
      });
      assert.equal(res.status, 200, `${bytes} bytes`);
      assert.deepEqual(res.body, { bytes });
      assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    }
    assert.equal(await chunkedUpload(t.server.url, 3 * 1024 * 1024 + 5), 200, 'chunked, within the limit');
  });

  test('upload refuses more than 10 MiB with 413 payload_too_large, declared or streamed', async () => {
    freshWindow();
    const declared = await t.request('POST', `${BASE}/upload`, { raw: new Uint8Array(CONNECTION_TEST_MAX_BYTES + 1) });
    assert.equal(declared.status, 413);
    assert.equal(declared.body.error.code, 'payload_too_large');
    assert.equal(await chunkedUpload(t.server.url, CONNECTION_TEST_MAX_BYTES + 1), 413);
    // The server is still fine afterwards.
    assert.equal((await t.request('GET', `${BASE}/ping`)).status, 204);
  });

  test('answers our own origin and the practices’ sites, refuses any other, as the rest of the API', async () => {
    freshWindow();
    const site = await t.request('GET', `${BASE}/ping`, { headers: { origin: PRACTICE_SITE } });
    assert.equal(site.status, 204);
    assert.equal(site.headers.get('access-control-allow-origin'), PRACTICE_SITE);
    const own = await t.request('GET', `${BASE}/ping`, { headers: { origin: t.server.url } });
    assert.equal(own.status, 204);
    const stranger = await t.request('GET', `${BASE}/ping`, { headers: { origin: 'https://evil.example' } });
    assert.equal(stranger.status, 403);
    const upload = await t.request('POST', `${BASE}/upload`, {
      raw: new Uint8Array(10),
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(upload.status, 403, 'a refused upload does not run');
  });

  test(`allows ${CONNECTION_TEST_REQUESTS_PER_MINUTE} requests a minute from one address, then 429 with Retry-After`, async () => {
    freshWindow();
    for (let i = 0; i < CONNECTION_TEST_REQUESTS_PER_MINUTE; i++) {
      const route = i % 3 === 0 ? 'ping' : i % 3 === 1 ? 'download?bytes=16' : 'upload';
      const res = await t.request(route === 'upload' ? 'POST' : 'GET', `${BASE}/${route}`);
      assert.equal(res.status, route === 'ping' ? 204 : 200, `request ${i + 1}`);
    }
    const limited = await t.request('GET', `${BASE}/download?bytes=16`);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.equal(limited.headers.get('retry-after'), '60');
    assert.match(limited.headers.get('cache-control') ?? '', /no-store/);

    t.server.clock.advance(30_000);
    const later = await t.request('GET', `${BASE}/ping`);
    assert.equal(later.status, 429);
    assert.equal(later.headers.get('retry-after'), '30');

    t.server.clock.advance(30_000);
    assert.equal((await t.request('GET', `${BASE}/ping`)).status, 204, 'a new minute, a new allowance');
    // Another part of the API is not limited by the connection test's counter.
    assert.equal((await t.request('GET', `/api/v1/practices/${practiceSite.practiceId}`)).status, 200);
  });

  test('another path is a 404, another method a 405, as elsewhere in the API; neither uses the allowance', async () => {
    freshWindow();
    for (let i = 0; i < CONNECTION_TEST_REQUESTS_PER_MINUTE + 5; i++) {
      assert.equal((await t.request('GET', `${BASE}/nothing-here`)).status, 404);
    }
    const put = await t.request('PUT', `${BASE}/ping`);
    assert.equal(put.status, 405);
    assert.match(put.headers.get('allow') ?? '', /GET/);
    assert.equal((await t.request('GET', `${BASE}/ping`)).status, 204);
  });
});

describe('connection test logging', () => {
  const lines: string[] = [];
  const t = useTestServer({ logLines: lines });

  test('each request leaves the request logger’s one line, with the route pattern and no query', async () => {
    const before = lines.length;
    await t.request('GET', `${BASE}/ping`);
    await t.request('GET', `${BASE}/download?bytes=1024`);
    await t.request('GET', `${BASE}/download?bytes=oops`);
    await t.request('POST', `${BASE}/upload`, { raw: new Uint8Array(2048) });
    await t.request('POST', `${BASE}/upload`, { raw: new Uint8Array(CONNECTION_TEST_MAX_BYTES + 1) });
    const logged = lines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      logged.map(({ msg, method, route, status }) => ({ msg, method, route, status })),
      [
        { msg: 'request', method: 'GET', route: `${BASE}/ping`, status: 204 },
        { msg: 'request', method: 'GET', route: `${BASE}/download`, status: 200 },
        { msg: 'request', method: 'GET', route: `${BASE}/download`, status: 400 },
        { msg: 'request', method: 'POST', route: `${BASE}/upload`, status: 200 },
        { msg: 'request', method: 'POST', route: `${BASE}/upload`, status: 413 },
      ],
    );
  });
});
