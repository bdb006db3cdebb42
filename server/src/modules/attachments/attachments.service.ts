import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ATTACHMENT_MAX_BYTES, isId, type AttachmentType, type FieldIssue } from '@clocktree/protocol';
import { Types } from 'mongoose';
import type { ServiceDeps } from '../../context.ts';
import { toBuffer } from '../../crypto/envelope.ts';
import { ApiError, forbidden, invalid, notFound } from '../../http/api-error.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserDoc } from '../auth/auth.model.ts';
import type { ThreadDoc } from '../threads/thread.model.ts';
import type { AttachmentDoc, AttachmentModels } from './attachment.model.ts';
import { chunkCount, chunkStore } from './chunk-store.ts';
import { inertName, NAME_MAX_LENGTH } from './file-name.ts';
import { sniff, SNIFF_BYTES, withExtension } from './magic-bytes.ts';
import type { Members } from '../practices/members.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { ClientLinks } from '../clients/client-links.ts';
import type { ThreadQueries } from '../threads/thread-queries.ts';
import { notConnected, type NetworkPeers } from '../network/network-peers.ts';

export interface AttachmentRef {
  id: Types.ObjectId;
  name: string;
  size: number;
  type: AttachmentType;
}

/** What a message keeps of each file: the name stays sealed, as the upload stored it. */
export interface SealedAttachmentRef extends Omit<AttachmentRef, 'name'> {
  nameEnc: Buffer;
}

/** The thread module's read rule (`threads.canRead`), passed in so that this module does not restate it. */
export type CanReadThread = (thread: ThreadDoc, user: UserDoc) => Promise<boolean>;

export interface Download extends AttachmentRef {
  body: Readable;
}

/** Uploads that never made it into a message are deleted after this long (by `sweepUnattached`, on a schedule). */
export const UNATTACHED_TTL_MS = 24 * 60 * 60_000;

export const payloadTooLarge = () =>
  new ApiError('payload_too_large', `A file may be at most ${ATTACHMENT_MAX_BYTES / (1024 * 1024)} MB.`);
export const unsupportedType = () =>
  new ApiError(
    'unsupported_media_type',
    'That kind of file cannot be sent: PDF, images, text, Office, audio or video.',
  );

const toRef = (a: Pick<AttachmentDoc, '_id' | 'size' | 'type'>, name: string): AttachmentRef => ({
  id: a._id,
  name,
  size: a.size,
  type: a.type,
});

