import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import type { Hono } from 'hono';

/** The API's own prefixes: they answer their own JSON 404, never the app's page. */
const API_PREFIXES = ['/internal', '/auth', '/api', '/oauth', '/status', '/ping', '/healthz'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The app's page may run only its own scripts and styles and talk only to its own origin; it is
 * never framed. The token of a mailed link lives in the fragment and is never sent as a Referer.
 */
const APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

type File = { body: Uint8Array; gzipped?: Uint8Array; type: string; cache: string };

/** Text a browser may take gzipped, and worth it (a smaller file gains less than the header costs). */
const worthGzip = (type: string, size: number) => size >= 1024 && /^(text\/|image\/svg|application\/json)/.test(type);

/** Every file of the built app (a few hundred KB), read once at start, text gzipped once then (~60 ms). */
function readBuild(dir: string): Map<string, File> {
  const files = new Map<string, File>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const path = '/' + relative(dir, full).split(sep).join('/');
        // Vite names what it builds under /assets/ by content hash: such a file never changes.
        const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
        const body = readFileSync(full);
        const type = TYPES[extname(name)] ?? 'application/octet-stream';
        files.set(path, { body, type, cache, ...(worthGzip(type, body.length) && { gzipped: gzipSync(body, { level: 9 }) }) });
      }
    }
  };
  walk(dir);
  return files;
}

/**
 * Serves the built web app (web/dist) at `/` on the API's own origin, so the SameSite=Strict
 * session cookie and the Origin check hold as they are. Every other GET that accepts HTML gets the
 * app's index.html, so deep links and mailed links open their screen after a reload. Mounted last,
 * by `npm start` only (on AWS, CloudFront serves the app from S3).
 */
export function mountWebApp(dir: string) {
  return (app: Hono) => {
    const files = readBuild(dir);
    const index = files.get('/index.html');
    if (!index) throw new Error(`${dir} holds no index.html: run npm run build:web`);
    const isApi = (path: string) => API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
    app.on(['GET', 'HEAD'], '*', async (c, next) => {
      const path = c.req.path;
      if (isApi(path)) return next();
      const file = files.get(path) ?? (path !== '/index.html' && wantsHtml(c.req.header('accept')) && !path.startsWith('/assets/') ? index : undefined);
      if (!file) return next();
      const headers: Record<string, string> = { 'Content-Type': file.type, 'Cache-Control': file.cache };
      if (file === index) headers['Content-Security-Policy'] = APP_CSP;
      const gzip = file.gzipped && acceptsGzip(c.req.header('accept-encoding'));
      if (file.gzipped) headers['Vary'] = 'Accept-Encoding';
      if (gzip) headers['Content-Encoding'] = 'gzip';
      if (c.req.method === 'HEAD') return c.body(null, 200, headers);
      return c.body((gzip ? file.gzipped! : file.body) as Uint8Array<ArrayBuffer>, 200, headers);
    });
  };
}

/** `gzip` named and not refused (`gzip;q=0`). */
function acceptsGzip(header: string | undefined): boolean {
  return header !== undefined && header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    return (coding === 'gzip' || coding === '*') && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

const gzipAsync = promisify(gzip);

/**
 * The app's own reads, gzipped when large (a page of 100 monitors: 93 KB, 8 KB gzipped) for the
 * browsers `npm start` serves directly; a steady poll (under 100 bytes) is left as it is. Reads
 * only (GET): a write's answer can hold a secret shown once, never put beside attacker-chosen input
 * in one compressed body; the session cookie is SameSite=Strict, so no other site can make a
 * signed-in browser send a read either.
 */
export const compressAppReads = (app: Hono) => {
  app.use('/internal/*', async (c, next) => {
    await next();
    const res = c.res;
    if (c.req.method !== 'GET' || res.headers.has('Content-Encoding') || !res.headers.get('Content-Type')?.startsWith('application/json')) return;
    if (!acceptsGzip(c.req.header('accept-encoding'))) return;
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length < 1024) {
      c.res = new Response(body, res);
      return;
    }
    const zipped = new Response(new Uint8Array(await gzipAsync(body)), res);
    zipped.headers.set('Content-Encoding', 'gzip');
    zipped.headers.set('Vary', 'Accept-Encoding');
    zipped.headers.delete('Content-Length');
    c.res = zipped;
  });
};

/** A browser's navigation asks for text/html; an API client or a missing asset does not. */
function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/html');
}
