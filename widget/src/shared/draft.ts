import { newIdempotencyKey, type UploadOptions } from '@clocktree/client';
import type { Attachment } from '@clocktree/protocol';
import { errorText } from './error-text.ts';
import { formatSize } from './format.ts';
import { LIMITS } from './limits.ts';

export type UploadStatus = 'uploading' | 'done' | 'failed';

export interface Upload {
  /** Unique within the draft: ids for labels and keys for rendering. */
  key: number;
  name: string;
  size: number;
  /** Percent sent, 0–100. */
  percent: number;
  status: UploadStatus;
  attachment?: Attachment;
  error?: string;
  controller: AbortController;
}

export type Uploader = (file: File, options: UploadOptions) => Promise<Attachment>;

let uploadKeys = 0;

const uploadError = (error: unknown) =>
  errorText(error, { overrides: { network: 'The file could not be uploaded: the service could not be reached.' } });

/**
 * What someone is writing, in <ct-messages> and in the console's reply form alike: the text, the files being uploaded for it and the key of its last send attempt. It lives
 * in the widget's memory until sent, so nothing typed is lost when a send fails or the reader looks at another thread;
 * signing out discards it.
 */
export class Draft {
  text = '';
  subject = '';
  serviceId = '';
  uploads: Upload[] = [];
  /** Why the last send failed; empty otherwise. */
  error = '';
  fieldErrors: Partial<Record<string, string>> = {};
  sending = false;

  private attempt: { key: string; fingerprint: string } | undefined;

  constructor(private readonly changed: () => void) {}

  get uploading(): boolean {
    return this.uploads.some((u) => u.status === 'uploading');
  }

  get attachmentIds(): string[] {
    return this.uploads.flatMap((u) => (u.status === 'done' && u.attachment ? [u.attachment.id] : []));
  }

  /** Starts uploading each file at once, so they are ready by the time the message is. */
  add(files: Iterable<File>, upload: Uploader): void {
    for (const file of files) {
      const item: Upload = {
        key: ++uploadKeys,
        name: file.name,
        size: file.size,
        percent: 0,
        status: 'uploading',
        controller: new AbortController(),
      };
      if (this.uploads.filter((u) => u.status !== 'failed').length >= LIMITS.attachments) {
        this.uploads = [...this.uploads, { ...item, status: 'failed', error: `At most ${LIMITS.attachments} files.` }];
        continue;
      }
      if (file.size > LIMITS.attachmentBytes) {
        const error = `Larger than ${formatSize(LIMITS.attachmentBytes)}.`;
        this.uploads = [...this.uploads, { ...item, status: 'failed', error }];
        continue;
      }
      this.uploads = [...this.uploads, item];
      upload(file, {
        signal: item.controller.signal,
        onProgress: ({ loaded, total }) => this.update(item.key, { percent: Math.round((loaded / total) * 100) }),
      }).then(
        (attachment) => this.update(item.key, { status: 'done', percent: 100, attachment }),
        (error: unknown) => {
          if (item.controller.signal.aborted) return;
          this.update(item.key, { status: 'failed', error: uploadError(error) });
        },
      );
    }
    this.changed();
  }

  /** Removes a file before sending; stops its upload if it is still under way. */
  remove(key: number): void {
    this.uploads.find((u) => u.key === key)?.controller.abort();
    this.uploads = this.uploads.filter((u) => u.key !== key);
    this.changed();
  }

  /**
   * The `Idempotency-Key` for sending this draft as it is now: the previous attempt's key while nothing changed (so a
   * second press of Send after a lost answer cannot post twice), a new one once the text or the files changed.
   */
  keyFor(body: unknown): string {
    const fingerprint = JSON.stringify(body);
    if (this.attempt?.fingerprint !== fingerprint) this.attempt = { key: newIdempotencyKey(), fingerprint };
    return this.attempt.key;
  }

  /** After a successful send. */
  clear(): void {
    for (const u of this.uploads) u.controller.abort();
    this.text = this.subject = this.serviceId = this.error = '';
    this.uploads = [];
    this.fieldErrors = {};
    this.attempt = undefined;
    this.changed();
  }

  private update(key: number, patch: Partial<Upload>) {
    this.uploads = this.uploads.map((u) => (u.key === key ? { ...u, ...patch } : u));
    this.changed();
  }
}
