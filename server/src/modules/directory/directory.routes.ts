import { DirectoryQuery } from '@clocktree/protocol';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AppRouter } from '../../http/router.ts';
import { parseQuery } from '../../http/validate.ts';
import type { DirectoryService } from './directory.service.ts';

/**
 * Public: any origin, no credentials (http/cors.ts), only what a practice's public profile and directory card show.
 *
 * Searches are counted per address: anyone may ask, and on the embedded FerretDB each one reads the whole entries
 * collection, so an unthrottled script slows every practice's directory. A person typing, filtering and paging makes
 * a few searches a minute (the widget waits for typing to pause); the default of 120 a minute leaves room for a
 * household or an office behind one address.
 */
export function directoryRoutes(
  router: AppRouter,
  directory: DirectoryService,
  limiter: RateLimiter,
  limits: { perIpPerMinute: number },
) {
  router.get('/directory', async (ctx) => {
    await limiter.hit(`directory:${ctx.ip}`, limits.perIpPerMinute, 60_000);
    ctx.body = await directory.search(parseQuery(DirectoryQuery, ctx.query));
  });
}
