import { randomUUID } from 'node:crypto';
import type { Next } from 'koa';
import type { Logger } from '../logger.ts';
import type { AppContext } from './state.ts';

/** Gives each request an id (answered as X-Request-Id) and logs one line per request, without personal data. */
export function requestLog(logger: Logger) {
  return async (ctx: AppContext, next: Next) => {
    const started = performance.now();
    ctx.state.requestId = randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    // Responses may hold health information: no browser or proxy may keep a copy.
    if (ctx.path.startsWith('/api/')) ctx.set('Cache-Control', 'no-store');
    try {
      await next();
    } finally {
      // Route patterns, not URLs: ids in a URL are not personal data, but query strings might be.
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          route: ctx._matchedRoute ?? ctx.path.split('/').slice(0, 3).join('/'),
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  };
}
