import { RedeemInviteBody, type ResendInvitationResult } from '@clocktree/protocol';
import { scopeOf } from '../../http/origin-scope.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, requireUser } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import type { InvitationsService } from './invitations.service.ts';

/** The invitee's side, and the practice's resend; the practice invites with `POST /practices/:pid/clients` and `…/members`. */
export function invitationsRoutes(
  router: AppRouter,
  invitations: InvitationsService,
  limiter: RateLimiter,
  perIpPer10Min: number,
) {
  router.get('/invitations', async (ctx) => {
    ctx.body = { invitations: await invitations.listFor(requireUser(ctx), scopeOf(ctx)) };
  });

  router.post('/invitations/:id/accept', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = await invitations.accept(pathId(ctx.params.id, 'invitation'), user, actorOf(ctx));
  });

  router.post('/invitations/:id/decline', async (ctx) => {
    const user = requireUser(ctx);
    await invitations.decline(pathId(ctx.params.id, 'invitation'), user, actorOf(ctx));
    ctx.status = 204;
  });

  router.post('/invitations/:id/resend', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = {
      invitation: await invitations.resend(pathId(ctx.params.id, 'invitation'), user, actorOf(ctx)),
    } satisfies ResendInvitationResult;
  });

  router.post('/auth/invite', async (ctx) => {
    await limiter.hit(`invite:${ctx.ip}`, perIpPer10Min, 600_000);
    ctx.body = await invitations.redeem(parse(RedeemInviteBody, ctx.request.body), actorOf(ctx));
  });
}
