import type { ApiErrorBody } from '@clocktree/protocol';
import type { Middleware } from 'koa';
import { safeError, type Logger } from '../logger.ts';
import { databaseTrouble, isDuplicateKey } from '../database.ts';
import { ApiError, databaseAway, serviceBusy } from './api-error.ts';

function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  const e = err as { code?: unknown; name?: string; status?: number };
  // Unique-index races that the services did not catch first still mean "already exists".
  if (isDuplicateKey(err)) return new ApiError('conflict', 'That already exists.');
  if (e.status === 404 || e.name === 'NotFoundError') return new ApiError('not_found', 'Not found.');
  if (e.status === 405 || e.status === 501) return new ApiError('not_found', 'Not found.');
  return undefined;
}

/**
 * Turns every failure into the `{"error":{code,message}}` shape. A database that is down or saturated is a 503
 * with `Retry-After` (the request may be retried as it was; sends carry an Idempotency-Key); one that is away is
 * reported to `onDatabaseTrouble`. Anything else unexpected becomes a logged 500.
 */
export function errorHandler(logger: Logger, onDatabaseTrouble?: () => void): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError('not_found', 'Not found.');
    } catch (err) {
      const where = { err: safeError(err), route: ctx._matchedRoute, requestId: ctx.state.requestId };
      let apiError = toApiError(err);
      const trouble = apiError ? undefined : databaseTrouble(err);
      if (trouble) {
        logger.warn({ ...where, trouble }, 'database unavailable');
        // Away: the outage watcher takes over (and fails fast until it answers). Busy: only this request is shed.
        if (trouble === 'away') onDatabaseTrouble?.();
        apiError = trouble === 'away' ? databaseAway() : serviceBusy();
      }
      if (!apiError) {
        logger.error(where, 'unhandled');
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
