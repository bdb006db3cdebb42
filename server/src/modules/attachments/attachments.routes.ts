import { ATTACHMENT_MAX_BYTES, Id } from '@clocktree/protocol';
import { z } from 'zod';
import type { AppRouter } from '../../http/router.ts';
import { requireUser, type AppContext } from '../../http/state.ts';
import { parse, pathId } from '../../http/validate.ts';
import { payloadTooLarge, type AttachmentsService, type CanReadThread } from './attachments.service.ts';
import { contentDisposition } from './file-name.ts';
import { readSingleFile } from './multipart.ts';

/** For a practice's threads, or (`connectionId`) for the `network` threads of a My Network connection. */
const UploadQuery = z
  .object({ practiceId: Id.optional(), connectionId: Id.optional() })
  .strict()
  .refine((q) => Boolean(q.practiceId) !== Boolean(q.connectionId), {
    path: ['practiceId'],
    message: 'give practiceId or connectionId',
  });

/** Room for the multipart boundaries and part headers around a file of the largest size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * The upload streams its own body, so the app's JSON body reader must leave it alone: app.ts sets
 * `ctx.state.rawBodyHandled` for requests this matches, before the JSON reader runs.
 */
export const isUploadRequest = (ctx: Pick<AppContext, 'method' | 'path'>) =>
  ctx.method === 'POST' && /^\/api\/v1\/attachments\/?$/.test(ctx.path);

export function attachmentsRoutes(
  router: AppRouter,
  attachments: AttachmentsService,
  threads: { canRead: CanReadThread },
) {
  router.post('/attachments', async (ctx) => {
    const user = requireUser(ctx);
    const query = parse(UploadQuery, ctx.query);
    const practiceId = (query.practiceId ?? query.connectionId)!;
    try {
      if (Number(ctx.get('content-length') || 0) > ATTACHMENT_MAX_BYTES + MULTIPART_OVERHEAD_BYTES)
        throw payloadTooLarge();
      const attachment = await readSingleFile(
        ctx.req,
        // One byte past the limit reaches the service, which answers 413 and deletes what it stored.
        ATTACHMENT_MAX_BYTES + 1,
        (file, filename) => attachments.upload(file, { userId: String(user._id), practiceId, filename, ip: ctx.ip }),
        (stored) => attachments.discard(stored.id),
      );
      ctx.status = 201;
      ctx.body = { attachment: { ...attachment, id: String(attachment.id) } };
    } catch (err) {
      // A refused upload may still be streaming in: close the connection rather than read it all.
      if (!ctx.req.complete) ctx.set('Connection', 'close');
      throw err;
    }
  });

  router.get('/attachments/:aid', async (ctx) => {
    const user = requireUser(ctx);
    const file = await attachments.download(pathId(ctx.params.aid, 'attachment'), user, threads.canRead, ctx.ip);
    ctx.set({
      'Content-Disposition': contentDisposition(file.name),
      'X-Content-Type-Options': 'nosniff',
      // Opened in a tab anyway, the file gets no origin, no scripts and nothing loaded from anywhere.
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'no-store',
    });
    ctx.type = file.type === 'text/plain' ? 'text/plain; charset=utf-8' : file.type;
    ctx.length = file.size;
    ctx.body = file.body;
  });
}
