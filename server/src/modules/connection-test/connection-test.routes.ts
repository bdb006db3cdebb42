import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CONNECTION_TEST_MAX_BYTES,
  CONNECTION_TEST_REQUESTS_PER_MINUTE,
  ConnectionTestDownloadQuery,
  type ConnectionTestUploadResult,
} from '@clocktree/protocol';
import { ApiError } from '../../http/api-error.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { createRouter } from '../../http/router.ts';
import { parse } from '../../http/validate.ts';

const CHUNK_BYTES = 64 * 1024;

const tooLarge = () =>
  new ApiError('payload_too_large', `The body must be at most ${CONNECTION_TEST_MAX_BYTES} bytes.`, undefined, {
    // What is left of the body is not read: the connection goes with the answer.
    Connection: 'close',
  });

/** Random bytes made as they are sent: nothing on the way can compress them, and no answer sits whole in memory. */
function randomBody(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      const size = Math.min(CHUNK_BYTES, left);
      left -= size;
      this.push(size ? randomBytes(size) : null);
    },
  });
}

/**
 * The connection check of <ct-av-test>: a round trip, then bytes down, then bytes up. Open to anyone (a client checks
 * before signing in), under the API's CORS rule and a per-address limit. Mounted ahead of the app's JSON body reader,
 * which would refuse an upload's raw bytes: the upload reads (and drops) its own body.
 */
export function connectionTestRoutes(limiter: RateLimiter) {
  const router = createRouter('/api/v1/connection-test');

  // Runs only for the routes below; a mistyped path costs nothing and falls through to the API's 404.
  router.use(async (ctx, next) => {
    await limiter.hit(`connection-test:${ctx.ip}`, CONNECTION_TEST_REQUESTS_PER_MINUTE, 60_000);
    // Every answer must travel the whole way: a cached or recompressed one would measure the wrong thing.
    ctx.set('Cache-Control', 'no-store, no-transform');
    return next();
  });

  router.get('/ping', (ctx) => {
    ctx.status = 204;
  });

  router.get('/download', (ctx) => {
    const { bytes } = parse(ConnectionTestDownloadQuery, ctx.query);
    ctx.type = 'application/octet-stream';
    ctx.length = bytes;
    ctx.body = randomBody(bytes);
  });

  router.post('/upload', async (ctx) => {
    if (Number(ctx.get('content-length') || 0) > CONNECTION_TEST_MAX_BYTES) throw tooLarge();
    let bytes = 0;
    // Left open on a refusal (no destroyOnReturn), so the 413 still reaches the client before the connection closes.
    for await (const chunk of ctx.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > CONNECTION_TEST_MAX_BYTES) throw tooLarge();
    }
    const body: ConnectionTestUploadResult = { bytes };
    ctx.body = body;
  });

  return router;
}
