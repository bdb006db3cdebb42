import type { Middleware } from 'koa';
import helmet from 'koa-helmet';
import type { AppContext } from './state.ts';

/**
 * What a page of ours may do. `console`: the provider console, never inside a frame (a framed console could be
 * clickjacked into sending or closing). `media`: pages where a call runs or is answered (the console's "Video call",
 * the client portal's ring prompt, the video link page, the A/V test) get camera, microphone and screen sharing, and
 * reach the Janus instances. `site`: everything else, without them.
 */
export type PageKind = 'console' | 'media' | 'site';

/** Example files by kind; any other example page is `site`. */
const EXAMPLE_KINDS: Record<string, PageKind> = {
  'console/index.html': 'console',
  'practice-site/messages.html': 'media',
  'practice-site/av-test.html': 'media',
  'video/index.html': 'media',
};
export const exampleKind = (file: string): PageKind => EXAMPLE_KINDS[file] ?? 'site';

const NO_DEVICES = 'camera=(), microphone=(), display-capture=(), geolocation=(), payment=(), usb=()';
const DEVICES = 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()';

export interface SecurityOptions {
  /** Where browsers reach the service (known once it listens): the pages load the SDK and call the API there. */
  publicUrl: () => string;
  /** Whether PUBLIC_URL is https: only then HSTS and upgrade-insecure-requests (on plain http, as the embedded
   * default runs, they would break the service, and a browser remembers HSTS for a year). */
  https: boolean;
  /** Janus HTTP API URLs as browsers reach them. */
  janusUrls: string[];
}

/**
 * Headers for every response, by helmet (koa-helmet), and a tighter set for each page. Anything that is not a
 * page (API JSON, errors, redirects) gets a policy that loads nothing and may not be framed; the SDK route keeps its
 * own cross-origin resource policy, because practices' sites load it.
 */
export function securityHeaders({ publicUrl, https, janusUrls }: SecurityOptions) {
  const everyResponse = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });

  const service = () => publicUrl();
  const serviceWs = () => publicUrl().replace(/^http/, 'ws');
  const janus = [...new Set(janusUrls.map((u) => new URL(u).origin))];

  /** No inline script or style and no eval: the widgets style themselves with adopted stylesheets. */
  const pagePolicy = (kind: PageKind) =>
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", service],
        styleSrc: ["'self'", service],
        connectSrc: ["'self'", service, serviceWs, ...(kind === 'site' ? [] : janus)],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: [kind === 'console' ? "'none'" : "'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    });
  const policies = { console: pagePolicy('console'), media: pagePolicy('media'), site: pagePolicy('site') };

  return {
    /** For every response: the strict defaults, HSTS when the service is https. Helmet has no Permissions-Policy. */
    all: (async (ctx, next) => {
      ctx.set('Permissions-Policy', NO_DEVICES);
      await everyResponse(ctx, next);
    }) as Middleware,

    /** For an HTML page of the given kind, replacing the defaults set by `all`. */
    async page(ctx: AppContext, kind: PageKind): Promise<void> {
      await policies[kind](ctx, async () => {});
      ctx.set('X-Frame-Options', kind === 'console' ? 'DENY' : 'SAMEORIGIN');
      ctx.set('Permissions-Policy', kind === 'site' ? NO_DEVICES : DEVICES);
    },
  };
}

export type SecurityHeaders = ReturnType<typeof securityHeaders>;
