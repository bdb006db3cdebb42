import {
  NETWORK_INVITE_TTL_MS,
  type CreateNetworkThreadBody,
  type NetworkConnection,
  type NetworkInvite,
  type NetworkInviteBody,
  type NetworkResponse,
  type ThreadSummary,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase, UserDoc } from '../../context.ts';
import { isDuplicateKey } from '../../database.ts';
import { ApiError, conflict, forbidden, invalid, notFound } from '../../http/api-error.ts';
import { safeError } from '../../logger.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { Users } from '../auth/users.ts';
import type { MessagesService } from '../threads/messages.service.ts';
import { peerFor, toThreadSummary } from '../threads/thread.views.ts';
import { networkInviteMail } from './network-mail.ts';
import { notConnected } from './network-peers.ts';
import { CONNECTED, pairKeyOf, type NetworkConnectionDoc, type NetworkInviteDoc } from './network.model.ts';

/** Every network endpoint is for professionals: a client account is refused whatever it asks. */
export function requireProfessional(user: UserDoc): UserDoc {
  if (user.kind !== 'professional') throw forbidden('My Network is for professional accounts.');
  return user;
}

/**
 * My Network (issue 12): professionals invite each other by e-mail address, connect when the invitee accepts, then
 * write in `network` threads (no practice: sealed under the connection's own data key) and call each other. Nothing
 * here belongs to, is visible to, or is billed to any practice; a professional with no practice uses all of it.
 */
