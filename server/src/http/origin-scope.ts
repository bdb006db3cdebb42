import type { Next } from 'koa';
import type { Types } from 'mongoose';
import { forbidden, notFound } from './api-error.ts';
import { isPublic, practiceOf } from './cors.ts';
import { inScope, type OriginPolicy } from './origins.ts';
import type { RouteReach } from './resource-owners.ts';
import type { AppContext } from './state.ts';

const API = '/api/v1';

/**
 * The one owner of "a session acts only for the site and practice it was issued to". After authentication, a caller
 * whose session was signed in from a practice's website (not our own origin) may touch a practice's records only
 * when that practice lists the origin: the practice that owns the thread, message, attachment, call or appointment
 * the route names, never merely some practice the person belongs to. It holds whether or not the request carries
 * `Origin`: the session's origin decides, so a lifted token replayed by a script reaches no more than from the site.
 */
export function originScope(policy: OriginPolicy, routes: RouteReach[]) {
  return async (ctx: AppContext, next: Next) => {
    if (!ctx.state.user || !ctx.path.startsWith(`${API}/`)) return next();
    const scope = await policy.scopeFor(ctx.state.sessionOrigin);
    if (!scope) return next();
    ctx.state.scope = scope;
    if (isPublic(ctx.method, ctx.path)) {
      // Public endpoints serve anonymous visitors too: for a practice out of scope they act as for one.
      if (!inScope(scope, practiceOf(ctx.path))) ctx.state.user = ctx.state.token = undefined;
      return next();
    }
    const path = ctx.path.slice(API.length);
    const route = routes.find((r) => (r.method === '*' || r.method === ctx.method) && r.path.test(path));
    if (!route) throw forbidden('This site may not do that for your account.');
    if (typeof route.reach === 'string') return next();
    const owner = await route.reach.owner(route.path.exec(path)?.[1], ctx);
    if (!inScope(scope, owner)) {
      if (route.reach.hidden) throw notFound(route.reach.hidden);
      throw forbidden('This site may not act for that practice.');
    }
    return next();
  };
}

/** The practices a `scoped` route may list for this caller; undefined when it is not limited to any. */
export const scopeOf = (ctx: AppContext): Types.ObjectId[] | undefined => ctx.state.scope?.practiceIds;
