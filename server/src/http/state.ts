import type { ParameterizedContext } from 'koa';
import type { Actor } from '../context.ts';
import type { UserDoc } from '../context.ts';
import type { PracticeScope } from './origins.ts';
import { unauthenticated } from './api-error.ts';

export interface AppState {
  requestId: string;
  user?: UserDoc;
  token?: string;
  /** The origin the caller's session is bound to (null: signed in without a browser `Origin`). */
  sessionOrigin?: string | null;
  /**
   * Set when the caller acts from (or their session was signed in from) a practice's website rather than our own
   * origin: only the practices that list that origin may be touched (http/origin-scope.ts).
   */
  scope?: PracticeScope;
  /** Set for requests whose body a route streams itself (uploads), so the JSON reader leaves it alone. */
  rawBodyHandled?: boolean;
}

export type AppContext = ParameterizedContext<AppState>;

export const actorOf = (ctx: AppContext): Actor => ({
  userId: ctx.state.user ? String(ctx.state.user._id) : null,
  ip: ctx.ip,
  origin: ctx.get('origin') || null,
});

export function requireUser(ctx: AppContext): UserDoc {
  if (!ctx.state.user) throw unauthenticated();
  return ctx.state.user;
}
