import type { Next } from 'koa';
import { databaseAway, serviceBusy } from './api-error.ts';
import type { AppContext } from './state.ts';

/**
 * Caps the API requests in progress. Past the cap a request is answered 503 with `Retry-After` at once, before it
 * has touched the database, instead of queueing behind the others for tens of seconds (issue 9 measured 35 s on
 * FerretDB) and then failing half-done. While the database is known to be away, every API request is answered so
 * at once too, instead of waiting up to the driver's server-selection timeout. Clients retry sends with the same
 * Idempotency-Key.
 */
export function shedLoad(maxInFlight: number, databaseDown: () => boolean) {
  let inFlight = 0;
  return async (ctx: AppContext, next: Next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    if (databaseDown()) throw databaseAway();
    if (inFlight >= maxInFlight) throw serviceBusy();
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
}
