import type { Middleware } from 'koa';
import { ApiError } from './api-error.ts';

export const JSON_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads JSON bodies with a hard size limit. Written here rather than taken from a body-parser so that each
 * failure maps to exactly one code of the API: 413 too large, 415 not JSON, 400 malformed.
 */
export function jsonBody(limit = JSON_LIMIT_BYTES): Middleware {
  return async (ctx, next) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method) || ctx.state.rawBodyHandled) return next();
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limit) throw new ApiError('payload_too_large', `The body must be at most ${limit} bytes.`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        ctx.req.unpipe();
        ctx.set('Connection', 'close');
        throw new ApiError('payload_too_large', `The body must be at most ${limit} bytes.`);
      }
      chunks.push(chunk);
    }
    if (size === 0) {
      ctx.request.body = undefined;
      return next();
    }
    if (!ctx.is('application/json')) throw new ApiError('unsupported_media_type', 'Send the body as application/json.');
    try {
      ctx.request.body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch {
      throw new ApiError('validation_failed', 'The body is not valid JSON.', [{ path: '', message: 'malformed JSON' }]);
    }
    return next();
  };
}

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
