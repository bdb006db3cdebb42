import type { PracticePublic, ThreadSummary } from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { formatDateTime } from '../shared/format.ts';
import { isUnread, threadTitle } from './format.ts';

export interface ThreadListOptions {
  threads: ThreadSummary[] | undefined;
  practice: PracticePublic | undefined;
  error: string;
  /** Whether this user may start threads here (a client of the practice). */
  canWrite: boolean;
  onOpen: (thread: ThreadSummary) => void;
  onNew: () => void;
}

function renderThread(thread: ThreadSummary, o: ThreadListOptions) {
  const unread = isUnread(thread);
  const closed = thread.status === 'closed';
  const parts = ['thread', unread ? 'thread-unread' : '', closed ? 'thread-closed' : ''].filter(Boolean).join(' ');
  return html`<li part="thread-item">
    <button part=${parts} type="button" data-thread-id=${thread.id} @click=${() => o.onOpen(thread)}>
      <span part="thread-title">${threadTitle(thread, o.practice)}</span>
      ${unread ? html`<span part="unread-badge">New<span class="visually-hidden"> messages</span></span>` : nothing}
      ${closed ? html`<span part="closed-label">Closed</span>` : nothing}
      <span part="thread-meta"
        >Last message <time datetime=${thread.lastMessageAt}>${formatDateTime(thread.lastMessageAt)}</time></span
      >
    </button>
  </li>`;
}

/** The practice's threads with this user, newest first, each a button that opens it. */
export function renderThreadList(o: ThreadListOptions) {
  let content;
  if (o.error) content = html`<p part="error" role="alert">${o.error}</p>`;
  else if (!o.threads) content = html`<p part="loading" role="status">Loading your messages…</p>`;
  else if (!o.threads.length) content = html`<p part="empty">You have no messages yet.</p>`;
  else {
    content = html`<ul part="thread-list" aria-labelledby="threads-heading">
      ${o.threads.map((thread) => renderThread(thread, o))}
    </ul>`;
  }
  return html`<section part="threads" aria-labelledby="threads-heading">
    <div part="toolbar">
      <h3 part="heading threads-heading" id="threads-heading" tabindex="-1">Your messages</h3>
      ${
        o.canWrite
          ? html`<button part="button new-message-button" type="button" @click=${o.onNew}>New message</button>`
          : nothing
      }
    </div>
    ${content}
  </section>`;
}
