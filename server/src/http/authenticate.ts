import type { Next } from 'koa';
import type { Sessions } from '../context.ts';
import { unauthenticated } from './api-error.ts';
import type { AppContext } from './state.ts';

export const bearerToken = (header: string | undefined): string | undefined =>
  /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header ?? '')?.[1];

/**
 * Resolves `Authorization: Bearer` to a user when present. A token that is present but dead, or sent from a page of
 * another origin than the one its session was signed in from, is an error even on public routes, so a signed-out
 * widget learns it at once instead of acting anonymously.
 */
export function authenticate(auth: Sessions) {
  return async (ctx: AppContext, next: Next) => {
    const header = ctx.get('authorization');
    if (header) {
      const token = bearerToken(header);
      const session = token ? await auth.authenticate(token, ctx.get('origin') || undefined) : null;
      if (!session || !token) throw unauthenticated('Your session has ended; sign in again.');
      ctx.state.user = session.user;
      ctx.state.sessionOrigin = session.origin;
      ctx.state.token = token;
    }
    return next();
  };
}
