import { html, nothing } from 'lit';
import type { Draft, Upload } from '../shared/draft.ts';
import { formatSize } from '../shared/format.ts';

export interface AttachOptions {
  draft: Draft;
  /** Prefix of element ids, unique per form. */
  id: string;
  onFiles: (files: File[]) => void;
  disabled: boolean;
}

const hasFiles = (event: DragEvent) => Boolean(event.dataTransfer?.types.includes('Files'));

/**
 * Drag-and-drop handlers for a form: files dropped anywhere on it are attached. `onActive` tells when files are being
 * dragged over it, for the highlight.
 */
export function dropHandlers(onFiles: (files: File[]) => void, onActive: (active: boolean) => void) {
  return {
    dragover: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      // Without this the browser opens the dropped file in the tab, leaving the page and the draft.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      onActive(true);
    },
    dragleave: (event: DragEvent) => {
      const form = event.currentTarget as HTMLElement;
      if (!form.contains(event.relatedTarget as Node | null)) onActive(false);
    },
    drop: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      onActive(false);
      onFiles([...(event.dataTransfer?.files ?? [])]);
    },
  };
}

function renderUpload(upload: Upload, draft: Draft, id: string) {
  const labelId = `${id}-upload-${upload.key}`;
  let status;
  if (upload.status === 'uploading') {
    status = html`<progress
      part="upload-progress"
      max="100"
      .value=${upload.percent}
      aria-labelledby=${labelId}
    ></progress>`;
  } else if (upload.status === 'failed') {
    status = html`<span part="upload-error">${upload.error}</span>`;
  } else {
    status = html`<span part="upload-status">Attached</span>`;
  }
  return html`<li part="upload upload-${upload.status}">
    <span part="upload-name" id=${labelId}
      >${upload.status === 'uploading' ? 'Uploading ' : ''}${upload.name} (${formatSize(upload.size)})</span
    >
    ${status}
    <button
      part="button secondary-button remove-button"
      type="button"
      aria-label="Remove ${upload.name}"
      @click=${() => draft.remove(upload.key)}
    >
      Remove
    </button>
  </li>`;
}

/** The "Attach files" button (a hidden file picker behind it), the drop hint and the list of files with progress. */
export function renderAttachments({ draft, id, onFiles, disabled }: AttachOptions) {
  const pick = (event: Event) => {
    const input = event.target as HTMLInputElement;
    onFiles([...(input.files ?? [])]);
    // Lets the same file be picked again after it was removed.
    input.value = '';
  };
  const open = (event: Event) =>
    (event.currentTarget as HTMLElement).parentElement?.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  return html`
    <div part="attach">
      <button
        part="button secondary-button attach-button"
        type="button"
        ?disabled=${disabled}
        aria-describedby="${id}-drop-hint"
        @click=${open}
      >
        Attach files
      </button>
      <span part="hint" id="${id}-drop-hint">or drop files here</span>
      <input type="file" multiple hidden tabindex="-1" @change=${pick} />
    </div>
    ${
      draft.uploads.length
        ? html`<ul part="uploads" aria-label="Files">
            ${draft.uploads.map((upload) => renderUpload(upload, draft, id))}
          </ul>`
        : nothing
    }
  `;
}
