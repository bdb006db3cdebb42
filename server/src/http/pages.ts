import path from 'node:path';
import { isId } from '@clocktree/protocol';
import type { AppRouter } from './router.ts';
import { exampleKind, type SecurityHeaders } from './security-headers.ts';
import type { AppContext } from './state.ts';
import { renderExample } from './static-files.ts';

export interface PageOptions {
  examplesDir: string;
  publicUrl: () => string;
  headers: SecurityHeaders;
  /** Practice shown when the URL names none (the embedded demo). */
  demoPracticeId?: () => string | undefined;
}

/** The pages the service serves itself: the example practice site, the client portal, the console, video. */
export function pageRoutes(site: AppRouter, { examplesDir, publicUrl, headers, demoPracticeId }: PageOptions) {
  const page = (file: string) => async (ctx: AppContext) => {
    const requested =
      typeof ctx.query.practice === 'string' && isId(ctx.query.practice) ? ctx.query.practice : undefined;
    const text = await renderExample(path.join(examplesDir, file), publicUrl(), requested ?? demoPracticeId?.() ?? '');
    if (text === undefined) return;
    ctx.body = text;
    if (file.endsWith('.html')) {
      ctx.type = 'html';
      await headers.page(ctx, exampleKind(file));
    } else {
      ctx.type = file.endsWith('.js') ? 'text/javascript' : 'text/css';
      // Copies of the example pages on a practice's own origin load these, as they load the SDK.
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    }
  };
  site.get('/examples/practice-site/', page('practice-site/index.html'));
  site.get('/examples/directory/', page('directory/index.html'));
  site.get('/console', page('console/index.html'));
  site.get('/messages/', page('practice-site/messages.html'));
  // The reminder e-mails' quick link (Appointment.joinUrl).
  site.get('/video/', page('video/index.html'));
  site.get('/examples/:site/:file', async (ctx, next) => {
    const { site: name, file } = ctx.params;
    if (!/^[a-z0-9-]+$/.test(name ?? '') || !/^[a-z0-9-]+\.(html|js|css)$/.test(file ?? '')) return next();
    await page(`${name}/${file}`)(ctx);
  });
  site.get('/', (ctx) => ctx.redirect('/examples/practice-site/'));
}
