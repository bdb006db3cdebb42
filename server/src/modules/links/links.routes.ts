import { LinkExchangeBody, LinkRenewBody } from '@clocktree/protocol';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf } from '../../http/state.ts';
import { parse } from '../../http/validate.ts';
import type { ProspectLinks } from './prospect-links.ts';

export function linkRoutes(router: AppRouter, links: ProspectLinks, limiter: RateLimiter, perIpPer10Min: number) {
  router.post('/auth/link', async (ctx) => {
    await limiter.hit(`link:${ctx.ip}`, perIpPer10Min, 600_000);
    ctx.body = await links.exchange(parse(LinkExchangeBody, ctx.request.body).token, actorOf(ctx));
  });

  router.post('/auth/link/renew', async (ctx) => {
    await limiter.hit(`link:${ctx.ip}`, perIpPer10Min, 600_000);
    links.renew(parse(LinkRenewBody, ctx.request.body).token);
    ctx.status = 202;
    // An empty body: left unset, Koa answers the text "Accepted", which the browser client refuses as not JSON.
    ctx.body = '';
  });
}
