import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import committed from '../../openapi.json' with { type: 'json' };
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { publicErrorBody } from './error-body.js';

/** The production address partners call, as the committed openapi.json names it. */
export const PRODUCTION_BASE_URL = 'https://api.vigil.example';

/**
 * The partners' documentation, open to anyone, under /api/v1: openapi.json and a Swagger UI page
 * that reads it. On Lambda a small function of its own serves it (src/entry/lambda/api-docs/), so
 * the API's bundle carries neither the document nor Swagger UI; locally `npm start` mounts both.
 */
export function mountPublicDocs(root: Hono, svc: { config: Pick<Config, 'publicBaseUrl'>; log: Logger }): void {
  root.route('/api/v1', docsRoutes(svc.config.publicBaseUrl));
}

/**
 * The committed document (drift-tested against the router, test/public/openapi.test.ts), never
 * generated at run time: only its base URL changes, to this deployment's.
 */
function docsRoutes(baseUrl: string): Hono {
  let openapi: string | undefined;
  return new Hono()
    .get('/openapi.json', (c) => {
      openapi ??= JSON.stringify(committed).replaceAll(`"${PRODUCTION_BASE_URL}`, `"${baseUrl}`);
      return c.body(openapi, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
    })
    .get('/docs', (c) => c.html(DOCS_PAGE, 200, { 'Cache-Control': 'public, max-age=300' }))
    .get('/docs/:asset{swagger-ui-bundle\\.js|swagger-ui\\.css}', async (c) => {
      const asset = c.req.param('asset');
      const body = await docsAsset(asset);
      if (!body) return c.json(publicErrorBody('NOT_FOUND', 'docs assets are not bundled here'), 404);
      const type = asset.endsWith('.css') ? 'text/css' : 'text/javascript';
      return c.body(body, 200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'public, max-age=86400' });
    });
}

const assets = new Map<string, Promise<string | null>>();

/** Swagger UI comes from the installed swagger-ui-dist package, read once, never from a CDN. */
function docsAsset(name: string): Promise<string | null> {
  let asset = assets.get(name);
  if (!asset) {
    asset = Promise.resolve()
      .then(() => createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`))
      .then((path) => readFile(path, 'utf8'))
      .catch(() => null);
    assets.set(name, asset);
  }
  return asset;
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Vigil public API</title>
  <link rel="stylesheet" href="/api/v1/docs/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/api/v1/docs/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#docs' });</script>
</body>
</html>`;
