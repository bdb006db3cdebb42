import { LoginBody, RegisterBody } from '@clocktree/protocol';
import { scopeOf } from '../../http/origin-scope.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, requireUser } from '../../http/state.ts';
import { parse } from '../../http/validate.ts';
import type { AuthService } from './auth.service.ts';
import type { LoginThrottle, LoginThrottleLimits } from './login-throttle.ts';

export function authRoutes(
  router: AppRouter,
  auth: AuthService,
  limiter: RateLimiter,
  limits: AuthLimits,
  throttle: LoginThrottle,
) {
  router.post('/auth/register', async (ctx) => {
    await limiter.hit(`register:${ctx.ip}`, limits.registerPerIpPerHour, 3600_000);
    const body = parse(RegisterBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = await auth.register(body, actorOf(ctx));
  });

  router.post('/auth/login', async (ctx) => {
    await limiter.hit(`login:${ctx.ip}`, limits.loginPerIpPer10Min, 600_000);
    const body = parse(LoginBody, ctx.request.body);
    // Per account too, whatever the address: guesses spread over many addresses still make the account wait.
    ctx.body = await throttle.guard(body.email, () => auth.login(body, actorOf(ctx)));
  });

  router.post('/auth/logout', async (ctx) => {
    requireUser(ctx);
    await auth.logout(ctx.state.token!, actorOf(ctx));
    ctx.status = 204;
  });

  router.get('/me', async (ctx) => {
    ctx.body = await auth.me(requireUser(ctx), actorOf(ctx), scopeOf(ctx));
  });
}

export interface AuthLimits {
  registerPerIpPerHour: number;
  loginPerIpPer10Min: number;
  linkPerIpPer10Min: number;
  /** Password-reset requests and confirmations from one address. */
  resetPerIpPerHour: number;
  /** Password-reset requests naming one e-mail address, whoever sends them. */
  resetPerAddressPerHour: number;
  login: LoginThrottleLimits;
}
