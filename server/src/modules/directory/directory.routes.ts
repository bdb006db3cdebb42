import { DirectoryQuery } from '@clocktree/protocol';
import type { AppRouter } from '../../http/router.ts';
import { parse } from '../../http/validate.ts';
import type { DirectoryService } from './directory.service.ts';

/** Public: any origin, no credentials (http/cors.ts), only what a practice's public profile and directory card show. */
export function directoryRoutes(router: AppRouter, directory: DirectoryService) {
  router.get('/directory', async (ctx) => {
    ctx.body = await directory.search(parse(DirectoryQuery, ctx.query));
  });
}
