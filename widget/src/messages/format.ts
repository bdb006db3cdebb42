import type { PracticePublic, ThreadSummary } from '@clocktree/protocol';

/** How a client sees a thread named: its subject, else the message service, else what kind it is. */
export function threadTitle(thread: ThreadSummary, practice: PracticePublic | undefined): string {
  if (thread.subject) return thread.subject;
  if (thread.kind === 'service') {
    return practice?.services.find((s) => s.id === thread.serviceId)?.name ?? 'Message service';
  }
  if (thread.kind === 'contact-us') return 'Your Contact Us message';
  return practice ? `Message from ${practice.name}` : 'Message';
}

/** Newest activity first. */
export const byNewest = (a: ThreadSummary, b: ThreadSummary) => b.lastMessageAt.localeCompare(a.lastMessageAt);

export const isUnread = (thread: ThreadSummary) => thread.seq > thread.lastReadSeq;
