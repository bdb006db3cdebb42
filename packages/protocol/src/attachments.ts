import { z } from 'zod';

export const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;

/** Types accepted, decided from the file's first bytes on the server, never from its name or declared type. */
export const ATTACHMENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'audio/mpeg',
  'audio/wav',
  'audio/ogg',
  'audio/mp4',
  'video/mp4',
  'video/webm',
  'video/quicktime',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const AttachmentUploadResult = z.object({
  attachment: z.object({ id: z.string(), name: z.string(), size: z.number(), type: z.string() }),
});