export function attachmentsService({
  audit,
  practices,
  clients,
  threads,
  files,
  peers,
  ...deps
}: Omit<ServiceDeps, 'models'> & {
  audit: AuditService;
  practices: Pick<Members, 'isMember'> & Pick<PracticesService, 'load'>;
  clients: Pick<ClientLinks, 'isClientOf'>;
  /** My Network: the two peers of a connection upload for its threads. */
  peers: Pick<NetworkPeers, 'standing'>;
  threads: Pick<ThreadQueries, 'findThread'>;
  /** The module's own models (attachment.model.ts), compiled on the app's connection. */
  files: AttachmentModels;
}) {
  const { clock } = deps;
  const { Attachment, AttachmentChunk } = files;
  const chunks = chunkStore({ Attachment, AttachmentChunk }, deps.crypto);

  /**
   * Members and clients of a practice may upload for it, and the two peers of a My Network connection for their
   * `network` threads (the id is then the connection's, whose data key seals them) while they are connected: a peer
   * of a removed connection is told `not_connected`, until the two connect again. Equality queries only: see README,
   * FerretDB notes.
   */
  async function requireUploader(practiceId: Types.ObjectId, userId: Types.ObjectId) {
    const [member, client, peer] = await Promise.all([
      practices.isMember(practiceId, userId),
      clients.isClientOf(practiceId, userId),
      peers.standing(practiceId, userId),
    ]);
    if (member || client || peer === 'connected') return;
    if (peer === 'removed') throw notConnected();
    await practices.load(String(practiceId)); // not_found for a practice that does not exist
    throw forbidden('Only members and clients of this practice may upload files for it.');
  }

  /** Reads from `source` until `size` bytes are buffered or it ends: enough for the type checks. */
  async function readHead(source: AsyncIterator<Buffer>, size: number) {
    const parts: Buffer[] = [];
    let length = 0;
    while (length < size) {
      const next = await source.next();
      if (next.done) return { head: Buffer.concat(parts, length), ended: true };
      parts.push(next.value);
      length += next.value.length;
    }
    return { head: Buffer.concat(parts, length), ended: false };
  }

  /** Gives back the uploads a message took when that message could not be stored after all (they stay unattached). */
  async function release(messageId: string): Promise<void> {
    await Attachment.updateMany(
      { messageId: new Types.ObjectId(messageId) },
      { $set: { threadId: null, messageId: null, attachedAt: null } },
    );
  }

  return {
    /**
     * Stores one uploaded file: checks its type on its first bytes, then seals and stores it chunk by chunk while it
     * streams in. Past ATTACHMENT_MAX_BYTES it stops with 413 and deletes what it stored; an unknown type is 415
     * before anything is stored.
     */
    async upload(
      stream: AsyncIterable<Buffer>,
      to: { userId: string; practiceId: string; filename: string | undefined; ip: string },
    ): Promise<AttachmentRef> {
      const practiceId = new Types.ObjectId(to.practiceId);
      const uploaderId = new Types.ObjectId(to.userId);
      await requireUploader(practiceId, uploaderId);
      const source = stream[Symbol.asyncIterator]();
      const { head, ended } = await readHead(source, SNIFF_BYTES);
      if (head.length === 0) throw invalid('The file is empty.', [{ path: 'file', message: 'is empty' }]);
      const cleanName = inertName(to.filename);
      const type = sniff(head, cleanName, ended);
      if (!type) throw unsupportedType();
      const name = withExtension(cleanName, type, NAME_MAX_LENGTH);

      const attachment = (
        await Attachment.create({
          practiceId,
          uploaderId,
          nameEnc: await deps.crypto.encryptText(practiceId, name),
          size: 0,
          type,
          status: 'uploading',
          threadId: null,
          messageId: null,
          createdAt: clock.now(),
          attachedAt: null,
        })
      ).toObject();
      const writer = chunks.writer(attachment);
      const hash = createHash('sha256');
      let size = 0;
      try {
        for (let part: Buffer | undefined = head; part;) {
          size += part.length;
          if (size > ATTACHMENT_MAX_BYTES) throw payloadTooLarge();
          hash.update(part);
          await writer.push(part);
          const next = await source.next();
          part = next.done ? undefined : next.value;
        }
        await writer.finish();
        await Attachment.updateOne(
          { _id: attachment._id },
          { $set: { status: 'stored', size, sha256: hash.digest('hex') } },
        );
      } catch (err) {
        await chunks.remove(attachment._id, writer.started);
        await Attachment.deleteOne({ _id: attachment._id });
        throw err;
      }
      await audit.record(
        { userId: to.userId, ip: to.ip },
        { practiceId, action: 'attachment.upload', target: `attachment:${attachment._id}` },
      );
      return toRef({ ...attachment, size }, name);
    },

    /**
     * Binds uploads to a message atomically: each id must have been uploaded by `userId` for `practiceId` and not
     * be attached yet. Throws 400 validation_failed naming `attachmentIds.N` otherwise.
     */
    async attach(
      ids: string[],
      to: { userId: string; practiceId: string; threadId: string; messageId: string },
    ): Promise<SealedAttachmentRef[]> {
      if (ids.length === 0) return [];
      const uploaderId = new Types.ObjectId(to.userId);
      const practiceId = new Types.ObjectId(to.practiceId);
      const messageId = new Types.ObjectId(to.messageId);
      const load = async () =>
        new Map(
          (await Attachment.find({ _id: { $in: ids.filter(isId) } }).lean<AttachmentDoc[]>()).map((a) => [
            String(a._id),
            a,
          ]),
        );
      const attachable = (a: AttachmentDoc | undefined) =>
        a?.status === 'stored' &&
        a.threadId === null &&
        a.uploaderId.equals(uploaderId) &&
        a.practiceId.equals(practiceId);
      /** 400 naming each id that is not attachable, or that repeats an earlier one. */
      const check = (byId: Map<string, AttachmentDoc>) => {
        const fields: FieldIssue[] = ids.flatMap((id, i) =>
          attachable(byId.get(id)) && ids.indexOf(id) === i
            ? []
            : [{ path: `attachmentIds.${i}`, message: 'is not a file you uploaded here, or is already attached' }],
        );
        if (fields.length) throw invalid('Some attachments cannot be added to this message.', fields);
      };

      const byId = await load();
      check(byId);
      const result = await Attachment.updateMany(
        { _id: { $in: [...byId.keys()] }, uploaderId, practiceId, threadId: null, status: 'stored' },
        { $set: { threadId: new Types.ObjectId(to.threadId), messageId, attachedAt: clock.now() } },
      );
      if (result.modifiedCount !== ids.length) {
        // Another message (or the sweeper) took some between the check and the update: give back what this call
        // took, then name the ones that are gone.
        await release(to.messageId);
        check(await load());
        throw invalid(
          'Some attachments changed while sending; try again.',
          ids.map((_, i) => ({ path: `attachmentIds.${i}`, message: 'changed while sending' })),
        );
      }
      return ids.map((id) => {
        const { _id, nameEnc, size, type } = byId.get(id)!;
        return { id: _id, nameEnc: toBuffer(nameEnc), size, type };
      });
    },

    release,

    /** Deletes an upload that was stored but whose request failed after all (e.g. an extra part after the file). */
    async discard(id: Types.ObjectId): Promise<void> {
      const claimed = await Attachment.findOneAndUpdate(
        { _id: id, threadId: null },
        { $set: { status: 'deleting' } },
      ).lean<AttachmentDoc>();
      if (!claimed) return;
      await chunks.remove(id, chunkCount(claimed.size));
      await Attachment.deleteOne({ _id: id, status: 'deleting' });
    },

    /**
     * The file for a reader of the thread it is attached to, or for its uploader while it is not attached yet.
     * Everyone else is told it does not exist. The first chunk is opened before returning, so a damaged file is an
     * error response rather than a cut-off download.
     */
    async download(aid: string, user: UserDoc, canReadThread: CanReadThread, ip: string): Promise<Download> {
      if (!isId(aid)) throw notFound('attachment');
      const attachment = await Attachment.findById(aid).lean<AttachmentDoc>();
      if (attachment?.status !== 'stored') throw notFound('attachment');
      if (attachment.threadId) {
        const thread = await threads.findThread(attachment.threadId);
        if (!thread || !(await canReadThread(thread, user))) throw notFound('attachment');
      } else if (!attachment.uploaderId.equals(user._id)) {
        throw notFound('attachment');
      }
      const plain = chunks.read(attachment);
      const first = await plain.next();
      await audit.record(
        { userId: String(user._id), ip },
        { practiceId: attachment.practiceId, action: 'attachment.download', target: `attachment:${attachment._id}` },
      );
      const body = Readable.from(
        (async function* () {
          if (!first.done) yield first.value;
          yield* plain;
        })(),
        { objectMode: false },
      );
      return { ...toRef(attachment, await deps.crypto.decryptText(attachment.practiceId, attachment.nameEnc)), body };
    },

    /**
     * Deletes uploads never attached within UNATTACHED_TTL_MS (and uploads a crash left half-written). FerretDB has
     * no TTL indexes, so the scheduler calls this. Each one is first marked `deleting`, which `attach` refuses, so a
     * file cannot be attached while its chunks are going; a crash mid-way leaves it marked for the next sweep.
     */
    async sweepUnattached(): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - UNATTACHED_TTL_MS);
      const stale = await Attachment.find({ threadId: null, createdAt: { $lt: cutoff } }).lean<AttachmentDoc[]>();
      let removed = 0;
      for (const attachment of stale) {
        const claimed = await Attachment.updateOne(
          { _id: attachment._id, threadId: null },
          { $set: { status: 'deleting' } },
        );
        if (claimed.matchedCount === 0) continue;
        // A stored file's size tells how many chunks it has; a half-written one's chunks are counted instead.
        await chunks.remove(attachment._id, attachment.size > 0 ? chunkCount(attachment.size) : undefined);
        await Attachment.deleteOne({ _id: attachment._id, status: 'deleting' });
        removed++;
      }
      return removed;
    },
  };
}

export type AttachmentsService = ReturnType<typeof attachmentsService>;
