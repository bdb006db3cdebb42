import type { Client } from '@clocktree/client';
import type { Attachment } from '@clocktree/protocol';

/**
 * Saves an attachment. The client fetches it with the bearer token in a header and it is handed to the browser as a
 * blob, because a plain link to the file would need the token in its URL (history, logs, Referer headers).
 */
export async function downloadAttachment(api: Client, attachment: Attachment): Promise<void> {
  const blob = await api.downloadAttachment(attachment.id);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.name;
  link.rel = 'noopener';
  link.click();
  // The download has started by the next task; the bytes are not kept around in the page after that.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
