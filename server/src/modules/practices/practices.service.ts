import type {
  AddMemberBody,
  ContactUsAssigneesBody,
  CreatePracticeBody,
  CreateServiceBody,
  FieldIssue,
  Member,
  PatchPracticeBody,
  Role,
  Service,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceDeps } from '../../context.ts';
import { conflict, forbidden, invalid, notFound } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { PracticeDoc } from './practice.model.ts';
import { toService } from './practice.views.ts';

/** A practice stays in the directory only while no thread has waited longer than this for a response. */
export const RESPONSE_WINDOW_MS = 7 * 24 * 3600_000;

export function practicesService({ models, clock }: ServiceDeps, audit: AuditService) {
  async function load(practiceId: string): Promise<PracticeDoc> {
    const practice = await models.Practice.findById(practiceId).lean<PracticeDoc>();
    if (!practice) throw notFound('practice');
    return practice;
  }

  const roleOf = (practice: PracticeDoc, userId: string): Role | undefined =>
    practice.members.find((m) => m.userId.equals(userId))?.role;

  /** Every id in `ids` must be a member of the practice; the error names each offending index. */
  function checkMembers(practice: PracticeDoc, ids: string[], field: string): Types.ObjectId[] {
    const issues: FieldIssue[] = ids.flatMap((id, i) =>
      roleOf(practice, id) ? [] : [{ path: `${field}.${i}`, message: 'is not a member of this practice' }],
    );
    if (issues.length) throw invalid('Assignees must be members of the practice.', issues);
    return [...new Set(ids)].map((id) => new Types.ObjectId(id));
  }

  return {
    load,
    roleOf,

    async requireMember(practiceId: string, userId: string): Promise<{ practice: PracticeDoc; role: Role }> {
      const practice = await load(practiceId);
      const role = roleOf(practice, userId);
      if (!role) throw forbidden('Only members of this practice may do that.');
      return { practice, role };
    },

    async requireAdmin(practiceId: string, userId: string): Promise<PracticeDoc> {
      const practice = await load(practiceId);
      if (roleOf(practice, userId) !== 'admin') throw forbidden('Only admins of this practice may do that.');
      return practice;
    },

    async isListed(practice: PracticeDoc): Promise<boolean> {
      if (!practice.directoryOptIn) return false;
      const overdue = await models.Thread.exists({
        practiceId: practice._id,
        status: 'open',
        awaiting: true,
        awaitingSince: { $lt: new Date(clock.now().getTime() - RESPONSE_WINDOW_MS) },
      });
      return !overdue;
    },

    async create(body: CreatePracticeBody, creator: UserDoc, actor: Actor): Promise<PracticeDoc> {
      if (creator.kind !== 'professional') throw forbidden('Only professionals can create a practice.');
      const now = clock.now();
      const practice = await models.Practice.create({
        name: body.name,
        phone: body.phone ?? '',
        members: [{ userId: creator._id, role: 'admin', addedAt: now }],
        createdAt: now,
      });
      await audit.record(actor, {
        practiceId: practice._id,
        action: 'practice.create',
        target: `practice:${practice._id}`,
      });
      return practice.toObject();
    },

    async update(practiceId: string, body: PatchPracticeBody, actor: Actor): Promise<PracticeDoc> {
      const set: Record<string, unknown> = {};
      for (const key of ['name', 'phone', 'allowedOrigins', 'directoryOptIn'] as const)
        if (body[key] !== undefined) set[key] = body[key];
      const practice = await models.Practice.findByIdAndUpdate(
        practiceId,
        { $set: set },
        { returnDocument: 'after' },
      ).lean<PracticeDoc>();
      if (!practice) throw notFound('practice');
      await audit.record(actor, { practiceId, action: 'practice.update', target: `practice:${practiceId}` });
      return practice;
    },

    async addMember(practiceId: string, body: AddMemberBody, actor: Actor): Promise<Member> {
      const user = await models.User.findOne({ email: body.email }).lean<UserDoc>();
      if (!user || user.kind !== 'professional') throw notFound('professional account with that e-mail address');
      // Compare-and-set on `rev`: a filter like {'members.userId': {$ne: id}} would be the natural guard, but
      // FerretDB v1 evaluates negations over arrays of subdocuments per element and lets duplicates through.
      for (let attempt = 0; ; attempt++) {
        const practice = await load(practiceId);
        if (roleOf(practice, String(user._id)))
          throw conflict('That professional is already a member of this practice.');
        const res = await models.Practice.updateOne(
          { _id: practice._id, rev: practice.rev },
          {
            $push: { members: { userId: user._id, role: body.role, addedAt: clock.now() } },
            $inc: { rev: 1 },
          },
        );
        if (res.matchedCount === 1) break;
        if (attempt === 4) throw conflict('The practice is being changed by someone else; try again.');
      }
      await audit.record(actor, { practiceId, action: 'member.add', target: `user:${user._id}` });
      return { userId: String(user._id), role: body.role };
    },

    async setContactUsAssignees(practiceId: string, body: ContactUsAssigneesBody, actor: Actor): Promise<string[]> {
      const ids = checkMembers(await load(practiceId), body.assigneeIds, 'assigneeIds');
      await models.Practice.updateOne({ _id: practiceId }, { $set: { contactUsAssigneeIds: ids } });
      await audit.record(actor, { practiceId, action: 'contact-us.assign', target: `practice:${practiceId}` });
      return ids.map(String);
    },

    async createService(practiceId: string, body: CreateServiceBody, actor: Actor): Promise<Service> {
      const ids = checkMembers(await load(practiceId), body.assigneeIds, 'assigneeIds');
      const service = { _id: new Types.ObjectId(), name: body.name, description: body.description, assigneeIds: ids };
      await models.Practice.updateOne({ _id: practiceId }, { $push: { services: service } });
      await audit.record(actor, { practiceId, action: 'service.create', target: `service:${service._id}` });
      return toService(service);
    },
  };
}

export type PracticesService = ReturnType<typeof practicesService>;
