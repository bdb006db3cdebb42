import type { Attachment, Message } from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { formatDateTime, formatSize } from './format.ts';

/**
 * The parts of one message, the same in <ct-messages> and the console's thread pane. Each element that shows
 * messages lists them with `@csspart`. Deprecated names (kept for one release, because a practice may already style
 * them) stand beside the new ones in the same `part` attribute:
 * `author` → `message-author`; `role` and `meta` → `message-role`; `time` and `meta` → `message-time`;
 * `message-header` → `message-meta`; `message-client` on a prospect's message → `message-prospect`.
 */
export const MESSAGE_PARTS = [
  'message',
  'message-own',
  'message-practice',
  'message-client',
  'message-prospect',
  'message-meta',
  'message-author',
  'message-role',
  'message-time',
  'message-body',
  'attachments',
  'attachment',
  'attachment-size',
  'link-button',
  // Deprecated names, still set until the next release.
  'message-header',
  'author',
  'role',
  'time',
  'meta',
] as const;

export interface MessageViewOptions {
  /** The person using the element: their messages are `message-own` (instead of `message-<role>`). */
  userId: string | undefined;
  /** How the author's side is named, in brackets after the name: "you", "Practice", "Prospective client". */
  roleLabel: (message: Message) => string;
  onDownload: (attachment: Attachment) => void;
  /** The console says the size inside the download button ("Download a.pdf (2 KB)"); the client widget beside it. */
  sizeInButton?: boolean;
}

/** One message as a list item: author, role, time, body and its attachments (each a download button). */
export function renderMessage(message: Message, o: MessageViewOptions) {
  const own = Boolean(message.authorId && message.authorId === o.userId);
  // The user's own messages are told apart from the other side's; the others by who wrote them.
  const side = own
    ? ['message-own']
    : [`message-${message.authorRole}`, message.authorRole === 'prospect' ? 'message-client' : ''];
  return html`<li part=${['message', ...side].filter(Boolean).join(' ')}>
    <p part="message-meta message-header">
      <strong part="message-author author">${message.authorName}</strong>
      <span part="message-role role meta">(${o.roleLabel(message)})</span>
      <time part="message-time time meta" datetime=${message.createdAt}>${formatDateTime(message.createdAt)}</time>
    </p>
    <div part="message-body">${message.body}</div>
    ${
      message.attachments.length
        ? html`<ul part="attachments" aria-label="Files">
            ${message.attachments.map(
              (a) =>
                html`<li>
                  <button part="attachment link-button" type="button" @click=${() => o.onDownload(a)}>
                    <span class="visually-hidden">Download </span>${a.name}${
                      o.sizeInButton ? html` <span part="attachment-size">(${formatSize(a.size)})</span>` : nothing
                    }
                  </button>
                  ${o.sizeInButton ? nothing : html`<span part="attachment-size">${formatSize(a.size)}</span>`}
                </li>`,
            )}
          </ul>`
        : nothing
    }
  </li>`;
}
