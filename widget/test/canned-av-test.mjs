/**
 * A stand-in for the connection-test routes (docs/api-v1-video.md, "Connection test") for the <ct-av-test> browser
 * tests. A test points the widget's `api` at `/__avtest/<scenario>` and the scenario decides the line it sees:
 *   ok       answers at once: a fast line
 *   slowup   downloads at once, but takes uploads in at about 2 Mbps: below the 5 Mbps the widget asks for
 *   limited  429 with Retry-After, as after too many checks
 *   down     503 for everything
 * Every answer carries `Cache-Control: no-store`, as the server's. The real routes are tested in
 * server/src/modules/connection-test/connection-test.routes.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { readRequest, respond } from './canned-common.mjs';
import { checkShape } from './canned-shapes.mjs';

const MAX_BYTES = 10 * 1024 * 1024;
const SLOW_UPLOAD_BITS_PER_SECOND = 2_000_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fail = (status, code) => [status, { error: { code, message: code } }];

async function route(scenario, ctx, name) {
  if (scenario === 'down') return fail(503, 'unavailable');
  if (scenario === 'limited') {
    ctx.set('Retry-After', '42');
    return fail(429, 'rate_limited');
  }
  if (name === 'ping' && ctx.method === 'GET') return [204];
  if (name === 'download' && ctx.method === 'GET') {
    const bytes = /^\d{1,8}$/.test(ctx.query.bytes ?? '') ? Number(ctx.query.bytes) : 0;
    if (bytes < 1 || bytes > MAX_BYTES) return fail(400, 'validation_failed');
    return [200, randomBytes(bytes), 'application/octet-stream'];
  }
  if (name === 'upload' && ctx.method === 'POST') {
    const started = Date.now();
    const { raw } = await readRequest(ctx);
    if (raw.length > MAX_BYTES) return fail(413, 'payload_too_large');
    if (scenario === 'slowup')
      await sleep((raw.length * 8 * 1000) / SLOW_UPLOAD_BITS_PER_SECOND - (Date.now() - started));
    return [200, { bytes: raw.length }];
  }
  return fail(404, 'not_found');
}

/** web-test-runner middleware (Koa). */
export async function cannedAvTest(ctx, next) {
  const match = /^\/__avtest\/(\w+)\/api\/v1\/connection-test\/(\w+)$/.exec(ctx.path);
  if (!match) return next();
  const [, scenario, name] = match;
  const answer = await route(scenario, ctx, name);
  ctx.set('Cache-Control', 'no-store');
  respond(ctx, checkShape(ctx.method, `/connection-test/${name}`, answer));
}
