import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Next } from 'koa';
import type { AppContext } from './state.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serves the SDK under `prefix` from `dir`. Chunk names carry a content hash, so they are immutable for a year;
 * the loader keeps its stable URL on every practice's site, so it is cached for an hour and revalidated, or a
 * security fix could not reach visitors. Module scripts load cross-origin, hence CORS and CORP headers.
 */
export function serveSdk(prefix: string, dir: string) {
  const cache = new Map<string, { body: Buffer; etag: string }>();
  return async (ctx: AppContext, next: Next) => {
    if (!ctx.path.startsWith(prefix) || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const rel = ctx.path.slice(prefix.length);
    const file = path.resolve(dir, rel);
    if (!rel || !file.startsWith(dir + path.sep) || !TYPES[path.extname(file)]) return next();
    let entry = cache.get(file);
    if (!entry) {
      const body = await readFile(file).catch(() => undefined);
      if (!body) return next();
      entry = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      if (rel.startsWith('chunks/')) cache.set(file, entry);
    }
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set(
      'Cache-Control',
      rel.startsWith('chunks/')
        ? 'public, max-age=31536000, immutable'
        : 'public, max-age=3600, stale-while-revalidate=86400',
    );
    ctx.set('ETag', entry.etag);
    ctx.type = TYPES[path.extname(file)]!;
    if (ctx.get('if-none-match') === entry.etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = entry.body;
  };
}

/**
 * Example pages: the literal `HOST` and `PRACTICE_ID` of the snippet are filled in, as a practice would paste them;
 * `WS_ORIGIN` (the strict-CSP page's connect-src) is the host as a WebSocket origin, which `http:` does not cover.
 */
export async function renderExample(file: string, host: string, practiceId: string): Promise<string | undefined> {
  const html = await readFile(file, 'utf8').catch(() => undefined);
  return html
    ?.replaceAll('WS_ORIGIN', host.replace(/^http/, 'ws'))
    .replaceAll('HOST', host)
    .replaceAll('PRACTICE_ID', practiceId);
}
