import { Hono, type Context } from 'hono';
import type { Services } from '../services.js';
import { CACHE_CONTROL, etagOf, notModified } from './caching.js';
import { HTML_VERSION, renderNotFound, renderStatusPage } from './html.js';
import { loadPublicStatus, publicStatusOutput, type LoadedPage } from './read-model.js';
import { STATUS_CSS, STATUS_CSS_HASH } from './stylesheet.js';

const SLUG = ':slug{[a-z0-9-]{3,40}}';

/** No script may run, styles come only from us, and only the owner's origins may frame the page. */
export function contentSecurityPolicy(frameAncestors: string[]): string {
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  return `default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`;
}

type Representation = { variant: string; key?: unknown[]; type: string; body: (page: LoadedPage) => string | Promise<string> | null; headers?: (page: LoadedPage) => Record<string, string> };

/**
 * The public, unauthenticated status routes: the page, its JSON, its Atom feed, its badges and
 * its stylesheet. They read the database only, and answer every unknown address with one 404.
 */
export function mountStatusPages(app: Hono, svc: Services): void {
  const routes = new Hono();

  routes.get('/status/assets/:file', (c) => {
    if (c.req.param('file') !== `status.${STATUS_CSS_HASH}.css`) return notFoundPage(c);
    return c.body(STATUS_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable' });
  });

  const serve = (c: Context, slug: string, r: Representation) => servePage(svc, c, slug, r);

  routes.get('/status/:file{[a-z0-9-]{3,40}\\.json}', (c) =>
    serve(c, c.req.param('file').slice(0, -'.json'.length), {
      variant: 'json',
      type: 'application/json; charset=utf-8',
      body: (p) => JSON.stringify(publicStatusOutput.parse(p.data)),
      // Anyone may embed the figures: public data, no credentials involved.
      headers: () => ({ 'Access-Control-Allow-Origin': '*' }),
    }),
  );

  routes.get(`/status/${SLUG}`, (c) =>
    serve(c, c.req.param('slug'), {
      variant: 'html',
      key: [HTML_VERSION],
      type: 'text/html; charset=utf-8',
      body: async (p) => String(await renderStatusPage(p.data)),
      headers: (p) => ({ 'Content-Security-Policy': contentSecurityPolicy(p.frameAncestors) }),
    }),
  );

  routes.all('/status', notFoundPage);
  routes.all('/status/*', notFoundPage);
  app.route('/', routes);
}

/** Loads the page, answers 304 when the client holds this version, and renders only otherwise. */
async function servePage(svc: Services, c: Context, slug: string, r: Representation): Promise<Response> {
  const page = await loadPublicStatus(svc, slug);
  if (!page) return notFoundPage(c);
  const extra = r.headers?.(page) ?? {};
  const etag = etagOf(r.variant, page.data, page.frameAncestors, ...(r.key ?? []));
  const headers = { ETag: etag, 'Cache-Control': CACHE_CONTROL, ...extra };
  if (notModified(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  const body = await r.body(page);
  if (body === null) return notFoundPage(c);
  return c.body(body, 200, { 'Content-Type': r.type, ...headers });
}

/** Unknown slug, deleted page, a badge of a monitor not on the page: one answer, no hint. */
export async function notFoundPage(c: Context): Promise<Response> {
  return c.body(String(await renderNotFound()), 404, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': contentSecurityPolicy([]),
  });
}
