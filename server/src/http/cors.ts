import { isId } from '@clocktree/protocol';
import type { Next } from 'koa';
import { forbidden } from './api-error.ts';
import type { OriginPolicy } from './origins.ts';
import type { AppContext } from './state.ts';

/** Endpoints a practice's public website calls for anonymous visitors: any origin, never credentials. */
const PUBLIC: [method: string, path: RegExp][] = [
  ['GET', /^\/api\/v1\/practices\/[^/]+$/],
  ['GET', /^\/api\/v1\/practices\/[^/]+\/photo$/],
  ['POST', /^\/api\/v1\/practices\/[^/]+\/contact-us$/],
  ['GET', /^\/api\/v1\/directory$/],
  ['GET', /^\/healthz$/],
];

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';

export const practiceOf = (path: string) => {
  const id = /^\/api\/v1\/practices\/([^/]+)/.exec(path)?.[1];
  return isId(id) ? id : undefined;
};

export const isPublic = (method: string, path: string) => PUBLIC.some(([m, re]) => m === method && re.test(path));

/**
 * CORS for the API. A disallowed origin gets 403 outright rather than a response the browser hides: the request
 * must not run at all, even when it is a "simple" one that skips the preflight. This is the coarse gate (is the
 * origin anyone's?); what a signed-in caller may touch from it is decided per record by http/origin-scope.ts.
 */
export function cors(policy: OriginPolicy) {
  return async (ctx: AppContext, next: Next) => {
    const origin = ctx.get('origin');
    const preflight = ctx.method === 'OPTIONS';
    const method = preflight ? ctx.get('access-control-request-method').toUpperCase() : ctx.method;
    ctx.vary('Origin');
    if (!origin || !ctx.path.startsWith('/api/')) {
      if (preflight && !origin) throw forbidden('Not a CORS request.');
      return next();
    }
    if (isPublic(method, ctx.path)) {
      ctx.set('Access-Control-Allow-Origin', '*');
    } else {
      if (!(await policy.allowed(origin, practiceOf(ctx.path))))
        throw forbidden('This site may not call that endpoint.');
      ctx.set('Access-Control-Allow-Origin', origin);
    }
    if (preflight) {
      ctx.set('Access-Control-Allow-Methods', ALLOW_METHODS);
      ctx.set('Access-Control-Allow-Headers', ALLOW_HEADERS);
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Expose-Headers', 'Retry-After, Content-Disposition');
    return next();
  };
}
