import { ContactUsBody, ThreadListQuery } from '@clocktree/protocol';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, requireUser } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import type { ThreadsService } from './threads.service.ts';

export interface ContactUsLimits {
  perIpPer10Min: number;
  perPracticePerHour: number;
}

export function threadsRoutes(
  router: AppRouter,
  threads: ThreadsService,
  limiter: RateLimiter,
  limits: ContactUsLimits,
) {
  router.post('/practices/:pid/contact-us', async (ctx) => {
    const pid = pathId(ctx.params.pid, 'practice');
    // Open to the whole internet: limit per sender and per practice so a flood stays a trickle.
    limiter.hit(`contact-us:ip:${ctx.ip}`, limits.perIpPer10Min, 600_000);
    limiter.hit(`contact-us:practice:${pid}`, limits.perPracticePerHour, 3600_000);
    const body = parse(ContactUsBody, ctx.request.body);
    const thread = await threads.createContactUs(pid, body, ctx.state.user ?? null, actorOf(ctx));
    ctx.status = 201;
    ctx.body = { thread };
  });

  router.get('/threads', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = { threads: await threads.list(user, parse(ThreadListQuery, ctx.query), actorOf(ctx)) };
  });

  router.get('/threads/:tid', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = await threads.read(pathId(ctx.params.tid, 'thread'), user, actorOf(ctx));
  });
}
