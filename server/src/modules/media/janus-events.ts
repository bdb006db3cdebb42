import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { ApiError, unauthenticated } from '../../http/api-error.ts';
import type { MediaService } from './media.service.ts';

export const JANUS_EVENTS_PATH = '/internal/janus-events';
/** Janus groups events into arrays; a busy instance can send large batches. */
const LIMIT_BYTES = 4 * 1024 * 1024;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when `header` is `Basic base64(janus:<secret>)`: Janus's sampleevh can only send basic auth. */
export function isJanusEventAuth(header: string | undefined, secret: string): boolean {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '')?.[1];
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  // Compare digests: equal lengths, so the comparison time says nothing about the secret.
  return timingSafeEqual(digest(decoded), digest(`janus:${secret}`));
}

/**
 * Receives Janus's HTTP event handler posts (`backend = "<PUBLIC or internal URL>/internal/janus-events"`,
 * `backend_user = "janus"`, `backend_pwd = <secret>`). Mount it before `authenticate`, which rejects any
 * Authorization header that is not a bearer token. Answers 200 once the events are stored; any other status makes
 * Janus retransmit (5 times, with backoff).
 */
export function janusEvents(media: MediaService, secret: string, path = JANUS_EVENTS_PATH): Middleware {
  if (secret.length < 16) throw new Error('the Janus event secret must be at least 16 characters');
  return async (ctx, next) => {
    if (ctx.path !== path) return next();
    if (ctx.method !== 'POST') throw new ApiError('not_found', 'No such resource.');
    if (!isJanusEventAuth(ctx.get('authorization'), secret)) throw unauthenticated('Wrong event handler secret.');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > LIMIT_BYTES) {
        ctx.set('Connection', 'close');
        throw new ApiError('payload_too_large', `The body must be at most ${LIMIT_BYTES} bytes.`);
      }
      chunks.push(chunk);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch {
      throw new ApiError('validation_failed', 'The body is not valid JSON.');
    }
    await media.ingestEvents(payload);
    ctx.status = 200;
    ctx.body = { ok: true };
  };
}