export function networkService({
  audit,
  auth,
  messages,
  users,
  ...deps
}: ServiceBase<'NetworkConnection' | 'NetworkInvite'> & {
  users: Pick<Users, 'namesOf' | 'profileOf'>;
  audit: AuditService;
  auth: Pick<AuthService, 'findUserByEmail' | 'emailKey' | 'emailOf'>;
  messages: Pick<MessagesService, 'start'>;
}) {
  const { models, clock, crypto, mailer, logger, publicUrl } = deps;
  const { NetworkInvite, NetworkConnection } = models;
  const myEmailKey = (user: UserDoc) => auth.emailKey(auth.emailOf(user));

  const names = (ids: Types.ObjectId[]) => users.namesOf(ids);

  const toConnection = (
    c: NetworkConnectionDoc,
    me: Types.ObjectId,
    nameOf: Map<string, string>,
  ): NetworkConnection => {
    const peer = c.peerIds.find((id) => !id.equals(me)) ?? me;
    return {
      id: String(c._id),
      peer: { id: String(peer), name: nameOf.get(String(peer)) ?? 'Former user' },
      since: c.createdAt.toISOString(),
    };
  };

  async function toInvite(doc: NetworkInviteDoc, direction: 'sent' | 'received', nameOf: Map<string, string>) {
    const open = (sealed: Buffer) => crypto.decryptText(String(doc.fromId), sealed);
    const invite: NetworkInvite = {
      id: String(doc._id),
      direction,
      // The sender sees the address they typed; the invitee sees who invited them, and the note.
      email: direction === 'sent' ? await open(doc.emailEnc) : null,
      peer:
        direction === 'received'
          ? { id: String(doc.fromId), name: nameOf.get(String(doc.fromId)) ?? 'Former user' }
          : null,
      note: doc.noteEnc ? await open(doc.noteEnc) : null,
      createdAt: doc.createdAt.toISOString(),
      expiresAt: doc.expiresAt.toISOString(),
    };
    return invite;
  }

  /**
   * One connection per pair, whoever asks and however often: the unique `pairKey` decides a race. A pair that was
   * connected before gets its removed connection back (same id: their old threads' key and files), not a new one.
   */
  async function connect(a: Types.ObjectId, b: Types.ObjectId): Promise<NetworkConnectionDoc> {
    const pairKey = pairKeyOf(a, b);
    const now = clock.now();
    try {
      return (
        await NetworkConnection.create({ pairKey, peerIds: [a, b], createdAt: now, removedAt: null })
      ).toObject<NetworkConnectionDoc>();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const reopened = await NetworkConnection.findOneAndUpdate(
        { pairKey, removedAt: { $ne: null } },
        { $set: { removedAt: null, createdAt: now } },
        { returnDocument: 'after' },
      ).lean<NetworkConnectionDoc>();
      const existing =
        reopened ?? (await NetworkConnection.findOne({ pairKey, ...CONNECTED }).lean<NetworkConnectionDoc>());
      if (!existing) throw conflict('The connection changed meanwhile; try again.');
      return existing;
    }
  }

  async function connectionOf(userId: Types.ObjectId, peerId: Types.ObjectId) {
    return NetworkConnection.findOne({ pairKey: pairKeyOf(userId, peerId), ...CONNECTED }).lean<NetworkConnectionDoc>();
  }

  /** The invitee's own invitation (by the address of their account); anyone else's answers like a missing one. */
  async function received(inviteId: string, user: UserDoc): Promise<NetworkInviteDoc> {
    const doc = await NetworkInvite.findOne({ _id: inviteId, emailKey: myEmailKey(user) }).lean<NetworkInviteDoc>();
    if (!doc || (!doc.acceptedAt && doc.expiresAt <= clock.now())) throw notFound('invite');
    return doc;
  }

  return {
    async requireConnected(userId: Types.ObjectId, peerId: Types.ObjectId): Promise<NetworkConnectionDoc> {
      const connection = await connectionOf(userId, peerId);
      if (!connection) throw notConnected();
      return connection;
    },

    async isConnected(userId: Types.ObjectId, peerId: Types.ObjectId | string): Promise<boolean> {
      return Boolean(await NetworkConnection.exists({ pairKey: pairKeyOf(userId, peerId), ...CONNECTED }));
    },

    /**
     * Invites an address. What this reveals, and to whom: only a signed-in professional can ask (and only so many
     * times an hour: network.routes.ts), and the one thing the answer tells them about a stranger is that the address
     * belongs to a client account (409 `client_account`), which cannot join a network. Whether any other address has
     * an account is not answered: the invite, the reply and the e-mail's timing are the same.
     */
    async invite(user: UserDoc, body: NetworkInviteBody, actor: Actor): Promise<NetworkInvite> {
      const account = await auth.findUserByEmail(body.email);
      if (account?.kind === 'client')
        throw new ApiError(
          'client_account',
          'That address belongs to a client account; clients cannot join My Network.',
        );
      if (account?._id.equals(user._id))
        throw invalid('You cannot invite yourself.', [{ path: 'email', message: 'is your own address' }]);
      if (account && (await connectionOf(user._id, account._id)))
        throw conflict('You are connected with that person already.');
      const now = clock.now();
      const emailKey = auth.emailKey(body.email);
      const fresh = {
        noteEnc: body.note ? await crypto.encryptText(String(user._id), body.note) : null,
        expiresAt: new Date(now.getTime() + NETWORK_INVITE_TTL_MS),
      };
      let doc: NetworkInviteDoc | null;
      let created = true;
      try {
        doc = (
          await NetworkInvite.create({
            ...fresh,
            fromId: user._id,
            emailKey,
            emailEnc: await crypto.encryptText(String(user._id), body.email),
            createdAt: now,
            acceptedAt: null,
            connectionId: null,
          })
        ).toObject<NetworkInviteDoc>();
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Invited before: the last note counts and the 30 days start again; an accepted one is opened again (the
        // connection was removed since, or this would have answered `conflict` above).
        created = false;
        doc = await NetworkInvite.findOneAndUpdate(
          { fromId: user._id, emailKey },
          { $set: { ...fresh, acceptedAt: null, connectionId: null } },
          { returnDocument: 'after' },
        ).lean<NetworkInviteDoc>();
        if (!doc) throw conflict('That invitation changed meanwhile; try again.');
      }
      if (created) {
        const link = `${publicUrl()}/console#network-invite=${doc._id}`;
        try {
          await mailer.send(networkInviteMail(body.email, link, Boolean(account?.passwordHash)));
        } catch (err) {
          logger.warn({ err: safeError(err), inviteId: String(doc._id) }, 'network invite e-mail failed');
        }
      }
      await audit.record(actor, {
        action: created ? 'network.invite' : 'network.reinvite',
        target: `network-invite:${doc._id}`,
      });
      return toInvite(doc, 'sent', new Map());
    },

    /**
     * The invitee says yes: one connection for the pair (also when both invited each other, or accept at once), and
     * the invitations between the two, both ways, are answered by it. Accepting again answers the same connection.
     */
    async accept(inviteId: string, user: UserDoc, actor: Actor): Promise<NetworkConnection> {
      const doc = await received(inviteId, user);
      const inviter = await users.profileOf(doc.fromId);
      if (!inviter || inviter._id.equals(user._id)) throw notFound('invite');
      let connection = doc.connectionId
        ? await NetworkConnection.findOne({ _id: doc.connectionId, ...CONNECTED }).lean<NetworkConnectionDoc>()
        : null;
      if (!connection) {
        if (doc.acceptedAt) throw notConnected();
        connection = await connect(inviter._id, user._id);
        const answered = { $set: { acceptedAt: clock.now(), connectionId: connection._id } };
        await NetworkInvite.updateOne({ _id: doc._id, acceptedAt: null }, answered);
        await NetworkInvite.updateMany({ fromId: user._id, emailKey: inviter.emailIndex, acceptedAt: null }, answered);
        await audit.record(actor, { action: 'network.connect', target: `network-connection:${connection._id}` });
      }
      return toConnection(connection, user._id, new Map([[String(inviter._id), inviter.name]]));
    },

    async decline(inviteId: string, user: UserDoc, actor: Actor): Promise<void> {
      const doc = await received(inviteId, user);
      if (doc.acceptedAt) throw conflict('You accepted that invitation already; remove the connection instead.');
      await NetworkInvite.deleteOne({ _id: doc._id, acceptedAt: null });
      await audit.record(actor, { action: 'network.decline', target: `network-invite:${doc._id}` });
    },

    async list(user: UserDoc, actor: Actor): Promise<NetworkResponse> {
      const now = clock.now();
      const open = { acceptedAt: null, expiresAt: { $gt: now } };
      const [connections, sent, got] = await Promise.all([
        NetworkConnection.find({ peerIds: user._id, ...CONNECTED })
          .sort({ createdAt: -1 })
          .lean<NetworkConnectionDoc[]>(),
        NetworkInvite.find({ fromId: user._id, ...open })
          .sort({ createdAt: -1 })
          .lean<NetworkInviteDoc[]>(),
        NetworkInvite.find({ emailKey: myEmailKey(user), ...open })
          .sort({ createdAt: -1 })
          .lean<NetworkInviteDoc[]>(),
      ]);
      const nameOf = await names([...connections.flatMap((c) => c.peerIds), ...got.map((d) => d.fromId)]);
      await audit.record(actor, { action: 'network.list', target: `user:${user._id}` });
      return {
        connections: connections.map((c) => toConnection(c, user._id, nameOf)),
        invites: {
          sent: await Promise.all(sent.map((d) => toInvite(d, 'sent', nameOf))),
          // An invitation from an account deleted since is dropped.
          received: await Promise.all(
            got.filter((d) => nameOf.has(String(d.fromId))).map((d) => toInvite(d, 'received', nameOf)),
          ),
        },
      };
    },

    /**
     * Ends the connection for both: no new threads, messages or files; what was exchanged stays readable to each.
     * The document stays (marked removed) so that connecting again reopens the pair's old conversations.
     */
    async remove(connectionId: string, user: UserDoc, actor: Actor): Promise<void> {
      const res = await NetworkConnection.updateOne(
        { _id: connectionId, peerIds: user._id, ...CONNECTED },
        { $set: { removedAt: clock.now() } },
      );
      if (res.matchedCount === 0) throw notFound('connection');
      await audit.record(actor, { action: 'network.disconnect', target: `network-connection:${connectionId}` });
    },

    /** A `network` thread with a connected peer, sealed under the connection's data key. */
    async startThread(user: UserDoc, body: CreateNetworkThreadBody, actor: Actor): Promise<ThreadSummary> {
      const peerId = new Types.ObjectId(body.peerId);
      const connection = await connectionOf(user._id, peerId);
      if (!connection || peerId.equals(user._id)) throw notConnected();
      const thread = await messages.start(
        {
          practiceId: null,
          kind: 'network',
          clientId: null,
          contactEnc: null,
          subjectEnc: null,
          serviceId: null,
          startedBy: user._id,
          connectionId: connection._id,
          peerIds: [user._id, peerId],
        },
        null,
        { userId: user._id, role: 'practice', name: user.name },
        body,
        actor,
      );
      return { ...toThreadSummary(thread, null, 0), ...peerFor(thread, user._id, await names([peerId])) };
    },

    /** Deletes invitations nobody answered within their 30 days (FerretDB has no TTL indexes: the scheduler calls this). */
    async sweep(): Promise<number> {
      return (await NetworkInvite.deleteMany({ acceptedAt: null, expiresAt: { $lt: clock.now() } })).deletedCount;
    },
  };
}

export type NetworkService = ReturnType<typeof networkService>;
