import { Hono, type Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { appErrorOf, retryAfterHeader } from '../http/errors.js';
import { describeError, type Logger } from '../log.js';
import type { Services } from '../services.js';
import { monitorBadge, pageBadge, renderBadge } from './badge.js';
import { CACHE_CONTROL, etagOf, notModified } from './caching.js';
import { renderFeed } from './feed.js';
import { HTML_VERSION, renderNotFound, renderProblem, renderStatusPage } from './html.js';
import { loadPublicStatus, publicStatusOutput, type LoadedPage } from './read-model.js';
import { STATUS_CSS, STATUS_CSS_HASH } from './stylesheet.js';

const SLUG = ':slug{[a-z0-9-]{3,40}}';

/** No script may run, styles come only from us, and only the owner's origins may frame the page. */
export function contentSecurityPolicy(frameAncestors: string[]): string {
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  return `default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`;
}
const LOCKED_DOWN = "default-src 'none'; frame-ancestors 'none'";

/**
 * One way to answer from a page: `pick` selects the data the answer is drawn from (null: 404),
 * which with the headers makes the ETag, and only a request that needs a body gets `render`.
 */
type Representation<T> = {
  variant: string;
  type: string;
  pick: (page: LoadedPage) => T | null;
  render: (subject: T) => string | Promise<string>;
  headers: (page: LoadedPage) => Record<string, string>;
};

/**
 * The public, unauthenticated status routes: the page, its JSON, its Atom feed, its badges and
 * its stylesheet. They read the database only, and answer every unknown address with one 404.
 */
export function mountStatusPages(root: Hono, svc: Services): void {
  root.route('/status', statusDoor(svc));
}

/**
 * The status door: HTML errors of its own (the one 404 page; a 503 page with Retry-After when the
 * database is down). It reads no request body, so it needs no body limit.
 */
function statusDoor(svc: Services): Hono {
  const door = new Hono();
  door.onError((error, c) => errorPage(c, svc.log, error));
  const serve = <T>(c: Context, slug: string, r: Representation<T>) => servePage(svc, c, slug, r);

  door.get('/assets/:file', (c) => {
    if (c.req.param('file') !== `status.${STATUS_CSS_HASH}.css`) return notFoundPage(c);
    return c.body(STATUS_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable' });
  });

  door.get(`/${SLUG}`, (c) =>
    serve(c, c.req.param('slug'), {
      variant: 'html',
      type: 'text/html; charset=utf-8',
      // The markup's version is part of the tag: a deploy must not leave an old page "not modified".
      pick: (p) => ({ data: p.data, version: HTML_VERSION }),
      render: async ({ data }) => String(await renderStatusPage(data)),
      headers: (p) => ({ 'Content-Security-Policy': contentSecurityPolicy(p.frameAncestors) }),
    }),
  );

  door.get('/:file{[a-z0-9-]{3,40}\\.json}', (c) =>
    serve(c, c.req.param('file').slice(0, -'.json'.length), {
      variant: 'json',
      type: 'application/json; charset=utf-8',
      pick: (p) => p.data,
      render: (data) => JSON.stringify(publicStatusOutput.parse(data)),
      // Anyone may embed the figures: public data, no credentials involved.
      headers: () => ({ 'Access-Control-Allow-Origin': '*', 'Content-Security-Policy': LOCKED_DOWN }),
    }),
  );

  door.get(`/${SLUG}/feed.atom`, (c) =>
    serve(c, c.req.param('slug'), {
      variant: 'atom',
      type: 'application/atom+xml; charset=utf-8',
      pick: (p) => ({ page: p.data.page, incidents: p.data.incidents, pageUpdatedAt: p.pageUpdatedAt }),
      render: (feed) => renderFeed(feed, svc.config.publicBaseUrl),
      headers: () => ({ 'Content-Security-Policy': LOCKED_DOWN }),
    }),
  );

  const badge = { variant: 'badge', type: 'image/svg+xml; charset=utf-8', render: renderBadge, headers: () => ({ 'Content-Security-Policy': LOCKED_DOWN }) };
  door.get(`/${SLUG}/badge.svg`, (c) => serve(c, c.req.param('slug'), { ...badge, pick: (p) => pageBadge(p.data) }));
  door.get(`/${SLUG}/monitors/:monitorId/badge.svg`, (c) => {
    const id = c.req.param('monitorId');
    return serve(c, c.req.param('slug'), {
      ...badge,
      pick: (p) => {
        const m = p.data.monitors.find((x) => x.id === id);
        return m ? monitorBadge(m) : null;
      },
    });
  });

  door.all('*', notFoundPage);
  return door;
}

/** Loads the page, answers 304 when the client holds this version, and renders only otherwise. */
async function servePage<T>(svc: Services, c: Context, slug: string, r: Representation<T>): Promise<Response> {
  const page = await loadPublicStatus(svc, slug);
  const subject = page && r.pick(page);
  if (!page || subject === null) return notFoundPage(c);
  const extra = r.headers(page);
  const headers = { ETag: etagOf(r.variant, subject, extra), 'Cache-Control': CACHE_CONTROL, ...extra };
  if (notModified(c.req.header('if-none-match'), headers.ETag)) return c.body(null, 304, headers);
  return c.body(await r.render(subject), 200, { 'Content-Type': r.type, ...headers });
}

/** Unknown slug, deleted page, a badge of a monitor not on the page: one answer, no hint. */
export async function notFoundPage(c: Context): Promise<Response> {
  return htmlPage(c, await renderNotFound(), 404);
}

/**
 * The door's answer to a failure: a database that is down is a 503 with Retry-After (no-store, so a
 * CDN asks again); anything else is logged and a 500 without details.
 */
async function errorPage(c: Context, log: Logger, error: unknown): Promise<Response> {
  const where = `${c.req.method} ${c.req.path}`;
  const app = appErrorOf(error, log, where);
  if (app?.code === 'UNAVAILABLE') {
    return htmlPage(c, await renderProblem('Temporarily unavailable', app.message), 503, retryAfterHeader(app));
  }
  // No route here throws any other AppError on purpose: it is a bug, logged as one.
  if (app) log.error('request.failed', { where, ...describeError(app) });
  return htmlPage(c, await renderProblem('Something went wrong', 'Please try again later.'), 500);
}

function htmlPage(c: Context, body: HtmlEscapedString, status: ContentfulStatusCode, headers: Record<string, string> = {}): Response {
  return c.body(String(body), status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': contentSecurityPolicy([]),
  });
}
