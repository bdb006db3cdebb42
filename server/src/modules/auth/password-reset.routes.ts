import { PasswordResetBody, PasswordResetConfirmBody } from '@clocktree/protocol';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf } from '../../http/state.ts';
import { parse } from '../../http/validate.ts';
import type { AuthLimits } from './auth.routes.ts';
import type { AuthService } from './auth.service.ts';
import type { PasswordReset } from './password-reset.ts';

export function passwordResetRoutes(
  router: AppRouter,
  {
    resets,
    auth,
    limiter,
    limits,
  }: { resets: PasswordReset; auth: AuthService; limiter: RateLimiter; limits: AuthLimits },
) {
  router.post('/auth/password-reset', async (ctx) => {
    await limiter.hit(`reset:${ctx.ip}`, limits.resetPerIpPerHour, 3600_000);
    const { email } = parse(PasswordResetBody, ctx.request.body);
    // Counted on the address's blind index, whether or not it has an account, so a 429 reveals nothing either.
    await limiter.hit(`reset-address:${auth.emailKey(email)}`, limits.resetPerAddressPerHour, 3600_000);
    resets.request(email);
    ctx.status = 202;
    // An empty body: left unset, Koa answers the text "Accepted", which the browser client refuses as not JSON.
    ctx.body = '';
  });

  router.post('/auth/password-reset/confirm', async (ctx) => {
    await limiter.hit(`reset:${ctx.ip}`, limits.resetPerIpPerHour, 3600_000);
    ctx.body = await resets.confirm(parse(PasswordResetConfirmBody, ctx.request.body), actorOf(ctx));
  });
}
