import {
  CONTACT_PREVIEW_MAX,
  RESPONSE_WINDOW_MS,
  type ContactUsPreview,
  type Message,
  type NetworkPeer,
  type ThreadSummary,
} from '@clocktree/protocol';
import type { OpenedMessage } from './thread-content.ts';
import type { MessageDoc, ThreadDoc } from './thread.model.ts';

const idOrNull = (v: unknown) => (v ? String(v) : null);

export const toThreadSummary = (t: ThreadDoc, subject: string | null, lastReadSeq: number): ThreadSummary => ({
  id: String(t._id),
  kind: t.kind,
  status: t.status,
  practiceId: idOrNull(t.practiceId),
  clientId: idOrNull(t.clientId),
  serviceId: idOrNull(t.serviceId),
  subject,
  awaiting: t.awaiting,
  awaitingSince: t.awaitingSince?.toISOString() ?? null,
  respondBy:
    t.awaiting && t.awaitingSince ? new Date(t.awaitingSince.getTime() + RESPONSE_WINDOW_MS).toISOString() : null,
  lastMessageAt: t.lastMessageAt.toISOString(),
  seq: t.seq,
  lastReadSeq,
  connectionId: idOrNull(t.connectionId ?? null),
});

/**
 * `{peer}` for a `network` thread as `viewerId` sees it: the other of its two professionals, by name (`nameOf`, the
 * accounts' names by id). Nothing for any other kind: names of peers go to the two peers alone.
 */
export function peerFor(
  t: Pick<ThreadDoc, 'kind' | 'peerIds'>,
  viewerId: unknown,
  nameOf: Map<string, string>,
): { peer?: NetworkPeer } {
  if (t.kind !== 'network') return {};
  const id = (t.peerIds ?? []).map(String).find((p) => p !== String(viewerId));
  return id ? { peer: { id, name: nameOf.get(id) ?? 'Former user' } } : {};
}

/** The peers of the `network` threads among `threads`, whose names `peerFor` needs. */
export const peerIdsOf = (threads: Pick<ThreadDoc, 'kind' | 'peerIds'>[]) =>
  threads.flatMap((t) => (t.kind === 'network' ? (t.peerIds ?? []) : []));

export const toMessage = (m: MessageDoc, { body, attachmentNames }: OpenedMessage, authorName: string): Message => ({
  id: String(m._id),
  seq: m.seq,
  authorId: idOrNull(m.authorId),
  authorName,
  authorRole: m.authorRole,
  body,
  createdAt: m.createdAt.toISOString(),
  attachments: m.attachments.map((a, i) => ({
    id: String(a.id),
    name: attachmentNames[i]!,
    size: a.size,
    type: a.type,
  })),
});

/** The first non-empty line of a message, cut to CONTACT_PREVIEW_MAX characters (with an ellipsis when cut). */
export function firstLineOf(body: string): string {
  const line =
    body
      .split(/\r?\n/)
      .find((l) => l.trim())
      ?.trim() ?? '';
  const chars = [...line];
  return chars.length <= CONTACT_PREVIEW_MAX ? line : `${chars.slice(0, CONTACT_PREVIEW_MAX - 1).join('')}…`;
}

export const toContactUsPreview = (name: string, firstBody: string): ContactUsPreview => ({
  name,
  firstLine: firstLineOf(firstBody),
});
