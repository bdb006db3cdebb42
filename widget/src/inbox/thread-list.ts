import type { PracticePublic, ThreadSummary } from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { formatDateTime } from '../shared/format.ts';
import { threadTitle } from './inbox-context.ts';
import { timeLeft } from './time-left.ts';

/** The parts a thread list draws; each pane that shows one exports them. */
export const THREAD_LIST_PARTS = [
  'list',
  'thread-list',
  'thread-item',
  'thread',
  'thread-alerted',
  'thread-title',
  'unread',
  'new-label',
  'meta',
  'time-left',
  'time-left-ok',
  'time-left-urgent',
  'time-left-overdue',
  'state-label',
  'preview',
  'empty',
];

/** A Contact Us thread's sender and first line, for the practice's members (absent from older servers). */
type Preview = { name: string; firstLine: string } | null | undefined;
const previewOf = (thread: ThreadSummary): Preview =>
  thread.kind === 'contact-us' ? (thread as ThreadSummary & { preview?: Preview }).preview : undefined;

export interface ThreadListOptions {
  threads: ThreadSummary[];
  practice: PracticePublic;
  /** Accessible name of the list. */
  label: string;
  /** Shown instead of an empty list. */
  empty: string;
  selectedId?: string | undefined;
  /** Threads with a message that alerted this member and that they have not opened since. */
  alerted: ReadonlySet<string>;
  /** Names clients in the rows; absent where the list belongs to one client already. */
  clientName?: ((clientId: string) => string | undefined) | undefined;
  now: number;
  onOpen: (thread: ThreadSummary) => void;
}

/** Awaiting threads first, the nearest deadline on top; then the rest, most recent activity first. */
export function sortThreads(threads: ThreadSummary[]): ThreadSummary[] {
  const deadline = (t: ThreadSummary) => (t.respondBy ? Date.parse(t.respondBy) : Infinity);
  return [...threads].sort((a, b) => {
    if (a.awaiting !== b.awaiting) return a.awaiting ? -1 : 1;
    if (a.awaiting) return deadline(a) - deadline(b);
    return b.lastMessageAt.localeCompare(a.lastMessageAt);
  });
}

function renderStatus(thread: ThreadSummary, now: number) {
  if (thread.status === 'closed') return html`<span part="state-label">Closed</span>`;
  if (!thread.awaiting || !thread.respondBy) return nothing;
  const left = timeLeft(thread.respondBy, now);
  // The short form is for the eye; the spelled-out one ("2 hours", not "2 h") is what a screen reader says.
  return html`<span part="time-left time-left-${left.urgency}" title="Time left to respond under the 7-day rule">
    <span aria-hidden="true">${left.text}</span><span class="visually-hidden">, ${left.label}</span>
  </span>`;
}

function meta(thread: ThreadSummary, options: ThreadListOptions): string {
  const parts: string[] = [];
  if (thread.kind === 'contact-us' && !previewOf(thread)) parts.push('Contact Us');
  if (thread.kind === 'service' && thread.subject)
    parts.push(threadTitle({ ...thread, subject: null }, options.practice));
  const client = thread.clientId ? options.clientName?.(thread.clientId) : undefined;
  if (client) parts.push(client);
  parts.push(formatDateTime(thread.lastMessageAt));
  return parts.join(' · ');
}

/**
 * A list of threads as buttons. A Contact Us thread is named by its sender, with its first line, when the server sends
 * that preview (to the practice's members only); otherwise as "Contact Us message".
 */
export function renderThreadList(options: ThreadListOptions) {
  const { threads } = options;
  if (!threads.length) return html`<p part="empty">${options.empty}</p>`;
  return html`<ul part="list thread-list" aria-label=${options.label}>
    ${threads.map((thread) => {
      const alerted = options.alerted.has(thread.id);
      const unread = thread.seq > thread.lastReadSeq;
      const parts = ['thread', alerted ? 'thread-alerted' : '', unread ? 'unread' : ''].filter(Boolean).join(' ');
      const preview = previewOf(thread);
      return html`<li part="thread-item">
        <button
          part=${parts}
          type="button"
          aria-current=${thread.id === options.selectedId ? 'true' : 'false'}
          @click=${() => options.onOpen(thread)}
        >
          <span part="thread-title"
            >${preview ? `Contact Us: ${preview.name}` : threadTitle(thread, options.practice)}${
              unread ? html`<span class="visually-hidden">, unread</span>` : nothing
            }</span
          >
          ${renderStatus(thread, options.now)}
          ${preview?.firstLine ? html`<span part="preview">${preview.firstLine}</span>` : nothing}
          <span part="meta"
            >${meta(thread, options)}${alerted ? html` · <strong part="new-label">New</strong>` : nothing}</span
          >
        </button>
      </li>`;
    })}
  </ul>`;
}
