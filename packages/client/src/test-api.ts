// Test support for the client's unit tests: a real HTTP server on a free loopback port, recording what it received.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionStore } from './session.ts';

export interface Seen {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Handler = (seen: Seen, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export interface TestApi {
  server: Server;
  url: string;
  seen: Seen[];
  /** Replaces how the server answers from now on. */
  answer(handler: Handler): void;
  close(): Promise<void>;
}

export function json(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export const apiError = (res: ServerResponse, status: number, code: string, message = code) =>
  json(res, status, { error: { code, message } });

export async function startApi(handler: Handler = (_, res) => json(res, 200, {})): Promise<TestApi> {
  let current = handler;
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    // Socket.IO, when attached, answers its own path; everything else is the API's.
    if (req.url?.startsWith('/socket.io/')) return;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(entry);
      void current(entry, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    answer: (next) => (current = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** sessionStorage's behaviour, in memory. */
export class MemoryStore implements SessionStore {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds, failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}
