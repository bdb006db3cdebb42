import type { Connection } from 'mongoose';
import type { AppRouter } from '../../http/router.ts';

export function healthRoutes(router: AppRouter, db: Connection) {
  router.get('/healthz', async (ctx) => {
    const ok = await Promise.race([
      db
        .db!.admin()
        .ping()
        .then(() => true)
        .catch(() => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
    ]);
    ctx.status = ok ? 200 : 503;
    ctx.body = ok ? { status: 'ok' } : { error: { code: 'unavailable', message: 'The database does not answer.' } };
  });
}
