import { CreateNetworkThreadBody, NetworkInviteBody } from '@clocktree/protocol';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, requireUser, type AppContext } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import { requireProfessional, type NetworkService } from './network.service.ts';

/** How many invitations a professional may send an hour: the `client_account` answer must not become a lookup tool. */
export const NETWORK_INVITES_PER_HOUR = 30;

/**
 * My Network, for professionals only: a client account gets 403 on every route. Used from the console (the service's
 * own origin); origin-scope refuses these routes from a practice's website, where nothing of a network belongs.
 */
export function networkRoutes(router: AppRouter, network: NetworkService, limiter: RateLimiter) {
  const professional = (ctx: AppContext) => requireProfessional(requireUser(ctx));

  router.post('/network/invites', async (ctx) => {
    const user = professional(ctx);
    const body = parse(NetworkInviteBody, ctx.request.body);
    await limiter.hit(`network-invite:${user._id}`, NETWORK_INVITES_PER_HOUR, 3600_000);
    ctx.status = 201;
    ctx.body = { invite: await network.invite(user, body, actorOf(ctx)) };
  });

  router.post('/network/invites/:id/accept', async (ctx) => {
    const user = professional(ctx);
    ctx.body = { connection: await network.accept(pathId(ctx.params.id, 'invite'), user, actorOf(ctx)) };
  });

  router.post('/network/invites/:id/decline', async (ctx) => {
    const user = professional(ctx);
    await network.decline(pathId(ctx.params.id, 'invite'), user, actorOf(ctx));
    ctx.status = 204;
  });

  router.get('/network', async (ctx) => {
    ctx.body = await network.list(professional(ctx), actorOf(ctx));
  });

  router.delete('/network/:connectionId', async (ctx) => {
    const user = professional(ctx);
    await network.remove(pathId(ctx.params.connectionId, 'connection'), user, actorOf(ctx));
    ctx.status = 204;
  });

  router.post('/network/threads', async (ctx) => {
    const user = professional(ctx);
    const body = parse(CreateNetworkThreadBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = { thread: await network.startThread(user, body, actorOf(ctx)) };
  });
}
