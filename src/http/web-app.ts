import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
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

type File = { body: Uint8Array; type: string; cache: string };

/** Every file of the built app (a few hundred KB), read once at start. */
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
        files.set(path, { body: readFileSync(full), type: TYPES[extname(name)] ?? 'application/octet-stream', cache });
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
      if (c.req.method === 'HEAD') return c.body(null, 200, headers);
      return c.body(file.body as Uint8Array<ArrayBuffer>, 200, headers);
    });
  };
}

/** A browser's navigation asks for text/html; an API client or a missing asset does not. */
function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/html');
}
