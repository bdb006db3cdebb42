import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApiError, createClient } from './index.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = (res: ServerResponse) => void;

const PID = '0123456789abcdef01234567';
const json =
  (status: number, body: unknown): Answer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

describe('@clocktree/client against a real HTTP server', () => {
  let server: Server;
  let baseUrl: string;
  let seen: Seen[] = [];
  let answer: Answer = json(200, {});

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    seen = [];
    answer = json(200, {});
  });

  it('getPractice GETs the public profile and returns the parsed body', async () => {
    const practice = { id: PID, name: 'Maple Street Counseling', phone: '', services: [], listed: true };
    answer = json(200, { practice });
    const result = await createClient({ baseUrl }).getPractice(PID);
    assert.deepEqual(result, { practice });
    assert.equal(seen[0]?.method, 'GET');
    assert.equal(seen[0]?.url, `/api/v1/practices/${PID}`);
    assert.equal(seen[0]?.headers.authorization, undefined);
    assert.equal(seen[0]?.headers['content-type'], undefined);
  });

  it('encodes path segments so an id cannot walk the URL', async () => {
    await createClient({ baseUrl }).getPractice('../me?x=1');
    assert.equal(seen[0]?.url, '/api/v1/practices/..%2Fme%3Fx%3D1');
  });

  it('keeps a path prefix of the base URL and tolerates a trailing slash', async () => {
    await createClient({ baseUrl: `${baseUrl}/prefix/` }).request('GET', '/healthz');
    assert.equal(seen[0]?.url, '/prefix/healthz');
  });

  it('contactUs POSTs JSON and returns the thread id', async () => {
    answer = json(201, { thread: { id: PID } });
    const body = { name: 'Ada', email: 'ada@example.com', body: 'Hello' };
    const result = await createClient({ baseUrl }).contactUs(PID, body);
    assert.deepEqual(result, { thread: { id: PID } });
    assert.equal(seen[0]?.method, 'POST');
    assert.equal(seen[0]?.url, `/api/v1/practices/${PID}/contact-us`);
    assert.equal(seen[0]?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), body);
  });

  it('sends the bearer token when one exists, read afresh on every call', async () => {
    let token: string | undefined = 'first';
    const client = createClient({ baseUrl, token: () => token });
    await client.request('GET', '/api/v1/me');
    token = undefined;
    await client.request('GET', '/api/v1/me');
    assert.equal(seen[0]?.headers.authorization, 'Bearer first');
    assert.equal(seen[1]?.headers.authorization, undefined);
  });

  it('turns an API error body into an ApiError with status, code, message and fields', async () => {
    const fields = [{ path: 'email', message: 'must be an e-mail address' }];
    answer = json(400, { error: { code: 'validation_failed', message: 'Invalid body', fields } });
    const error = await createClient({ baseUrl })
      .contactUs(PID, { name: 'A', email: 'x', body: 'y' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'validation_failed');
    assert.equal(error.message, 'Invalid body');
    assert.deepEqual(error.fields, fields);
  });

  it('reports rate limiting with its code', async () => {
    answer = json(429, { error: { code: 'rate_limited', message: 'Too many requests' } });
    await assert.rejects(createClient({ baseUrl }).request('POST', '/x', {}), {
      name: 'ApiError',
      status: 429,
      code: 'rate_limited',
      fields: [],
    });
  });

  it('hands on the challenge of a challenge_required answer', async () => {
    const challenge = { parameters: { algorithm: 'PBKDF2/SHA-256', cost: 1 }, signature: 'ab' };
    answer = json(428, { error: { code: 'challenge_required', message: 'Solve this first', challenge } });
    await assert.rejects(createClient({ baseUrl }).contactUs(PID, { name: 'A', email: 'a@b.c', body: 'y' }), {
      status: 428,
      code: 'challenge_required',
      challenge,
    });
  });

  it('reports a non-JSON error page as bad_response with its status', async () => {
    answer = (res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway</h1>');
    };
    await assert.rejects(createClient({ baseUrl }).request('GET', '/x'), { status: 502, code: 'bad_response' });
  });

  it('resolves 204 to undefined', async () => {
    answer = (res) => {
      res.writeHead(204);
      res.end();
    };
    assert.equal(await createClient({ baseUrl }).request('POST', '/api/v1/auth/logout'), undefined);
  });

  it('reports a refused connection as code network, status 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(createClient({ baseUrl: `http://127.0.0.1:${port}` }).getPractice(PID), {
      name: 'ApiError',
      status: 0,
      code: 'network',
    });
  });

  it("lets a caller's abort through as an AbortError, not a network error", async () => {
    answer = (res) => setTimeout(() => json(200, {})(res), 200);
    const controller = new AbortController();
    const pending = createClient({ baseUrl }).getPractice(PID, { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const client = createClient({
      baseUrl: 'https://api.invalid',
      fetch: async (input) => {
        calls.push(String(input));
        return new Response(JSON.stringify({ ok: true }), { status: 200 });
      },
    });
    assert.deepEqual(await client.request('GET', '/x'), { ok: true });
    assert.deepEqual(calls, ['https://api.invalid/x']);
  });
});
