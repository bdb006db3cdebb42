import type { Types } from 'mongoose';
import type { ServiceDeps } from '../../context.ts';
import type { AuditService } from '../audit/audit.service.ts';

export interface AttachmentRef {
  id: Types.ObjectId;
  name: string;
  size: number;
  type: string;
}

/** Stub, to be replaced by the attachments module: upload, magic-byte checks, encrypted storage, download. */
export function attachmentsService(_deps: ServiceDeps, _audit: AuditService) {
  return {
    /**
     * Binds uploads to a message atomically: each id must have been uploaded by `userId` for `practiceId` and not
     * be attached yet. Throws 400 validation_failed naming `attachmentIds.N` otherwise.
     */
    async attach(
      ids: string[],
      _to: { userId: string; practiceId: string; threadId: string; messageId: string },
    ): Promise<AttachmentRef[]> {
      if (ids.length) throw new Error('attachments are not built yet');
      return [];
    },
  };
}

export type AttachmentsService = ReturnType<typeof attachmentsService>;
