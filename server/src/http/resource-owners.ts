import { isId } from '@clocktree/protocol';
import type { Models } from '../models.ts';
import type { AppContext } from './state.ts';

interface Owned {
  practiceId?: unknown;
}
interface OwnedModel {
  findById(id: string, projection: { practiceId: 1 }): { lean(): PromiseLike<unknown> };
}

/** The practice whose records a request touches; undefined when there is none (or the record does not exist). */
type Owner = (id: string | undefined, ctx: AppContext) => Promise<unknown> | unknown;

/**
 * What a route under `/api/v1` reaches, as the origin rule needs to know it:
 * - `owner`: one practice's records, named by the path or the request; `hidden` ones (named by that noun) answer a
 *   refusal like a record that does not exist (404), as their routes do for people who may not read them.
 * - `scoped`: the caller's own lists across practices; the route narrows them to `ctx.state.scope`.
 * - `account`: the caller's account itself (signing in and out), no practice's records.
 */
export type Reach = { owner: Owner; hidden?: string } | 'scoped' | 'account';

export interface RouteReach {
  method: string;
  path: RegExp;
  reach: Reach;
}

/**
 * Every route a caller acting from a practice's website may use, and what it reaches. A route missing here is
 * refused from such a site (http/origin-scope.ts): a new route stays first-party until someone says what it touches.
 */
export function resourceOwners(
  models: Pick<Models, 'Thread' | 'Call' | 'Appointment' | 'Invitation'> & { Attachment: OwnedModel },
): RouteReach[] {
  const practiceOf =
    (model: OwnedModel): Owner =>
    async (id) =>
      isId(id) ? ((await model.findById(id, { practiceId: 1 }).lean()) as Owned | null)?.practiceId : undefined;
  const thread = practiceOf(models.Thread);
  const attachment = practiceOf(models.Attachment);
  const call = practiceOf(models.Call);
  const appointment = practiceOf(models.Appointment);
  const invitation = practiceOf(models.Invitation);
  const fromBody = (_: unknown, ctx: AppContext) =>
    (ctx.request.body as { practiceId?: unknown } | undefined)?.practiceId;

  return [
    { method: '*', path: /^\/practices\/([^/]+)(?:\/|$)/, reach: { owner: (pid) => pid } },
    { method: 'GET', path: /^\/threads$/, reach: 'scoped' },
    { method: '*', path: /^\/threads\/([^/]+)(?:\/|$)/, reach: { owner: thread, hidden: 'thread' } },
    { method: 'POST', path: /^\/attachments$/, reach: { owner: (_, ctx) => ctx.query.practiceId } },
    { method: 'GET', path: /^\/attachments\/([^/]+)$/, reach: { owner: attachment, hidden: 'attachment' } },
    { method: 'GET', path: /^\/calls$/, reach: 'scoped' },
    // My Network calls have no practice: never from a practice's site.
    { method: 'POST', path: /^\/calls$/, reach: { owner: fromBody } },
    { method: '*', path: /^\/calls\/([^/]+)(?:\/|$)/, reach: { owner: call, hidden: 'call' } },
    { method: 'GET', path: /^\/appointments$/, reach: 'scoped' },
    { method: '*', path: /^\/appointments\/([^/]+)(?:\/|$)/, reach: { owner: appointment, hidden: 'appointment' } },
    { method: 'GET', path: /^\/me$/, reach: 'scoped' },
    { method: 'GET', path: /^\/invitations$/, reach: 'scoped' },
    {
      method: 'POST',
      path: /^\/invitations\/([^/]+)\/(?:accept|decline)$/,
      reach: { owner: invitation, hidden: 'invitation' },
    },
    { method: 'POST', path: /^\/auth\/[a-z-]+(\/[a-z]+)?$/, reach: 'account' },
  ];
}
