import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A practice's own website on another origin: serves fixed HTML pages by path, as any static host would. */
export async function servePage(
  html: string | Record<string, string>,
): Promise<{ url: string; close(): Promise<void> }> {
  const pages = typeof html === 'string' ? { '/': html } : html;
  const server = createServer((req, res) => {
    const page = pages[req.url?.split('?')[0] ?? ''];
    if (page === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
