import type { PracticeDoc } from '../practices/practice.model.ts';
import type { ThreadDoc } from './thread.model.ts';

/** Marks the Contact Us writer who has no account: reached by e-mail with a sign-in link. */
export const PROSPECT = 'prospect';

const admins = (practice: PracticeDoc) =>
  practice.members.filter((m) => m.role === 'admin').map((m) => String(m.userId));
const stillMembers = (practice: PracticeDoc, ids: unknown[]) =>
  ids.map(String).filter((id) => practice.members.some((m) => String(m.userId) === id));

/**
 * Who is alerted and e-mailed about a new message (DESIGN.md, "Who is notified"). A client-side message goes to
 * the colleagues assigned to the thread's way in — Contact Us assignees, the service's assignees, or the colleague
 * who started a direct thread — and to the admins when nobody assigned is still a member. A practice-side
 * message goes to the client, or to the prospect's e-mail address.
 */
export function recipientsFor(
  thread: Pick<ThreadDoc, 'kind' | 'serviceId' | 'startedBy' | 'clientId'> & Partial<Pick<ThreadDoc, 'peerIds'>>,
  practice: PracticeDoc | null,
  clientSide: boolean,
  authorId?: unknown,
): string[] {
  // My Network: the other professional of the two (the thread belongs to no practice).
  if (thread.kind === 'network') return (thread.peerIds ?? []).map(String).filter((id) => id !== String(authorId));
  if (!practice) return [];
  if (!clientSide) return [thread.clientId ? String(thread.clientId) : PROSPECT];
  let assigned: string[] = [];
  if (thread.kind === 'contact-us') assigned = stillMembers(practice, practice.contactUsAssigneeIds);
  if (thread.kind === 'service') {
    const service = practice.services.find((s) => thread.serviceId && s._id.equals(thread.serviceId));
    assigned = stillMembers(practice, service?.assigneeIds ?? []);
  }
  if (thread.kind === 'direct' && thread.startedBy) assigned = stillMembers(practice, [thread.startedBy]);
  return assigned.length ? assigned : admins(practice);
}

/** Everyone who may read the thread: every member of the practice, and its client; the two peers of a network one. */
export function readersOf(
  thread: Pick<ThreadDoc, 'clientId'> & Partial<Pick<ThreadDoc, 'kind' | 'peerIds'>>,
  practice: PracticeDoc | null,
): string[] {
  if (thread.kind === 'network' || !practice) return (thread.peerIds ?? []).map(String);
  const ids = new Set(practice.members.map((m) => String(m.userId)));
  if (thread.clientId) ids.add(String(thread.clientId));
  return [...ids];
}
