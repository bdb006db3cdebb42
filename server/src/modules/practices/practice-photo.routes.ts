import { PHOTO_MAX_BYTES } from '@clocktree/protocol';
import type { AppRouter } from '../../http/router.ts';
import { actorOf, type AppContext } from '../../http/state.ts';
import { pathId } from '../../http/validate.ts';
import { practiceAccess } from './practice-access.ts';
import { toPracticeAdmin } from './practice.views.ts';
import { photoTooLarge, type PracticePhotos } from './practice-photos.ts';
import type { PracticesService } from './practices.service.ts';

const PHOTO_PATH = /^\/api\/v1\/practices\/[^/]+\/photo\/?$/;

/**
 * The photo upload's body is the image itself: app.ts sets `ctx.state.rawBodyHandled` for requests this matches,
 * before the JSON body reader runs.
 */
export const isPhotoUpload = (ctx: Pick<AppContext, 'method' | 'path'>) =>
  ctx.method === 'PUT' && PHOTO_PATH.test(ctx.path);

/** A year: each photo has a URL of its own (`?v=`), so a cached one never goes stale. */
const FOREVER = 'public, max-age=31536000, immutable';

/** Reads the whole body, refusing (413) as soon as it passes `limit` bytes. */
async function readBody(ctx: AppContext, limit: number): Promise<Buffer> {
  if (Number(ctx.get('content-length') || 0) > limit) throw photoTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw photoTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** `PUT` answers `{practice}` as `PATCH /practices/:pid` does, its `photoUrl` naming the new photo. */
export function photoRoutes(router: AppRouter, practices: PracticesService, photos: PracticePhotos) {
  const { asAdmin } = practiceAccess(practices);

  router.put('/practices/:pid/photo', async (ctx) => {
    try {
      const pid = await asAdmin(ctx);
      const bytes = await readBody(ctx, PHOTO_MAX_BYTES);
      const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
      const practice = await photos.put(pid, bytes, type, actorOf(ctx));
      const listed = await practices.isListed(practice);
      ctx.body = {
        practice: toPracticeAdmin(practice, listed, await practices.services(practice), practices.publicUrl()),
      };
    } catch (err) {
      // A refused upload may still be streaming in: close the connection rather than read it all.
      if (!ctx.req.complete) ctx.set('Connection', 'close');
      throw err;
    }
  });

  router.delete('/practices/:pid/photo', async (ctx) => {
    const pid = await asAdmin(ctx);
    await photos.remove(pid, actorOf(ctx));
    ctx.status = 204;
  });

  // Public, for any origin (http/cors.ts): the photo is shown on the practice's own website and in the directory.
  router.get('/practices/:pid/photo', async (ctx) => {
    const photo = await photos.get(pathId(ctx.params.pid, 'practice'));
    // An old or missing `v` still gets the current photo, but not for keeps.
    const current = ctx.query.v === String(photo.rev);
    ctx.set({
      'Cache-Control': current ? FOREVER : 'public, max-age=60',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    ctx.type = photo.type;
    ctx.length = photo.data.length;
    ctx.body = photo.data;
  });
}
