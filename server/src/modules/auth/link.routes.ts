import { LinkExchangeBody } from '@clocktree/protocol';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf } from '../../http/state.ts';
import { parse } from '../../http/validate.ts';
import type { LinkService } from './link.service.ts';

export function linkRoutes(router: AppRouter, links: LinkService, limiter: RateLimiter, perIpPer10Min: number) {
  router.post('/auth/link', async (ctx) => {
    await limiter.hit(`link:${ctx.ip}`, perIpPer10Min, 600_000);
    ctx.body = await links.exchange(parse(LinkExchangeBody, ctx.request.body).token, actorOf(ctx));
  });
}
