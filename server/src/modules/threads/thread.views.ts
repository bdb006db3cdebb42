import type { Message, ThreadDetail, ThreadSummary } from '@clocktree/protocol';
import type { MessageDoc, ThreadDoc } from './thread.model.ts';

const idOrNull = (v: unknown) => (v ? String(v) : null);

export const toThreadSummary = (t: ThreadDoc): ThreadSummary => ({
  id: String(t._id),
  kind: t.kind,
  status: t.status,
  practiceId: idOrNull(t.practiceId),
  clientId: idOrNull(t.clientId),
  awaiting: t.awaiting,
  awaitingSince: t.awaitingSince?.toISOString() ?? null,
  lastMessageAt: t.lastMessageAt.toISOString(),
});

export const toThreadDetail = (t: ThreadDoc): ThreadDetail => ({
  ...toThreadSummary(t),
  subject: t.subject,
  contact: t.contact ? { name: t.contact.name, email: t.contact.email, phone: t.contact.phone } : null,
});

export const toMessage = (m: MessageDoc): Message => ({
  id: String(m._id),
  authorId: idOrNull(m.authorId),
  authorRole: m.authorRole,
  body: m.body,
  createdAt: m.createdAt.toISOString(),
  attachments: m.attachments.map((a) => ({ id: String(a.id), name: a.name, size: a.size, type: a.type })),
});
