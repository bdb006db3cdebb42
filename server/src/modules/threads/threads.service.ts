import type {
  ContactUsBody,
  ContactUsPreview,
  CreateServiceThreadBody,
  CreateThreadBody,
  Message,
  SendMessageBody,
  ThreadDetail,
  ThreadListQuery,
  ThreadSummary,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import { forbidden, invalid, notFound } from '../../http/api-error.ts';
import type { Fanout } from '../../realtime/fanout.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { Users } from '../auth/users.ts';
import type { PracticeDoc } from '../practices/practice.model.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { Author, MessagesService } from './messages.service.ts';
import { readersOf } from './recipients.ts';
import { keyOf, type ThreadContent } from './thread-content.ts';
import type { MessageDoc, ThreadDoc } from './thread.model.ts';
import { peerFor, peerIdsOf, toContactUsPreview, toMessage, toThreadSummary } from './thread.views.ts';
import { isDuplicateKey } from '../../database.ts';

export function threadsService({
  models,
  clock,
  audit,
  practices,
  clients,
  content,
  messages,
  live,
  network,
  users,
  awaitingChanged,
}: Pick<ServiceBase<'Message' | 'Thread' | 'ThreadRead'>, 'models' | 'clock'> & {
  audit: AuditService;
  practices: PracticesService;
  clients: ClientsService;
  users: Pick<Users, 'namesOf'>;
  content: ThreadContent;
  messages: MessagesService;
  live: Fanout;
  /** My Network's rule for new messages: the two must still be connected (throws `not_connected` otherwise). */
  network: { requireConnected(userId: Types.ObjectId, peerId: Types.ObjectId): Promise<unknown> };
  /** Told after closing a thread that awaited the practice's answer (modules/directory: its deadline may move). */
  awaitingChanged?: (practiceId: Types.ObjectId) => Promise<void>;
}) {
  const isMember = (practice: PracticeDoc, user: UserDoc) => Boolean(practices.roleOf(practice, String(user._id)));

  /** The client of the thread, unless the practice has unlinked them since. */
  async function isItsClient(thread: ThreadDoc, user: UserDoc): Promise<boolean> {
    if (!thread.clientId?.equals(user._id)) return false;
    return !thread.practiceId || !(await clients.wasUnlinked(thread.practiceId, user._id));
  }

  /**
   * The read rule, the one version of it: every member of the practice reads every client thread of it; the client
   * reads their own; a `network` thread (no practice) is read by its two peers, also after they disconnect.
   * `practice`, when the caller loaded it already, saves the membership query.
   */
  async function canRead(thread: ThreadDoc, user: UserDoc, practice?: PracticeDoc | null): Promise<boolean> {
    if (thread.kind === 'network') return (thread.peerIds ?? []).some((id) => id.equals(user._id));
    if (await isItsClient(thread, user)) return true;
    if (!thread.practiceId) return false;
    return practice ? isMember(practice, user) : practices.isMember(thread.practiceId, user._id);
  }

  /** Loads a thread for a reader; a thread the caller may not read answers exactly like one that does not exist. */
  async function loadReadable(threadId: string, user: UserDoc) {
    const thread = await models.Thread.findById(threadId).lean<ThreadDoc>();
    if (!thread) throw notFound('thread');
    const practice = thread.practiceId ? await practices.load(String(thread.practiceId)) : null;
    if (!(await canRead(thread, user, practice))) throw notFound('thread');
    return { thread, practice };
  }

  async function authorFor(user: UserDoc, thread: ThreadDoc, practice: PracticeDoc | null): Promise<Author> {
    if (!practice || isMember(practice, user)) return { userId: user._id, role: 'practice', name: user.name };
    const link = await clients.linkOf(practice._id, user._id);
    return {
      userId: user._id,
      role: link ? 'client' : 'prospect',
      name: link ? await clients.nameOf(link) : user.name,
    };
  }

  /** Closes an open thread; null when it was closed already. */
  async function markClosed(threadId: Types.ObjectId): Promise<ThreadDoc | null> {
    const closing = { status: 'closed' as const, closedAt: clock.now(), awaiting: false, awaitingSince: null };
    // The document as it was just before the close tells whether the close cleared `awaiting`.
    const before = await models.Thread.findOneAndUpdate(
      { _id: threadId, status: 'open' },
      { $set: closing },
      { returnDocument: 'before' },
    ).lean<ThreadDoc>();
    if (!before) return null;
    const awaited = Boolean(before.awaiting || before.awaitingSince);
    if (before.practiceId && awaited) await awaitingChanged?.(before.practiceId);
    return { ...before, ...closing };
  }

  async function lastReadSeqs(userId: Types.ObjectId, threadIds: Types.ObjectId[]) {
    const reads = await models.ThreadRead.find({ userId, threadId: { $in: threadIds } }).lean();
    return new Map(reads.map((r) => [String(r.threadId), r.seq]));
  }

  async function summary(thread: ThreadDoc, lastReadSeq: number): Promise<ThreadSummary> {
    return toThreadSummary(thread, await content.subject(thread), lastReadSeq);
  }

  /** Account names of the peers of the `network` threads among `threads` (no query when there are none). */
  async function peerNames(threads: ThreadDoc[]): Promise<Map<string, string>> {
    const ids = peerIdsOf(threads);
    return ids.length ? users.namesOf(ids) : new Map();
  }

  /** Names as the practice knows its people: members by account name, clients by the practice's name for them. */
  async function authorNames(thread: ThreadDoc, practice: PracticeDoc | null, list: MessageDoc[]) {
    const ids = [...new Set(list.flatMap((m) => (m.authorId ? [String(m.authorId)] : [])))];
    const [names, links] = await Promise.all([
      users.namesOf(ids),
      practice ? clients.linksAmong(practice._id, ids) : [],
    ]);
    for (const l of links) names.set(String(l.userId), await clients.nameOf(l));
    const contact = await content.contact(thread);
    return (m: MessageDoc) => (m.authorId ? names.get(String(m.authorId)) : contact?.name) ?? 'Former user';
  }

  /**
   * Contact Us previews for the practice's members (issue 11): the sender's name and the first line of the first
   * message, opened. One query for the first messages of the listed threads, one decryption each, and one audit
   * entry per practice whose previews were opened.
   */
  async function contactUsPreviews(threads: ThreadDoc[], user: UserDoc, actor: Actor) {
    const previews = new Map<string, ContactUsPreview>();
    const mine = new Set((await practices.memberPracticeIds(user._id)).map(String));
    const shown = threads.filter((t) => t.kind === 'contact-us' && t.practiceId && mine.has(String(t.practiceId)));
    if (!shown.length) return previews;
    const firsts = await models.Message.find(
      { threadId: { $in: shown.map((t) => t._id) }, seq: 1 },
      { threadId: 1, bodyEnc: 1 },
    ).lean<Pick<MessageDoc, 'threadId' | 'bodyEnc'>[]>();
    const firstOf = new Map(firsts.map((m) => [String(m.threadId), m]));
    await Promise.all(
      shown.map(async (t) => {
        const first = firstOf.get(String(t._id));
        const [contact, body] = await Promise.all([
          content.contact(t),
          first ? content.body(t.practiceId, first.bodyEnc) : '',
        ]);
        previews.set(String(t._id), toContactUsPreview(contact?.name ?? '', body));
      }),
    );
    for (const practiceId of new Set(shown.map((t) => String(t.practiceId))))
      await audit.record(actor, { practiceId, action: 'contact-us.preview', target: `practice:${practiceId}` });
    return previews;
  }

  return {
    canRead,
    loadReadable,

    async createContactUs(practiceId: string, body: ContactUsBody, visitor: UserDoc | null, actor: Actor) {
      const practice = await practices.load(practiceId);
      const isClient = visitor ? await clients.isClientOf(practiceId, visitor._id) : false;
      const author: Author = {
        userId: visitor?._id ?? null,
        role: isClient ? 'client' : 'prospect',
        name: body.name,
      };
      const thread = await messages.start(
        {
          practiceId: practice._id,
          kind: 'contact-us',
          clientId: isClient ? visitor!._id : null,
          contactEnc: await content.sealContact(practice._id, {
            name: body.name,
            email: body.email,
            phone: body.phone ?? '',
          }),
          subjectEnc: null,
          serviceId: null,
          startedBy: null,
        },
        practice,
        author,
        { body: body.body },
        actor,
      );
      return { id: String(thread._id) };
    },

    /** "Send Message" from a client's profile: a direct thread whose replies alert the colleague who started it. */
    async createDirect(
      practiceId: string,
      body: CreateThreadBody,
      user: UserDoc,
      actor: Actor,
    ): Promise<ThreadSummary> {
      const practice = await practices.load(practiceId);
      if (!(await clients.isClientOf(practiceId, body.clientId)))
        throw invalid('That person is not a client of this practice.', [
          { path: 'clientId', message: 'is not a client of this practice' },
        ]);
      const thread = await messages.start(
        {
          practiceId: practice._id,
          kind: 'direct',
          clientId: new Types.ObjectId(body.clientId),
          contactEnc: null,
          subjectEnc: body.subject ? await content.sealText(practice._id, body.subject) : null,
          serviceId: null,
          startedBy: user._id,
        },
        practice,
        { userId: user._id, role: 'practice', name: user.name },
        body,
        actor,
      );
      return summary(thread, 0);
    },

    async createForService(
      practiceId: string,
      serviceId: string,
      body: CreateServiceThreadBody,
      user: UserDoc,
      actor: Actor,
    ): Promise<ThreadSummary> {
      const practice = await practices.load(practiceId);
      const link = await clients.linkOf(practice._id, user._id);
      if (!link) throw forbidden('Only clients of this practice can write through its message services.');
      if (!practice.services.some((s) => s._id.equals(serviceId))) throw notFound('message service');
      const thread = await messages.start(
        {
          practiceId: practice._id,
          kind: 'service',
          clientId: user._id,
          contactEnc: null,
          subjectEnc: body.subject ? await content.sealText(practice._id, body.subject) : null,
          serviceId: new Types.ObjectId(serviceId),
          startedBy: null,
        },
        practice,
        { userId: user._id, role: 'client', name: await clients.nameOf(link) },
        body,
        actor,
      );
      return summary(thread, 0);
    },

    async send(threadId: string, user: UserDoc, body: SendMessageBody, key: string | undefined, actor: Actor) {
      const { thread, practice } = await loadReadable(threadId, user);
      // Removing a My Network connection ends new messages; what was exchanged stays readable.
      if (thread.kind === 'network')
        await network.requireConnected(user._id, thread.peerIds.find((id) => !id.equals(user._id)) ?? user._id);
      return messages.send(thread, practice, await authorFor(user, thread, practice), body, key, actor);
    },

    async read(
      threadId: string,
      user: UserDoc,
      afterSeq: number | undefined,
      actor: Actor,
    ): Promise<{ thread: ThreadDetail; messages: Message[] }> {
      const { thread, practice } = await loadReadable(threadId, user);
      const filter: Record<string, unknown> = { threadId: thread._id };
      if (afterSeq !== undefined) filter.seq = { $gt: afterSeq };
      const list = await models.Message.find(filter).sort({ seq: 1 }).lean<MessageDoc[]>();
      const nameOf = await authorNames(thread, practice, list);
      const seqs = await lastReadSeqs(user._id, [thread._id]);
      const peer = peerFor(thread, user._id, await peerNames([thread]));
      await audit.record(actor, { practiceId: thread.practiceId, action: 'thread.read', target: `thread:${threadId}` });
      return {
        thread: {
          ...(await summary(thread, seqs.get(threadId) ?? 0)),
          ...peer,
          contact: await content.contact(thread),
        },
        messages: await Promise.all(
          list.map(async (m) => toMessage(m, await content.message(keyOf(thread), m), nameOf(m))),
        ),
      };
    },

    /** `within`: only threads of these practices (a caller acting from a practice's website). */
    async list(
      user: UserDoc,
      query: ThreadListQuery,
      actor: Actor,
      within?: Types.ObjectId[],
    ): Promise<ThreadSummary[]> {
      const filter: Record<string, unknown> = {};
      // A client's own threads, but not those of practices that unlinked them.
      const own = { clientId: user._id, practiceId: { $nin: await clients.formerPracticesOf(user._id) } };
      if (query.practiceId) {
        const member = await practices.isMember(query.practiceId, user._id);
        // A client may narrow their own threads to one practice; anyone else must be a member.
        if (member) filter.practiceId = new Types.ObjectId(query.practiceId);
        else filter.$and = [{ practiceId: new Types.ObjectId(query.practiceId) }, own];
      } else {
        // The practices' threads, the client's own, and the caller's My Network threads.
        filter.$or = [{ practiceId: { $in: await practices.memberPracticeIds(user._id) } }, own, { peerIds: user._id }];
      }
      if (query.clientId) {
        if (!query.practiceId && !user._id.equals(query.clientId))
          throw forbidden('Name the practice when listing a client’s threads.');
        filter.clientId = new Types.ObjectId(query.clientId);
      }
      if (query.status) filter.status = query.status;
      if (query.kind) filter.kind = query.kind;
      const scoped = within ? { $and: [filter, { practiceId: { $in: within } }] } : filter;
      const threads = await models.Thread.find(scoped).sort({ lastMessageAt: -1 }).limit(500).lean<ThreadDoc[]>();
      const seqs = await lastReadSeqs(
        user._id,
        threads.map((t) => t._id),
      );
      await audit.record(actor, { practiceId: query.practiceId ?? null, action: 'thread.list' });
      const previews = await contactUsPreviews(threads, user, actor);
      const names = await peerNames(threads);
      return Promise.all(
        threads.map(async (t) => ({
          ...(await summary(t, seqs.get(String(t._id)) ?? 0)),
          ...peerFor(t, user._id, names),
          ...(t.kind === 'contact-us' ? { preview: previews.get(String(t._id)) ?? null } : {}),
        })),
      );
    },

    /** Closing clears `awaiting` and is final: no message can be added afterwards, and nothing reopens it. */
    async close(threadId: string, user: UserDoc, actor: Actor): Promise<ThreadSummary> {
      const { thread, practice } = await loadReadable(threadId, user);
      if (!practice || !isMember(practice, user)) throw forbidden('Only the practice can close a conversation.');
      const closed = (await markClosed(thread._id)) ?? (await models.Thread.findById(thread._id).lean<ThreadDoc>())!;
      await audit.record(actor, {
        practiceId: thread.practiceId,
        action: 'thread.close',
        target: `thread:${threadId}`,
      });
      const view = await summary(closed, 0);
      await live.publish(readersOf(closed, practice), view);
      const seqs = await lastReadSeqs(user._id, [closed._id]);
      return { ...view, lastReadSeq: seqs.get(threadId) ?? 0 };
    },

    /**
     * The practice unlinked this client: their open conversations with it close (nothing can be added any more),
     * which the practice's members see; the former client is told nothing (they may no longer read them).
     */
    async closeForClient(practiceId: string, clientId: string): Promise<void> {
      const practice = await practices.load(practiceId);
      const open = await models.Thread.find({ practiceId: practice._id, clientId, status: 'open' }, { _id: 1 }).lean();
      for (const { _id } of open) {
        const closed = await markClosed(_id);
        if (closed)
          await live.publish(
            readersOf(closed, practice).filter((r) => r !== clientId),
            await summary(closed, 0),
          );
      }
    },

    /** Moves the caller's read marker forward (never back); this is all that viewing changes. */
    async markRead(threadId: string, user: UserDoc, seq: number): Promise<void> {
      const { thread } = await loadReadable(threadId, user);
      const upTo = Math.min(seq, thread.seq);
      const moved = await models.ThreadRead.updateOne(
        { threadId: thread._id, userId: user._id, seq: { $lt: upTo } },
        { $set: { seq: upTo } },
      );
      if (moved.matchedCount === 0)
        await models.ThreadRead.create({ threadId: thread._id, userId: user._id, seq: upTo }).catch((err: unknown) => {
          if (!isDuplicateKey(err)) throw err;
        });
    },
  };
}

export type ThreadsService = ReturnType<typeof threadsService>;
