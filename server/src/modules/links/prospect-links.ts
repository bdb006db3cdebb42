import type { LinkExchangeResult } from '@clocktree/protocol';
import type { Background } from '../../background.ts';
import type { Actor, ServiceDeps } from '../../context.ts';
import { unauthenticated } from '../../http/api-error.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AuthService } from '../auth/auth.service.ts';
import { mailTexts } from '../notifications/mail-texts.ts';
import type { ThreadContent } from '../threads/thread-content.ts';
import type { ThreadQueries } from '../threads/thread-queries.ts';
import type { ThreadDoc } from '../threads/thread.model.ts';
import type { LinkTokens } from './link-tokens.ts';

const LINK_TTL_MS = 72 * 3600_000;
/** How long after its expiry a prospect link can still ask for a new one. */
const RENEWABLE_MS = 30 * 24 * 3600_000;
/** New links mailed for one thread per hour, whoever asks: a leaked link cannot flood the prospect's inbox. */
const RENEWALS_PER_THREAD_PER_HOUR = 3;

export interface ProspectLinkDeps {
  /** Threads and accounts are reached through their owners (modules/threads, modules/auth), never their models. */
  threads: Pick<ThreadQueries, 'findThread' | 'claimForClient'>;
  mailer: ServiceDeps['mailer'];
  publicUrl: ServiceDeps['publicUrl'];
  tokens: LinkTokens;
  auth: Pick<AuthService, 'accountForProvenAddress' | 'startSession'>;
  audit: AuditService;
  content: ThreadContent;
  limiter: RateLimiter;
  later: Background;
}

/**
 * A prospective client proves control of the e-mail address they wrote from by opening the single-use link we
 * mailed there. The first use signs them in as the (password-less, created if needed) account of that address,
 * which becomes the thread's client, so they can read and reply until the thread is closed. A used or expired link
 * asks for a new one, mailed to the same address.
 */
export function prospectLinks(deps: ProspectLinkDeps) {
  const { threads, tokens, auth, content } = deps;

  /** The portal URL with a new link for this thread; the token rides in the fragment, out of every access log. */
  async function issue(thread: Pick<ThreadDoc, '_id' | 'practiceId'>): Promise<string> {
    const token = await tokens.issue('prospect', { threadId: thread._id }, LINK_TTL_MS, RENEWABLE_MS);
    // The practice id names which practice's portal to show; the prospect already knows whom they wrote to.
    return `${deps.publicUrl()}/messages/?practice=${thread.practiceId}#link=${token}`;
  }

  async function renewNow(token: string): Promise<void> {
    const old = await tokens.find('prospect', token);
    const thread = old?.threadId ? await threads.findThread(old.threadId) : null;
    const contact = thread ? await content.contact(thread) : null;
    if (!thread || !contact) return;
    const { allowed } = await deps.limiter.count(`renew:${thread._id}`, RENEWALS_PER_THREAD_PER_HOUR, 3600_000);
    if (!allowed) return;
    await deps.mailer.send(mailTexts.newLink(contact.email, await issue(thread)));
  }

  return {
    issue,

    /** Always accepted, whatever the token: the answer says nothing about the link or where it went. */
    renew(token: string): void {
      deps.later.run('link renewal', () => renewNow(token));
    },

    async exchange(token: string, actor: Actor): Promise<LinkExchangeResult> {
      const link = await tokens.redeem('prospect', token);
      const thread = link?.threadId ? await threads.findThread(link.threadId) : null;
      const contact = thread ? await content.contact(thread) : null;
      if (!thread || !contact) throw unauthenticated('This link has expired or was already used. Ask for a new one.');
      const user = await auth.accountForProvenAddress(contact.email, contact.name);
      if (!(await threads.claimForClient(thread._id, user._id)))
        throw unauthenticated('This link no longer gives access to that conversation.');
      await deps.audit.record(
        { ...actor, userId: String(user._id) },
        { practiceId: thread.practiceId, action: 'auth.link', target: `thread:${thread._id}` },
      );
      return { ...(await auth.startSession(user, actor)), threadId: String(thread._id) };
    },
  };
}

export type ProspectLinks = ReturnType<typeof prospectLinks>;
