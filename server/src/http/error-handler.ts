import type { ApiErrorBody } from '@clocktree/protocol';
import type { Middleware } from 'koa';
import { safeError, type Logger } from '../logger.ts';
import { ApiError } from './api-error.ts';

function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  const e = err as { code?: unknown; name?: string; status?: number };
  // Unique-index races that the services did not catch first still mean "already exists".
  if (e.code === 11000) return new ApiError('conflict', 'That already exists.');
  if (e.status === 404 || e.name === 'NotFoundError') return new ApiError('not_found', 'Not found.');
  if (e.status === 405 || e.status === 501) return new ApiError('not_found', 'Not found.');
  return undefined;
}

/** Turns every failure into the `{"error":{code,message}}` shape; unexpected ones become a logged 500. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError('not_found', 'Not found.');
    } catch (err) {
      let apiError = toApiError(err);
      if (!apiError) {
        logger.error({ err: safeError(err), route: ctx._matchedRoute, requestId: ctx.state.requestId }, 'unhandled');
        apiError = new ApiError('internal', 'Something went wrong on our side.');
      }
      const body: ApiErrorBody = { error: { code: apiError.code, message: apiError.message, ...apiError.details } };
      if (apiError.fields?.length) body.error.fields = apiError.fields;
      ctx.status = apiError.status;
      ctx.set(apiError.headers ?? {});
      ctx.body = body;
    }
  };
}
