import type { Attachment, Message, PracticePublic, ThreadDetail } from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { dropHandlers, renderAttachments } from './composer.ts';
import type { Draft } from '../shared/draft.ts';
import { renderMessage } from '../shared/message-view.ts';
import { threadTitle } from './format.ts';
import { LIMITS } from '../shared/limits.ts';

export interface ThreadViewOptions {
  thread: ThreadDetail | undefined;
  messages: Message[];
  practice: PracticePublic | undefined;
  userId: string | undefined;
  /** Loading or download failures; empty otherwise. */
  error: string;
  draft: Draft;
  dropActive: boolean;
  onBack: () => void;
  onDownload: (attachment: Attachment) => void;
  onSend: (event: SubmitEvent) => void;
  onInput: (event: Event) => void;
  onFiles: (files: File[]) => void;
  onDropActive: (active: boolean) => void;
  onFocus: () => void;
}

function roleLabel(message: Message, o: ThreadViewOptions): string {
  if (message.authorId && message.authorId === o.userId) return 'you';
  if (message.authorRole === 'practice') return o.practice?.name ?? 'the practice';
  return message.authorRole === 'prospect' ? 'Contact Us' : 'client';
}

/**
 * In place of the composer once a thread is closed. Whatever was being written stays readable so it can be copied
 * elsewhere: a closed thread must not swallow a reply.
 */
function renderClosed(o: ThreadViewOptions) {
  const phone = o.practice?.phone;
  return html`<div part="closed-notice" role="status" tabindex="-1">
    <p>
      This conversation is closed, so it can no longer be answered.
      ${phone ? `To reach ${o.practice?.name ?? 'the practice'}, call ${phone} or` : 'You can'} start a new message.
    </p>
    ${
      o.draft.text
        ? html`<label part="label" for="unsent">Your unsent reply (copy it to keep it)</label>
            <textarea part="textarea unsent" id="unsent" readonly rows="4" .value=${o.draft.text}></textarea>`
        : nothing
    }
  </div>`;
}

function renderComposer(o: ThreadViewOptions) {
  const { draft } = o;
  const bodyError = draft.fieldErrors.body;
  const drop = dropHandlers(o.onFiles, o.onDropActive);
  return html`<form
    part="composer dropzone${o.dropActive ? ' dropzone-active' : ''}"
    novalidate
    aria-label="Reply"
    aria-busy=${draft.sending ? 'true' : 'false'}
    @submit=${o.onSend}
    @focusin=${o.onFocus}
    @dragover=${drop.dragover}
    @dragleave=${drop.dragleave}
    @drop=${drop.drop}
  >
    <div part="field">
      <label part="label" for="reply">Your reply</label>
      <textarea
        part="textarea reply-input"
        id="reply"
        name="body"
        rows="4"
        maxlength=${LIMITS.body}
        .value=${live(draft.text)}
        @input=${o.onInput}
        aria-invalid=${bodyError ? 'true' : 'false'}
        aria-describedby=${ifDefined(bodyError ? 'reply-error' : undefined)}
      ></textarea>
      ${bodyError ? html`<p part="field-error" id="reply-error">Reply ${bodyError}</p>` : nothing}
    </div>
    ${renderAttachments({ draft, id: 'reply', onFiles: o.onFiles, disabled: draft.sending })}
    <div part="error" role="alert" tabindex="-1">${draft.error || nothing}</div>
    <button part="button send-button" type="submit" ?disabled=${draft.sending}>
      ${draft.sending ? 'Sending…' : 'Send reply'}
    </button>
  </form>`;
}

/** One conversation, oldest message first, with the reply form (or the closed notice) below it. */
export function renderThreadView(o: ThreadViewOptions) {
  const { thread } = o;
  let content;
  if (!thread) {
    content = o.error
      ? html`<p part="error" role="alert">${o.error}</p>`
      : html`<p part="loading" role="status">Loading the conversation…</p>`;
  } else {
    content = html`
      ${thread.status === 'closed' ? html`<p part="closed-label">Closed</p>` : nothing}
      <ol part="messages" aria-label="Messages, oldest first">
        ${o.messages.map((message) =>
          renderMessage(message, { userId: o.userId, roleLabel: (m) => roleLabel(m, o), onDownload: o.onDownload }),
        )}
      </ol>
      ${o.error ? html`<p part="error" role="alert">${o.error}</p>` : nothing}
      ${thread.status === 'closed' ? renderClosed(o) : renderComposer(o)}
    `;
  }
  return html`<section part="conversation" aria-labelledby="thread-heading">
    <button part="button secondary-button back-button" type="button" @click=${o.onBack}>
      <span aria-hidden="true">←</span> All messages
    </button>
    <h3 part="heading thread-heading" id="thread-heading" tabindex="-1">
      ${thread ? threadTitle(thread, o.practice) : 'Conversation'}
    </h3>
    ${content}
  </section>`;
}
