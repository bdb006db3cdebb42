import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

/**
 * Malformed Engine.IO traffic against the real server binary: whatever arrives at `/socket.io/`, the process stays
 * up and `/healthz` answers after each case. (A 404 from Koa on this path once let engine.io write to an ended
 * response and kill the process.)
 */

interface Raw {
  status: number;
  text: string;
}

function send(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) {
  return new Promise<Raw>((resolve, reject) => {
    const req = httpRequest(new URL(path, url), { method, headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `bytes` on a raw TCP connection, waits `ms`, then cuts the connection without reading an answer. */
function cut(url: string, bytes: string, ms = 100) {
  const { hostname, port } = new URL(url);
  return new Promise<void>((resolve) => {
    const socket = tcpConnect(Number(port), hostname, () => {
      socket.write(bytes);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, ms);
    });
    socket.on('error', () => resolve());
  });
}

const EIO = '/socket.io/?EIO=4&transport=polling';

async function handshake(url: string, origin?: string): Promise<string> {
  const reply = await send(url, 'GET', EIO, origin ? { origin } : {});
  assert.equal(reply.status, 200, reply.text);
  return (JSON.parse(reply.text.slice(1)) as { sid: string }).sid;
}

describe('malformed Engine.IO requests never stop the server', () => {
  let server: ServerProcess;
  const uri = new URL(process.env.MONGODB_URI!);
  uri.pathname = `/ct_test_eio_${randomBytes(4).toString('hex')}`;

  before(async () => {
    server = await startServerProcess({
      MONGODB_URI: uri.toString(),
      CLOCKTREE_MASTER_KEY: randomBytes(32).toString('base64'),
      DATA_DIR: `/tmp/ct-eio-${process.pid}`,
    });
  });
  after(() => server.stop());

  const cases: [string, (url: string) => Promise<unknown>][] = [
    ['a polling handshake without Origin', (url) => send(url, 'GET', EIO)],
    ['a polling handshake from a foreign Origin', (url) => send(url, 'GET', EIO, { origin: 'https://evil.example' })],
    [
      'a second poll with the sid of a handshake',
      async (url) => send(url, 'GET', `${EIO}&sid=${await handshake(url)}`),
    ],
    [
      'a second poll from a foreign Origin',
      async (url) => {
        const origin = 'https://evil.example';
        return send(url, 'GET', `${EIO}&sid=${await handshake(url, origin)}`, { origin });
      },
    ],
    ['EIO=3', (url) => send(url, 'GET', '/socket.io/?EIO=3&transport=polling')],
    ['EIO=99', (url) => send(url, 'GET', '/socket.io/?EIO=99&transport=polling')],
    ['EIO=abc', (url) => send(url, 'GET', '/socket.io/?EIO=abc&transport=polling')],
    ['no query at all', (url) => send(url, 'GET', '/socket.io/')],
    ['an unknown transport', (url) => send(url, 'GET', '/socket.io/?EIO=4&transport=carrier-pigeon')],
    ['transport=websocket without an upgrade', (url) => send(url, 'GET', '/socket.io/?EIO=4&transport=websocket')],
    ['an unknown sid', (url) => send(url, 'GET', `${EIO}&sid=${'A'.repeat(20)}`)],
    ['a sid of garbage characters', (url) => send(url, 'GET', `${EIO}&sid=%00%ff%22%3C`)],
    ['a query that does not decode', (url) => send(url, 'GET', '/socket.io/?EIO=4&transport=polling&sid=%E0%A4%A')],
    ['POST to an unknown sid', (url) => send(url, 'POST', `${EIO}&sid=nope`, {}, Buffer.from('4hello'))],
    ['POST without a sid', (url) => send(url, 'POST', EIO, {}, Buffer.from('garbage'))],
    [
      'POST of garbage to a live sid',
      async (url) => send(url, 'POST', `${EIO}&sid=${await handshake(url)}`, {}, randomBytes(2048)),
    ],
    [
      'POST of an invalid packet sequence to a live sid',
      async (url) =>
        send(
          url,
          'POST',
          `${EIO}&sid=${await handshake(url)}`,
          { 'content-type': 'text/plain' },
          Buffer.from('9\x1e0{"x"\x1e42["a"'),
        ),
    ],
    [
      'POST larger than the buffer limit to a live sid',
      async (url) => send(url, 'POST', `${EIO}&sid=${await handshake(url)}`, {}, Buffer.alloc(1_500_000, 0x34)),
    ],
    [
      'two overlapping polls on one sid',
      async (url) => {
        const sid = await handshake(url);
        return Promise.allSettled([send(url, 'GET', `${EIO}&sid=${sid}`), send(url, 'GET', `${EIO}&sid=${sid}`)]);
      },
    ],
    [
      'a poll aborted while it waits',
      async (url) => {
        const sid = await handshake(url);
        const { host } = new URL(url);
        return cut(url, `GET ${EIO}&sid=${sid} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 200);
      },
    ],
    [
      'a POST aborted mid-body',
      async (url) => {
        const sid = await handshake(url);
        const { host } = new URL(url);
        return cut(url, `POST ${EIO}&sid=${sid} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5000\r\n\r\n4abc`);
      },
    ],
    ['an unsupported method', (url) => send(url, 'PUT', EIO, {}, Buffer.from('x'))],
    ['a preflight from a foreign Origin', (url) => send(url, 'OPTIONS', EIO, { origin: 'https://evil.example' })],
    ['a path just past ours', (url) => send(url, 'GET', '/socket.io.evil/?EIO=4&transport=polling')],
    ['the path without its slash', (url) => send(url, 'GET', '/socket.io?EIO=4&transport=polling')],
    [
      'a WebSocket upgrade with a bad key',
      (url) => {
        const { host } = new URL(url);
        return cut(
          url,
          `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\n` +
            'Connection: Upgrade\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 13\r\n\r\n',
          300,
        );
      },
    ],
    [
      'a WebSocket upgrade with a dead sid',
      (url) => {
        const { host } = new URL(url);
        return cut(
          url,
          `GET /socket.io/?EIO=4&transport=websocket&sid=dead HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\n` +
            'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          300,
        );
      },
    ],
    [
      'a WebSocket upgrade on an API path',
      (url) => {
        const { host } = new URL(url);
        return cut(
          url,
          `GET /api/v1/me HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          300,
        );
      },
    ],
    ['a request line of garbage', (url) => cut(url, '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n')],
  ];

  for (const [name, attack] of cases) {
    test(name, async () => {
      await attack(server.url).catch(() => {
        // Refusals and cut connections are fine; only the server's survival is asserted.
      });
      // Give a crash caused by a late write (after the response ended) the time to happen.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const health = await send(server.url, 'GET', '/healthz');
      assert.equal(health.status, 200);
      assert.equal(server.exitCode(), undefined, `the server exited:\n${server.logs.slice(-20).join('\n')}`);
    });
  }

  test('the real handshake still works over polling afterwards', async () => {
    const sid = await handshake(server.url);
    assert.match(sid, /^[\w-]{20}$/);
  });
});
