import type { ParameterizedContext } from 'koa';
import type { Actor } from '../context.ts';
import type { UserDoc } from '../modules/auth/auth.model.ts';
import { unauthenticated } from './api-error.ts';

export interface AppState {
  requestId: string;
  user?: UserDoc;
  token?: string;
  /** Set when the request came from another site's page that the CORS rule let through. */
  foreignOrigin?: string;
  /** Set for requests whose body a route streams itself (uploads), so the JSON reader leaves it alone. */
  rawBodyHandled?: boolean;
}

export type AppContext = ParameterizedContext<AppState>;

export const actorOf = (ctx: AppContext): Actor => ({
  userId: ctx.state.user ? String(ctx.state.user._id) : null,
  ip: ctx.ip,
});

export function requireUser(ctx: AppContext): UserDoc {
  if (!ctx.state.user) throw unauthenticated();
  return ctx.state.user;
}
