import { z } from 'zod';
import { Id } from './common.ts';

export const AuditEntry = z.object({
  id: Id,
  actorId: Id.nullable(),
  practiceId: Id.nullable(),
  action: z.string(),
  target: z.string().nullable(),
  time: z.string(),
  ip: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Pages go from newest to oldest; `before` is the `next` cursor of the previous page. */
export const AuditQuery = z.strictObject({
  before: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z.object({ entries: z.array(AuditEntry), next: Id.nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
