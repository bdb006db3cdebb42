import type { ContactUsBody, Message, ThreadDetail, ThreadListQuery, ThreadSummary } from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceDeps } from '../../context.ts';
import { forbidden, notFound } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { ThreadDoc } from './thread.model.ts';
import { toMessage, toThreadDetail, toThreadSummary } from './thread.views.ts';

export function threadsService(
  { models, clock }: ServiceDeps,
  audit: AuditService,
  practices: PracticesService,
  clients: ClientsService,
) {
  /** Every member of the practice reads every client thread of it; the client reads their own. */
  async function canRead(thread: ThreadDoc, user: UserDoc): Promise<boolean> {
    if (thread.clientId?.equals(user._id)) return true;
    if (!thread.practiceId) return false;
    return Boolean(await models.Practice.exists({ _id: thread.practiceId, 'members.userId': user._id }));
  }

  return {
    canRead,

    /**
     * A visitor writes to the front desk. Thread and first message are two documents and FerretDB has no
     * transactions: the message is written first under a pre-chosen thread id, so a thread is never visible
     * without its message; a message whose thread write failed is unreachable and is removed at once.
     */
    async createContactUs(
      practiceId: string,
      body: ContactUsBody,
      visitor: UserDoc | null,
      actor: Actor,
    ): Promise<{ id: string }> {
      await practices.load(practiceId);
      const isClient = visitor ? await clients.isClientOf(practiceId, visitor._id) : false;
      const now = clock.now();
      const threadId = new Types.ObjectId();
      const message = await models.Message.create({
        threadId,
        seq: 1,
        authorId: visitor?._id ?? null,
        authorRole: isClient ? 'client' : 'prospect',
        body: body.body,
        attachments: [],
        createdAt: now,
      });
      try {
        await models.Thread.create({
          _id: threadId,
          practiceId: new Types.ObjectId(practiceId),
          kind: 'contact-us',
          clientId: isClient ? visitor!._id : null,
          contact: { name: body.name, email: body.email, phone: body.phone ?? '' },
          subject: null,
          serviceId: null,
          status: 'open',
          awaiting: true,
          awaitingSince: now,
          lastMessageAt: now,
          seq: 1,
          createdAt: now,
        });
      } catch (err) {
        await models.Message.deleteOne({ _id: message._id });
        throw err;
      }
      await audit.record(actor, { practiceId, action: 'thread.create', target: `thread:${threadId}` });
      return { id: String(threadId) };
    },

    async read(threadId: string, user: UserDoc, actor: Actor): Promise<{ thread: ThreadDetail; messages: Message[] }> {
      const thread = await models.Thread.findById(threadId).lean<ThreadDoc>();
      // A thread the caller may not read answers exactly like one that does not exist.
      if (!thread || !(await canRead(thread, user))) throw notFound('thread');
      const messages = await models.Message.find({ threadId: thread._id }).sort({ seq: 1 }).lean();
      await audit.record(actor, { practiceId: thread.practiceId, action: 'thread.read', target: `thread:${threadId}` });
      return { thread: toThreadDetail(thread), messages: messages.map(toMessage) };
    },

    async list(user: UserDoc, query: ThreadListQuery, actor: Actor): Promise<ThreadSummary[]> {
      const filter: Record<string, unknown> = {};
      if (query.practiceId) {
        const member = await models.Practice.exists({ _id: query.practiceId, 'members.userId': user._id });
        // A client may narrow their own threads to one practice; anyone else must be a member.
        if (member) filter.practiceId = new Types.ObjectId(query.practiceId);
        else filter.$and = [{ practiceId: new Types.ObjectId(query.practiceId) }, { clientId: user._id }];
      } else {
        const mine = await models.Practice.find({ 'members.userId': user._id }, { _id: 1 }).lean();
        filter.$or = [{ practiceId: { $in: mine.map((p) => p._id) } }, { clientId: user._id }];
      }
      if (query.clientId) {
        if (!query.practiceId && !user._id.equals(query.clientId))
          throw forbidden('Name the practice when listing a client’s threads.');
        filter.clientId = new Types.ObjectId(query.clientId);
      }
      if (query.status) filter.status = query.status;
      const threads = await models.Thread.find(filter).sort({ lastMessageAt: -1 }).limit(500).lean<ThreadDoc[]>();
      await audit.record(actor, { practiceId: query.practiceId ?? null, action: 'thread.list' });
      return threads.map(toThreadSummary);
    },
  };
}

export type ThreadsService = ReturnType<typeof threadsService>;
