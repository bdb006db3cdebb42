import {
  INVITATION_TTL_MS,
  type AcceptInvitationResult,
  type ClientListItem,
  type Invitation,
  type InvitationRole,
  type InvitedClient,
  type InvitedMember,
  type RedeemInviteBody,
  type RedeemInviteResult,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import { hashToken, newToken } from '../../crypto/tokens.ts';
import { ApiError, conflict, forbidden, invalid, notFound, unauthenticated } from '../../http/api-error.ts';
import { safeError } from '../../logger.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import { mailTexts } from '../notifications/mail-texts.ts';
import { senderOf } from '../notifications/practice-sender.ts';
import type { PracticeDoc } from '../practices/practice.model.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { RosterNews } from '../practices/roster-news.ts';
import type { InvitationDoc } from './invitation.model.ts';
import { isDuplicateKey } from '../../database.ts';

/** A re-add this soon after the last e-mail sends none: a double click, or two admins adding the same address. */
const RESEND_AFTER_MS = 60_000;

/**
 * How long an expired invitation is kept before the sweep deletes it: longer than any pause of the job that announces
 * expiries (`announceExpiries`, every 30 s), so none is deleted before its `expired` went out. Meanwhile it is inert
 * (no link, accept or list shows it) and a resend may still revive it.
 */
const SWEEP_AFTER_EXPIRY_MS = 3600_000;

const isColleague = (role: InvitationRole) => role !== 'client';

export interface InviteRequest {
  email: string;
  role: InvitationRole;
  /** The name the practice knows a client by. */
  name?: string;
}

/**
 * Linking needs consent (issue 8, section 2; issue 11). A practice adding an address creates an invitation, and the
 * answer, the e-mail's timing and the practice's list look the same whether or not the address has an account: only
 * the invitee learns which, from the e-mail. An account holder accepts after signing in; an address without an
 * account (or an account that never had a password) sets a password through the single-use link.
 */
export function invitationsService({
  audit,
  auth,
  practices,
  clients,
  rosterChanged,
  ...deps
}: ServiceBase<'Invitation'> & {
  audit: AuditService;
  auth: AuthService;
  practices: PracticesService;
  clients: ClientsService;
  /** The practice's consoles follow its invitations live. */
  rosterChanged: RosterNews;
}) {
  const { models, clock, crypto, mailer, logger, publicUrl } = deps;
  const { Invitation } = models;
  const reveal = (doc: InvitationDoc, sealed: Buffer) => crypto.decryptText(doc.practiceId, sealed);
  /** Where the person lands: clients in the Messages portal, colleagues in the console. */
  const portal = (role: InvitationRole) => (isColleague(role) ? `${publicUrl()}/console` : `${publicUrl()}/messages/`);

  async function mail(
    doc: InvitationDoc,
    email: string,
    token: string,
    account: UserDoc | null,
    practice: PracticeDoc,
  ): Promise<void> {
    // An account holder's link opens the inviting practice's portal, where the invitation waits (its id is no secret:
    // it is on the practice's own website). A new address's link is the contract's bare `#invite=` page.
    const own = isColleague(doc.role) ? portal(doc.role) : `${portal(doc.role)}?practice=${doc.practiceId}`;
    const message = account?.passwordHash
      ? mailTexts.invitationToAccount(email, own)
      : mailTexts.invitation(email, `${portal(doc.role)}#invite=${token}`, isColleague(doc.role));
    try {
      await mailer.send({ ...message, ...senderOf(practice) });
    } catch (err) {
      // Not sent: the next re-add must send, so the resend pause does not apply.
      await Invitation.updateOne({ _id: doc._id }, { $set: { sentAt: new Date(0) } });
      logger.warn({ err: safeError(err), invitationId: String(doc._id) }, 'invitation e-mail failed');
      throw new ApiError('unavailable', 'The invitation e-mail could not be sent; try again.');
    }
  }

  /** The invitee's own, still open invitation; anyone else's answers like one that does not exist. */
  async function mine(invitationId: string, user: UserDoc): Promise<InvitationDoc> {
    const doc = await Invitation.findOne({
      _id: invitationId,
      emailKey: auth.emailKey(auth.emailOf(user)),
      declinedAt: null,
      expiresAt: { $gt: clock.now() },
    }).lean<InvitationDoc>();
    if (!doc) throw notFound('invitation');
    return doc;
  }

  async function pending(practiceId: string, role: InvitationRole | { $in: InvitationRole[] }) {
    return Invitation.find({ practiceId, role, expiresAt: { $gt: clock.now() } })
      .sort({ createdAt: 1 })
      .lean<InvitationDoc[]>();
  }

  const listOf = (role: InvitationRole) => (isColleague(role) ? 'members' : 'clients');

  /**
   * Where this node's last look for expiries ended. Expiry is computed on read (lists, links and accepts compare
   * `expiresAt` with the clock), so nothing is written at the moment: each run announces the invitations whose
   * `expiresAt` fell since, without a write that could race a resend. On several nodes, a run covers everything since
   * the same node's previous one, so another node's runs are repeated (a console reloads once more), never missed.
   * Expiries while no node ran reach consoles with their reconnect's reload.
   */
  let expiriesSince = clock.now();

  /** Other consoles show a row again that had left their lists (an expired invitation, revived by a resend). */
  const revived = (doc: InvitationDoc) =>
    rosterChanged({ practiceId: doc.practiceId, list: listOf(doc.role), change: 'invited', id: String(doc._id) });

  /** Makes the invitation true: a client link, or a membership with its role. */
  async function join(doc: InvitationDoc, user: UserDoc, actor: Actor): Promise<void> {
    const pid = String(doc.practiceId);
    if (isColleague(doc.role)) await practices.join(pid, user, doc.role as 'admin' | 'colleague', actor);
    else await clients.link(pid, user, doc.nameEnc ? await reveal(doc, doc.nameEnc) : user.name, actor);
  }

  /** The practice's consoles turn the invited row into the person's own, without a reload. */
  const joined = (doc: InvitationDoc, user: UserDoc) =>
    rosterChanged({
      practiceId: doc.practiceId,
      list: listOf(doc.role),
      change: 'joined',
      id: String(user._id),
      invitationId: String(doc._id),
    });

  return {
    /**
     * Invites `email` to the practice, or resends a pending invitation (a new link, 7 more days). Conflicts answer
     * only what the practice knows already: its own members, clients and invitations.
     */
    async invite(practiceId: string, body: InviteRequest, actor: Actor): Promise<InvitationDoc> {
      const practice = await practices.load(practiceId);
      const account = await auth.findUserByEmail(body.email);
      // The same checks run for every address (with an id nobody has when there is no account): the answer takes as
      // long for an unknown address as for a known one.
      const someone = account?._id ?? new Types.ObjectId();
      const linked = await clients.isClientOf(practice._id, someone);
      if (practices.roleOf(practice, String(someone))) throw conflict('That person is a member of this practice.');
      if (linked) throw conflict('That person is a client of this practice already.');

      const now = clock.now();
      const { token, hash } = newToken();
      const fresh = {
        role: body.role,
        nameEnc: body.name ? await crypto.encryptText(practice._id, body.name) : null,
        tokenHash: hash,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        sentAt: now,
        declinedAt: null,
      };
      const emailKey = auth.emailKey(body.email);
      let doc: InvitationDoc | null;
      let action = 'invitation.create';
      let wasExpired = false;
      try {
        doc = (
          await Invitation.create({
            ...fresh,
            practiceId: practice._id,
            emailKey,
            emailEnc: await crypto.encryptText(practice._id, body.email),
            invitedBy: actor.userId ? new Types.ObjectId(actor.userId) : null,
            createdAt: now,
          })
        ).toObject<InvitationDoc>();
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const pending = await Invitation.findOne({ practiceId: practice._id, emailKey }).lean<InvitationDoc>();
        if (!pending) throw conflict('That invitation changed meanwhile; try again.');
        if (isColleague(pending.role) !== isColleague(body.role))
          throw conflict(`That address is invited as a ${isColleague(pending.role) ? 'colleague' : 'client'} already.`);
        // What the practice typed last counts; the e-mail goes again unless one just went.
        const resend = now.getTime() - pending.sentAt.getTime() >= RESEND_AFTER_MS;
        wasExpired = pending.expiresAt <= now;
        doc = await Invitation.findOneAndUpdate(
          { _id: pending._id },
          { $set: resend ? fresh : { role: fresh.role, nameEnc: fresh.nameEnc } },
          { returnDocument: 'after' },
        ).lean<InvitationDoc>();
        if (!doc) throw conflict('That invitation changed meanwhile; try again.');
        if (!resend) return doc;
        action = 'invitation.resend';
      }
      await mail(doc, body.email, token, account, practice);
      await audit.record(actor, { practiceId: practice._id, action, target: `invitation:${doc._id}` });
      // Sent for every address alike (an account or not): other consoles of the practice show the invited row. A
      // re-add of an open invitation changes nothing they list; of an expired one, it brings its row back.
      if (action === 'invitation.create' || wasExpired) await revived(doc);
      return doc;
    },

    /**
     * The practice sends an open invitation again: a new token (the previous link dies), 7 more days, the same
     * address. Colleagues' invitations are their admins' to resend; a client's, any member's (any member may add a
     * client). Someone else's, or one that is gone, answers like one that does not exist.
     */
    async resend(invitationId: string, user: UserDoc, actor: Actor): Promise<InvitedMember | InvitedClient> {
      const doc = await Invitation.findById(invitationId).lean<InvitationDoc>();
      if (!doc) throw notFound('invitation');
      const practice = await practices.load(String(doc.practiceId));
      const role = practices.roleOf(practice, String(user._id));
      if (!role) throw notFound('invitation');
      if (isColleague(doc.role) && role !== 'admin') throw forbidden('Only admins of this practice may do that.');
      const now = clock.now();
      const { token, hash } = newToken();
      const updated = await Invitation.findOneAndUpdate(
        { _id: doc._id, tokenHash: doc.tokenHash },
        {
          $set: {
            tokenHash: hash,
            expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
            sentAt: now,
            declinedAt: null,
          },
        },
        { returnDocument: 'after' },
      ).lean<InvitationDoc>();
      if (!updated) throw conflict('That invitation changed meanwhile; try again.');
      const email = await reveal(updated, updated.emailEnc);
      await mail(updated, email, token, await auth.findUserByEmail(email), practice);
      await audit.record(actor, {
        practiceId: doc.practiceId,
        action: 'invitation.resend',
        target: `invitation:${doc._id}`,
      });
      if (doc.expiresAt <= now) await revived(updated);
      return isColleague(updated.role) ? this.asMember(updated) : this.asClient(updated);
    },

    /** As the practice shows an invited client: the address and name it typed, nothing of any account. */
    async asClient(doc: InvitationDoc): Promise<InvitedClient> {
      const [email, name] = await Promise.all([reveal(doc, doc.emailEnc), doc.nameEnc ? reveal(doc, doc.nameEnc) : '']);
      return { id: String(doc._id), email, name, status: 'invited' };
    },

    /** As the practice shows an invited colleague. */
    async asMember(doc: InvitationDoc): Promise<InvitedMember> {
      const role = doc.role === 'admin' ? 'admin' : 'colleague';
      return { id: String(doc._id), email: await reveal(doc, doc.emailEnc), role, status: 'invited' };
    },

    /** The practice's open client invitations, as rows of its client list. */
    async invitedClients(practiceId: string): Promise<ClientListItem[]> {
      const docs = await pending(practiceId, 'client');
      return Promise.all(docs.map(async (d) => ({ ...(await this.asClient(d)), needsResponse: false })));
    },

    /** The practice's open colleague invitations. */
    async invitedMembers(practiceId: string): Promise<InvitedMember[]> {
      return Promise.all((await pending(practiceId, { $in: ['admin', 'colleague'] })).map((d) => this.asMember(d)));
    },

    /** The signed-in person's open invitations; `within` these practices when given. */
    async listFor(user: UserDoc, within?: Types.ObjectId[]): Promise<Invitation[]> {
      const docs = await Invitation.find({
        emailKey: auth.emailKey(auth.emailOf(user)),
        declinedAt: null,
        expiresAt: { $gt: clock.now() },
        ...(within ? { practiceId: { $in: within } } : {}),
      })
        .sort({ createdAt: 1 })
        .lean<InvitationDoc[]>();
      const names = await practices.namesOf(docs.map((d) => d.practiceId));
      return docs.flatMap((d) => {
        const name = names.get(String(d.practiceId));
        return name === undefined
          ? []
          : [{ id: String(d._id), practice: { id: String(d.practiceId), name }, role: d.role }];
      });
    },

    async accept(invitationId: string, user: UserDoc, actor: Actor): Promise<AcceptInvitationResult> {
      const doc = await mine(invitationId, user);
      await join(doc, user, actor);
      await Invitation.deleteOne({ _id: doc._id });
      await audit.record(actor, {
        practiceId: doc.practiceId,
        action: 'invitation.accept',
        target: `invitation:${doc._id}`,
      });
      await joined(doc, user);
      const practice = await practices.load(String(doc.practiceId));
      return { practice: { id: String(practice._id), name: practice.name }, role: doc.role };
    },

    /**
     * The invitee says no. The practice is told nothing, now or later: its lists show the invitation as before (until it
     * expires, exactly like one nobody answered), and no `roster:changed` goes out, since an event at this moment
     * would itself tell a decline from silence.
     */
    async decline(invitationId: string, user: UserDoc, actor: Actor): Promise<void> {
      const doc = await mine(invitationId, user);
      await Invitation.updateOne({ _id: doc._id }, { $set: { declinedAt: clock.now() } });
      await audit.record(actor, {
        practiceId: doc.practiceId,
        action: 'invitation.decline',
        target: `invitation:${doc._id}`,
      });
    },

    /**
     * `POST /auth/invite`: the link from the e-mail sets the password of a new account (or of one that never had a
     * password), links it, and signs it in. Single use: the first redeem deletes the invitation.
     */
    async redeem(body: RedeemInviteBody, actor: Actor): Promise<RedeemInviteResult> {
      const expired = 'This invitation link has expired or was already used. Ask the practice to send a new one.';
      const doc = await Invitation.findOne({
        tokenHash: hashToken(body.token),
        expiresAt: { $gt: clock.now() },
      }).lean<InvitationDoc>();
      if (!doc) throw unauthenticated(expired);
      const email = await reveal(doc, doc.emailEnc);
      let account = await auth.findUserByEmail(email);
      if (account?.passwordHash) throw conflict('You have an account already: sign in, then accept the invitation.');
      if (account && isColleague(doc.role) && account.kind !== 'professional')
        throw conflict('This invitation is for a professional account.');
      const name = body.name ?? (doc.nameEnc ? await reveal(doc, doc.nameEnc) : undefined);
      if (!account && !name) throw invalid('Tell us your name.', [{ path: 'name', message: 'is required' }]);
      if (!(await Invitation.findOneAndDelete({ _id: doc._id, tokenHash: doc.tokenHash }).lean()))
        throw unauthenticated(expired);
      if (account) account = await auth.setFirstPassword(account, body.password);
      else {
        const kind = isColleague(doc.role) ? 'professional' : 'client';
        account = await auth.createAccount({ email, name: name!, kind }, body.password);
        await audit.record(
          { ...actor, userId: String(account._id) },
          { action: 'user.register', target: `user:${account._id}` },
        );
      }
      const as = { ...actor, userId: String(account._id) };
      await join(doc, account, as);
      await audit.record(as, {
        practiceId: doc.practiceId,
        action: 'invitation.accept',
        target: `invitation:${doc._id}`,
      });
      await joined(doc, account);
      const session = await auth.startSession(account, actor);
      return { ...session, practiceId: String(doc.practiceId), role: doc.role };
    },

    /** Withdraws an open invitation of the practice (one of `roles`); false if there is none under that id. */
    async cancel(practiceId: string, invitationId: string, roles: InvitationRole[], actor: Actor): Promise<boolean> {
      const doc = await Invitation.findOneAndDelete({ _id: invitationId, practiceId, role: { $in: roles } }).lean<
        Pick<InvitationDoc, 'role'>
      >();
      if (!doc) return false;
      await audit.record(actor, { practiceId, action: 'invitation.cancel', target: `invitation:${invitationId}` });
      await rosterChanged({ practiceId, list: listOf(doc.role), change: 'removed', id: invitationId });
      return true;
    },

    /**
     * Tells the practices' consoles of the invitations that expired since this node last looked (`expired`; the
     * scheduler calls this every 30 s): their rows leave the lists then, as a reload would show. Declined or not, alike.
     */
    async announceExpiries(): Promise<number> {
      const now = clock.now();
      const since = expiriesSince;
      if (now <= since) return 0;
      const docs = await Invitation.find({ expiresAt: { $gt: since, $lte: now } })
        .select({ practiceId: 1, role: 1 })
        .lean<Pick<InvitationDoc, '_id' | 'practiceId' | 'role'>[]>();
      for (const doc of docs)
        await rosterChanged({
          practiceId: doc.practiceId,
          list: listOf(doc.role),
          change: 'expired',
          id: String(doc._id),
        });
      // Moved only after a look that answered: a database outage leaves the window open for the next run.
      expiriesSince = now;
      return docs.length;
    },

    /**
     * Deletes invitations an hour past their 7 days (FerretDB has no TTL indexes: the scheduler calls this); the hour
     * lets `announceExpiries` tell the consoles first.
     */
    async sweep(): Promise<number> {
      const before = new Date(clock.now().getTime() - SWEEP_AFTER_EXPIRY_MS);
      return (await Invitation.deleteMany({ expiresAt: { $lt: before } })).deletedCount;
    },
  };
}

export type InvitationsService = ReturnType<typeof invitationsService>;
