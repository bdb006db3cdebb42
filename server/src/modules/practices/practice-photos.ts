import { PHOTO_MAX_BYTES, PHOTO_MAX_SIDE, PHOTO_STORED_SIDE, PHOTO_UPLOAD_TYPES } from '@clocktree/protocol';
import { Types } from 'mongoose';
import sharp from 'sharp';
import type { Actor, ServiceBase } from '../../context.ts';
import { ApiError, invalid, notFound } from '../../http/api-error.ts';
import { toBuffer } from '../../crypto/envelope.ts';
import { isDuplicateKey } from '../../database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { sniff, SNIFF_BYTES } from '../attachments/magic-bytes.ts';
import type { PracticeDoc } from './practice.model.ts';
import type { PhotoType, PracticePhotoDoc } from './practice-photo.model.ts';

const unsupported = () =>
  new ApiError('unsupported_media_type', 'Send the photo as a PNG, JPEG or WebP image (the body is the image itself).');
const undecodable = () =>
  invalid('The image could not be read.', [{ path: '', message: 'is not a complete PNG, JPEG or WebP image' }]);
export const photoTooLarge = () =>
  new ApiError('payload_too_large', `The photo must be at most ${PHOTO_MAX_BYTES / (1024 * 1024)} MB.`);

/** The photo as stored: re-encoded by sharp, which writes no metadata (EXIF, GPS, ICC comments) unless asked to. */
async function reencode(
  bytes: Buffer,
  type: string,
): Promise<{ data: Buffer; type: PhotoType; width: number; height: number }> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes).metadata());
  } catch {
    throw undecodable();
  }
  if (!width || !height) throw undecodable();
  if (width > PHOTO_MAX_SIDE || height > PHOTO_MAX_SIDE)
    throw invalid(`The image may be at most ${PHOTO_MAX_SIDE}×${PHOTO_MAX_SIDE} pixels.`, [
      { path: '', message: `is ${width}×${height} pixels` },
    ]);
  // A JPEG stays a JPEG; PNG and WebP (which may be transparent) become WebP.
  const out: PhotoType = type === 'image/jpeg' ? 'image/jpeg' : 'image/webp';
  try {
    const image = sharp(bytes, { failOn: 'error', limitInputPixels: PHOTO_MAX_SIDE * PHOTO_MAX_SIDE })
      .autoOrient()
      .resize(PHOTO_STORED_SIDE, PHOTO_STORED_SIDE, { fit: 'inside', withoutEnlargement: true });
    const { data, info } = await (
      out === 'image/jpeg' ? image.jpeg({ quality: 82, mozjpeg: true }) : image.webp({ quality: 82 })
    ).toBuffer({ resolveWithObject: true });
    return { data, type: out, width: info.width, height: info.height };
  } catch {
    throw undecodable();
  }
}

/**
 * A practice's photo (issue 11): admins upload and remove it; anyone may fetch it, as it is shown on the practice's
 * own website. Uploads are checked by their first bytes and by their decoded size, then re-encoded.
 */
export function practicePhotos({
  models,
  clock,
  audit,
  profileChanged,
}: Pick<ServiceBase<'Practice' | 'PracticePhoto'>, 'models' | 'clock'> & {
  audit: AuditService;
  /** Told when the photo changes (the directory's cards show it: modules/directory). */
  profileChanged?: (practice: PracticeDoc) => Promise<void>;
}) {
  const { Practice, PracticePhoto } = models;

  return {
    /** Replaces the photo; `declaredType` is the request's Content-Type, which must agree with the bytes. */
    async put(practiceId: string, bytes: Buffer, declaredType: string, actor: Actor): Promise<PracticeDoc> {
      if (bytes.length > PHOTO_MAX_BYTES) throw photoTooLarge();
      const sniffed = sniff(bytes.subarray(0, SNIFF_BYTES), '', bytes.length <= SNIFF_BYTES);
      if (!(PHOTO_UPLOAD_TYPES as readonly string[]).includes(declaredType)) throw unsupported();
      // Some other kind of file, or another of the three image types than declared. A file that starts as the
      // declared type but does not decode is a 400 (reencode).
      if (sniffed !== declaredType) throw unsupported();
      const photo = await reencode(bytes, declaredType);
      const bumped = await Practice.findByIdAndUpdate(
        practiceId,
        { $inc: { photoRev: 1 } },
        { returnDocument: 'after' },
      ).lean<PracticeDoc>();
      if (!bumped) throw notFound('practice');
      const rev = bumped.photoRev;
      const _id = new Types.ObjectId(practiceId);
      // Only over an older photo: of two uploads at once, the later revision stays. Two first uploads both try to
      // insert; the loser of that (duplicate key) tries again against the document the winner stored.
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await PracticePhoto.updateOne(
            { _id, rev: { $lt: rev } },
            { $set: { ...photo, rev, updatedAt: clock.now() } },
            { upsert: true },
          );
          break;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      const practice = await Practice.findByIdAndUpdate(
        practiceId,
        { $set: { hasPhoto: true } },
        { returnDocument: 'after' },
      ).lean<PracticeDoc>();
      if (!practice) throw notFound('practice');
      await audit.record(actor, { practiceId, action: 'practice.photo.update', target: `practice:${practiceId}` });
      await profileChanged?.(practice);
      return practice;
    },

    async remove(practiceId: string, actor: Actor): Promise<void> {
      await PracticePhoto.deleteOne({ _id: new Types.ObjectId(practiceId) });
      // photoRev is kept: a later upload gets a new URL, never one a browser may still hold the old photo under.
      const practice = await Practice.findByIdAndUpdate(
        practiceId,
        { $set: { hasPhoto: false } },
        { returnDocument: 'after' },
      ).lean<PracticeDoc>();
      await audit.record(actor, { practiceId, action: 'practice.photo.delete', target: `practice:${practiceId}` });
      if (practice) await profileChanged?.(practice);
    },

    async get(practiceId: string): Promise<PracticePhotoDoc> {
      const photo = await PracticePhoto.findById(practiceId).lean<PracticePhotoDoc>();
      if (!photo) throw notFound('photo');
      return { ...photo, data: toBuffer(photo.data) };
    },
  };
}

export type PracticePhotos = ReturnType<typeof practicePhotos>;
