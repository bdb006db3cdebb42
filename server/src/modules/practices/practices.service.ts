import type {
  ContactUsAssigneesBody,
  MemberDetail,
  PatchServiceBody,
  CreatePracticeBody,
  CreateServiceBody,
  FieldIssue,
  PatchPracticeBody,
  Role,
  Service,
} from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import { conflict, forbidden, invalid, notFound } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { Users } from '../auth/users.ts';
import type { ClientLinks } from '../clients/client-links.ts';
import type { ThreadQueries } from '../threads/thread-queries.ts';
import { members } from './members.ts';
import type { PracticeDoc, ServiceDoc } from './practice.model.ts';
import { toService } from './practice.views.ts';

const MAIL_FACTS = { members: 1, timeZone: 1, mailFromName: 1, replyTo: 1 } as const;
export type PracticeMailFacts = Pick<PracticeDoc, '_id' | 'members' | 'timeZone' | 'mailFromName' | 'replyTo'>;

/** Told when a practice's `allowedOrigins` were set, so that sockets of sites it no longer lists are dropped. */
export type SitesChanged = (practiceId: string, allowedOrigins: string[]) => Promise<void>;

export function practicesService({
  models,
  clock,
  crypto,
  publicUrl,
  audit,
  users,
  clients,
  threads,
  sitesChanged,
  profileChanged,
}: Pick<ServiceBase<'Practice'>, 'models' | 'clock' | 'crypto' | 'publicUrl'> & {
  audit: AuditService;
  users: Pick<Users, 'contactsOf'>;
  clients: Pick<ClientLinks, 'isClientOf'>;
  threads: Pick<ThreadQueries, 'hasOverdue'>;
  sitesChanged: SitesChanged;
  /** Told after every profile change (the directory's search keys follow it: modules/directory). */
  profileChanged?: (practice: PracticeDoc) => Promise<void>;
}) {
  async function load(practiceId: string): Promise<PracticeDoc> {
    const practice = await models.Practice.findById(practiceId).lean<PracticeDoc>();
    if (!practice) throw notFound('practice');
    return practice;
  }

  /**
   * Read, decide, write back only if nobody wrote in between (compare-and-set on `rev`). FerretDB v1 has neither
   * positional updates nor correct negations over arrays of subdocuments, so array edits are whole-array writes
   * guarded this way; the same code is correct on MongoDB.
   */
  async function mutate(
    practiceId: string,
    change: (practice: PracticeDoc) => Record<string, unknown>,
  ): Promise<PracticeDoc> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const practice = await load(practiceId);
      const update = change(practice);
      const updated = await models.Practice.findOneAndUpdate(
        { _id: practice._id, rev: practice.rev },
        { ...update, $inc: { rev: 1 } },
        { returnDocument: 'after' },
      ).lean<PracticeDoc>();
      if (updated) return updated;
    }
    throw conflict('The practice is being changed by someone else; try again.');
  }

  const roleOf = (practice: PracticeDoc, userId: string): Role | undefined =>
    practice.members.find((m) => m.userId.equals(userId))?.role;

  const isLastAdmin = (practice: PracticeDoc) => practice.members.filter((m) => m.role === 'admin').length === 1;

  /** Every id in `ids` must be a member of the practice; the error names each offending index. */
  function checkMembers(practice: PracticeDoc, ids: string[], field: string): Types.ObjectId[] {
    const issues: FieldIssue[] = ids.flatMap((id, i) =>
      roleOf(practice, id) ? [] : [{ path: `${field}.${i}`, message: 'is not a member of this practice' }],
    );
    if (issues.length) throw invalid('Assignees must be members of the practice.', issues);
    return [...new Set(ids)].map((id) => new Types.ObjectId(id));
  }

  const seal = (practiceId: Types.ObjectId | string, text: string) => crypto.encryptText(practiceId, text);
  const openService = async (practiceId: Types.ObjectId | string, s: ServiceDoc): Promise<Service> =>
    toService(
      s,
      await crypto.decryptText(practiceId, s.nameEnc),
      await crypto.decryptText(practiceId, s.descriptionEnc),
    );

  return {
    ...members(models.Practice),
    load,
    roleOf,
    /** Where browsers reach the service: the practice's views name its photo's URL with it. */
    publicUrl,

    /** The practice's message services with their names and descriptions opened. */
    services: (practice: PracticeDoc): Promise<Service[]> =>
      Promise.all(practice.services.map((s) => openService(practice._id, s))),

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
      return !(await threads.hasOverdue(practice._id));
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
      // The body is strict (zod): every key it may hold is a field of the practice.
      const set = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
      const practice = await models.Practice.findByIdAndUpdate(
        practiceId,
        { $set: set },
        { returnDocument: 'after' },
      ).lean<PracticeDoc>();
      if (!practice) throw notFound('practice');
      await audit.record(actor, { practiceId, action: 'practice.update', target: `practice:${practiceId}` });
      if (body.allowedOrigins) await sitesChanged(practiceId, practice.allowedOrigins);
      await profileChanged?.(practice);
      return practice;
    },

    /**
     * Makes `user` a member with `role` (an accepted invitation); a member already keeps the role they have. Only
     * professionals can be members, and a client of the practice cannot also be one of its colleagues.
     */
    async join(practiceId: string, user: UserDoc, role: Role, actor: Actor): Promise<void> {
      if (user.kind !== 'professional') throw conflict('Only a professional account can join a practice’s team.');
      if (await clients.isClientOf(practiceId, user._id))
        throw conflict('A client of the practice cannot also be one of its colleagues.');
      let added = false;
      await mutate(practiceId, (practice) => {
        added = !roleOf(practice, String(user._id));
        return added ? { $push: { members: { userId: user._id, role, addedAt: clock.now() } } } : {};
      });
      if (added) await audit.record(actor, { practiceId, action: 'member.add', target: `user:${user._id}` });
    },

    /**
     * Takes `userId` off the team, and off every assignment (Contact Us, services), in one update. The last admin
     * cannot be removed: someone must be able to run the practice.
     */
    async dropMember(practiceId: string, userId: string): Promise<void> {
      await mutate(practiceId, (practice) => {
        const role = roleOf(practice, userId);
        if (!role) throw notFound('member');
        if (role === 'admin' && isLastAdmin(practice)) throw conflict('The last admin cannot be removed.');
        const others = (ids: Types.ObjectId[]) => ids.filter((id) => !id.equals(userId));
        return {
          $set: {
            members: practice.members.filter((m) => !m.userId.equals(userId)),
            contactUsAssigneeIds: others(practice.contactUsAssigneeIds),
            services: practice.services.map((s) => ({ ...s, assigneeIds: others(s.assigneeIds) })),
          },
        };
      });
    },

    /** Changes a member's role; the last admin cannot become a colleague. */
    async setRole(practiceId: string, userId: string, role: Role): Promise<void> {
      await mutate(practiceId, (practice) => {
        const current = roleOf(practice, userId);
        if (!current) throw notFound('member');
        if (current === 'admin' && role !== 'admin' && isLastAdmin(practice))
          throw conflict('The last admin cannot stop being one; make someone else admin first.');
        return {
          $set: { members: practice.members.map((m) => (m.userId.equals(userId) ? { ...m, role } : m)) },
        };
      });
    },

    async setContactUsAssignees(practiceId: string, body: ContactUsAssigneesBody, actor: Actor): Promise<string[]> {
      let ids: Types.ObjectId[] = [];
      await mutate(practiceId, (practice) => {
        ids = checkMembers(practice, body.assigneeIds, 'assigneeIds');
        return { $set: { contactUsAssigneeIds: ids } };
      });
      await audit.record(actor, { practiceId, action: 'contact-us.assign', target: `practice:${practiceId}` });
      return ids.map(String);
    },

    async createService(practiceId: string, body: CreateServiceBody, actor: Actor): Promise<Service> {
      const service: ServiceDoc = {
        _id: new Types.ObjectId(),
        nameEnc: await seal(practiceId, body.name),
        descriptionEnc: await seal(practiceId, body.description),
        assigneeIds: [],
      };
      await mutate(practiceId, (practice) => {
        service.assigneeIds = checkMembers(practice, body.assigneeIds, 'assigneeIds');
        return { $push: { services: service } };
      });
      await audit.record(actor, { practiceId, action: 'service.create', target: `service:${service._id}` });
      return toService(service, body.name, body.description);
    },

    async updateService(practiceId: string, serviceId: string, body: PatchServiceBody, actor: Actor): Promise<Service> {
      const sealed = {
        ...(body.name !== undefined ? { nameEnc: await seal(practiceId, body.name) } : {}),
        ...(body.description !== undefined ? { descriptionEnc: await seal(practiceId, body.description) } : {}),
      };
      const updated = await mutate(practiceId, (practice) => {
        const current = practice.services.find((s) => s._id.equals(serviceId));
        if (!current) throw notFound('message service');
        const next = {
          ...current,
          ...sealed,
          ...(body.assigneeIds !== undefined
            ? { assigneeIds: checkMembers(practice, body.assigneeIds, 'assigneeIds') }
            : {}),
        };
        return { $set: { services: practice.services.map((s) => (s._id.equals(serviceId) ? next : s)) } };
      });
      await audit.record(actor, { practiceId, action: 'service.update', target: `service:${serviceId}` });
      return openService(
        practiceId,
        updated.services.find((s) => s._id.equals(serviceId))!,
      );
    },

    /** Threads started through a deleted service stay readable; their replies then alert the admins. */
    async deleteService(practiceId: string, serviceId: string, actor: Actor): Promise<void> {
      await mutate(practiceId, (practice) => {
        if (!practice.services.some((s) => s._id.equals(serviceId))) throw notFound('message service');
        return { $set: { services: practice.services.filter((s) => !s._id.equals(serviceId)) } };
      });
      await audit.record(actor, { practiceId, action: 'service.delete', target: `service:${serviceId}` });
    },

    async members(practice: PracticeDoc, actor: Actor): Promise<MemberDetail[]> {
      const byId = await users.contactsOf(practice.members.map((m) => m.userId));
      await audit.record(actor, {
        practiceId: practice._id,
        action: 'member.list',
        target: `practice:${practice._id}`,
      });
      return practice.members.map((m) => ({
        userId: String(m.userId),
        role: m.role,
        name: byId.get(String(m.userId))?.name ?? '',
        email: byId.get(String(m.userId))?.email ?? '',
      }));
    },

    /** Practices by id (in no particular order); a practice deleted since is left out. */
    loadMany: (ids: Types.ObjectId[]): Promise<PracticeDoc[]> =>
      models.Practice.find({ _id: { $in: ids } }).lean<PracticeDoc[]>(),

    /** Practices that chose to be listed in the directory (what the directory's entries follow). */
    optedInIds: async (): Promise<Types.ObjectId[]> =>
      (await models.Practice.find({ directoryOptIn: true }, { _id: 1 }).lean()).map((p) => p._id),

    /** Practice names by id; a practice deleted since is left out. */
    async namesOf(ids: (Types.ObjectId | string)[]): Promise<Map<string, string>> {
      const found = await models.Practice.find({ _id: { $in: ids } }, { name: 1 }).lean();
      return new Map(found.map((p) => [String(p._id), p.name]));
    },

    /** What mails about these practices need: the sender fields (practice-sender.ts), time zone and members. */
    mailFactsOf(ids: (Types.ObjectId | null)[]): Promise<PracticeMailFacts[]> {
      return models.Practice.find({ _id: { $in: ids } }, MAIL_FACTS).lean<PracticeMailFacts[]>();
    },
  };
}

export type PracticesService = ReturnType<typeof practicesService>;
