import type { Connection } from 'mongoose';
import type { AppRouter } from '../../http/router.ts';
import type { RedisWatch } from '../../redis-watch.ts';

/**
 * 503 while the database does not answer: nothing works without it. With Redis away the node still serves (limits
 * per node, pushes to its own sockets, leased jobs waiting), so it stays 200 — a load balancer must not take every
 * node out at once — and says `degraded`, with `redis: "down"`, for monitoring to alert on.
 */
export function healthRoutes(router: AppRouter, db: Connection, redis?: Pick<RedisWatch, 'down'>) {
  router.get('/healthz', async (ctx) => {
    const ok = await Promise.race([
      db
        .db!.admin()
        .ping()
        .then(() => true)
        .catch(() => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
    ]);
    if (!ok) {
      ctx.status = 503;
      ctx.body = { error: { code: 'unavailable', message: 'The database does not answer.' } };
      return;
    }
    if (!redis) ctx.body = { status: 'ok' };
    else ctx.body = redis.down ? { status: 'degraded', redis: 'down' } : { status: 'ok', redis: 'up' };
  });
}
