import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Draft, Upload } from '../shared/draft.ts';
import { formatSize } from '../shared/format.ts';
import { LIMITS } from '../shared/limits.ts';

export interface ReplyFormOptions {
  draft: Draft;
  /** The problem with the reply's text, if any. */
  bodyError: string;
  /** Why sending (or closing, or a download) failed. */
  error: string;
  sending: boolean;
  /** Whether "Close thread" is offered. */
  closable: boolean;
  onSubmit: (event: SubmitEvent) => void;
  onFiles: (event: Event) => void;
  onRemove: (upload: Upload) => void;
  onClose: () => void;
}

/** The console's reply form under an open thread: text, files (uploaded as soon as chosen), Send and Close. */
export function renderReplyForm(o: ReplyFormOptions) {
  return html`<form part="reply-form" aria-label="Reply" novalidate @submit=${o.onSubmit}>
    <div part="field">
      <label part="label" for="reply-body">Reply</label>
      <textarea
        part="textarea"
        id="reply-body"
        name="body"
        rows="4"
        maxlength=${LIMITS.body}
        aria-invalid=${o.bodyError ? 'true' : 'false'}
        aria-describedby=${ifDefined(o.bodyError ? 'reply-body-error' : undefined)}
      ></textarea>
      ${o.bodyError ? html`<p part="field-error" id="reply-body-error">${o.bodyError}</p>` : nothing}
    </div>
    ${renderUploads(o)}
    <div part="error" role="alert" tabindex="-1">${o.error || nothing}</div>
    <div part="actions">
      <button part="button send-button" type="submit" ?disabled=${o.sending}>
        ${o.sending ? 'Sending…' : 'Send reply'}
      </button>
      ${
        o.closable
          ? html`<button part="button secondary-button close-button" type="button" @click=${o.onClose}>
              Close thread
            </button>`
          : nothing
      }
    </div>
  </form>`;
}

function renderUploads(o: ReplyFormOptions) {
  const uploads = o.draft.uploads;
  return html`<div part="field">
    <label part="label" for="reply-files">Attach files (optional)</label>
    <input part="file-input" id="reply-files" type="file" multiple @change=${o.onFiles} />
    ${
      uploads.length
        ? html`<ul part="uploads" aria-label="Attached files">
            ${uploads.map(
              (u) =>
                html`<li part="upload">
                  <span>${u.name}</span>
                  ${
                    u.error
                      ? html`<span part="field-error">: ${u.error}</span>`
                      : u.attachment
                        ? html`<span part="meta">(${formatSize(u.attachment.size)})</span>`
                        : html`<progress
                            part="upload-progress"
                            max="100"
                            .value=${u.percent}
                            aria-label="Uploading ${u.name}"
                          ></progress>`
                  }
                  <button
                    part="button secondary-button remove-upload-button"
                    type="button"
                    aria-label="Remove ${u.name}"
                    @click=${() => o.onRemove(u)}
                  >
                    Remove
                  </button>
                </li>`,
            )}
          </ul>`
        : nothing
    }
  </div>`;
}
