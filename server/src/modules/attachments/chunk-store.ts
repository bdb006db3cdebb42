import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Envelope } from '../../crypto/envelope.ts';
import { chunkId, type AttachmentDoc, type AttachmentModels } from './attachment.model.ts';

/**
 * Upload bytes as a series of sealed chunks. Each chunk's plaintext starts with a header naming the attachment, the
 * chunk's number and whether it is the last one; the envelope's AES-GCM tag covers that header along with the data,
 * so a chunk moved to another attachment or position, or a file cut short, fails to open instead of being served.
 * (The envelope already binds every ciphertext to its practice.)
 */
const HEADER_BYTES = 12 + 4 + 1; // attachment ObjectId | n (uint32 BE) | last (0 or 1)

/** File bytes per chunk, so that a chunk's whole plaintext, header included, is at most 1 MiB. */
export const CHUNK_BYTES = 1024 * 1024 - HEADER_BYTES;

/** Chunks requested ahead of the one being sent (each up to 1 MiB held in memory per download). */
const READ_AHEAD = 2;

export const chunkCount = (size: number) => Math.max(1, Math.ceil(size / CHUNK_BYTES));

function header(attachmentId: Types.ObjectId, n: number, last: boolean): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  Buffer.from(attachmentId.id).copy(head, 0);
  head.writeUInt32BE(n, 12);
  head[16] = last ? 1 : 0;
  return head;
}

export class IntegrityError extends Error {}

export function chunkStore({ AttachmentChunk }: AttachmentModels, crypto: Envelope) {
  return {
    /** Cuts what it is given into chunks and stores each as soon as it is full; the last one waits for `finish`. */
    writer(attachment: Pick<AttachmentDoc, '_id' | 'practiceId'>) {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let started = 0;

      async function put(data: Buffer, last: boolean) {
        const n = started++;
        const sealed = await crypto.encrypt(
          attachment.practiceId,
          Buffer.concat([header(attachment._id, n, last), data]),
        );
        await AttachmentChunk.create({
          _id: chunkId(attachment._id, n),
          attachmentId: attachment._id,
          n,
          data: sealed,
        });
      }

      return {
        /** How many chunks were begun: what a clean-up must delete, whether or not their write completed. */
        get started() {
          return started;
        },
        async push(data: Buffer) {
          pending.push(data);
          pendingBytes += data.length;
          // Strictly more than a chunk: the final chunk is written by finish(), flagged as the last.
          while (pendingBytes > CHUNK_BYTES) {
            const all = Buffer.concat(pending, pendingBytes);
            await put(all.subarray(0, CHUNK_BYTES), false);
            pending = [all.subarray(CHUNK_BYTES)];
            pendingBytes -= CHUNK_BYTES;
          }
        },
        async finish() {
          await put(Buffer.concat(pending, pendingBytes), true);
          pending = [];
        },
      };
    },

    /**
     * The plaintext, chunk by chunk, a couple of chunks fetched ahead. Throws IntegrityError when a chunk is
     * missing, altered or out of place, or when the whole does not match the stored size and SHA-256.
     */
    async *read(attachment: Pick<AttachmentDoc, '_id' | 'practiceId' | 'size' | 'sha256'>): AsyncGenerator<Buffer> {
      const count = chunkCount(attachment.size);
      const fetch = async (n: number) => {
        const doc = await AttachmentChunk.findById(chunkId(attachment._id, n)).lean();
        if (!doc) throw new IntegrityError(`chunk ${n} of attachment ${attachment._id} is missing`);
        const plain = await crypto.decrypt(attachment.practiceId, doc.data).catch(() => {
          throw new IntegrityError(`chunk ${n} of attachment ${attachment._id} does not open`);
        });
        if (!plain.subarray(0, HEADER_BYTES).equals(header(attachment._id, n, n === count - 1)))
          throw new IntegrityError(`chunk ${n} of attachment ${attachment._id} is out of place`);
        return plain.subarray(HEADER_BYTES);
      };
      const hash = createHash('sha256');
      let size = 0;
      // A few chunks in flight: on FerretDB/SQLite reading a 1 MiB document costs far more than sealing one.
      const ahead: Promise<Buffer>[] = [];
      const request = (n: number) => {
        if (n >= count) return;
        const pending = fetch(n);
        pending.catch(() => {}); // awaited in turn; a reader that stops early must not leave it unhandled
        ahead.push(pending);
      };
      for (let n = 0; n < READ_AHEAD; n++) request(n);
      for (let n = 0; n < count; n++) {
        const current = await ahead.shift()!;
        request(n + READ_AHEAD);
        hash.update(current);
        size += current.length;
        if (n + 1 === count && (size !== attachment.size || hash.digest('hex') !== attachment.sha256))
          throw new IntegrityError(`attachment ${attachment._id} does not match its size and digest`);
        yield current;
      }
    },

    /**
     * Deletes an attachment's chunks by `_id`, last first. Chunks are written in order, so what is stored is always
     * chunks 0…k-1; deleting from the end keeps it so when a deletion is interrupted. Without a `count` (an upload a
     * crash cut short) k is found by probing upwards. Only `_id` lookups that hit are cheap on FerretDB's SQLite
     * backend (a miss, like any other filter, reads the whole collection), hence no blind deletes.
     */
    async remove(attachmentId: Types.ObjectId, count?: number) {
      let k = count ?? 0;
      if (count === undefined) while (await AttachmentChunk.exists({ _id: chunkId(attachmentId, k) })) k++;
      for (let n = k - 1; n >= 0; n--) await AttachmentChunk.deleteOne({ _id: chunkId(attachmentId, n) });
    },
  };
}

export type ChunkStore = ReturnType<typeof chunkStore>;
