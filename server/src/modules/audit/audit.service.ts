import type { AuditEntry, AuditPage } from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { Actor, ServiceBase } from '../../context.ts';
import type { AuditDoc } from './audit.model.ts';

export interface AuditEvent {
  practiceId?: string | Types.ObjectId | null;
  action: string;
  /** What was touched, as `kind:id`: never a name, an e-mail or a body. */
  target?: string | null;
}

const oid = (id: string | Types.ObjectId | null | undefined) => (id ? new Types.ObjectId(String(id)) : null);

export function auditService({ models, clock }: Pick<ServiceBase<'Audit'>, 'models' | 'clock'>) {
  return {
    async record(actor: Actor, event: AuditEvent): Promise<void> {
      await models.Audit.create({
        actorId: oid(actor.userId),
        practiceId: oid(event.practiceId),
        action: event.action,
        target: event.target ?? null,
        time: clock.now(),
        ip: actor.ip,
      });
    },

    async page(practiceId: string, query: { before?: string | undefined; limit: number }): Promise<AuditPage> {
      const filter: Record<string, unknown> = { practiceId: new Types.ObjectId(practiceId) };
      if (query.before) filter._id = { $lt: new Types.ObjectId(query.before) };
      const docs = await models.Audit.find(filter)
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<AuditDoc[]>();
      const entries = docs.slice(0, query.limit).map(toEntry);
      return { entries, next: docs.length > query.limit ? (entries.at(-1)?.id ?? null) : null };
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;

const toEntry = (d: AuditDoc): AuditEntry => ({
  id: String(d._id),
  actorId: d.actorId ? String(d.actorId) : null,
  practiceId: d.practiceId ? String(d.practiceId) : null,
  action: d.action,
  target: d.target,
  time: d.time.toISOString(),
  ip: d.ip,
});
