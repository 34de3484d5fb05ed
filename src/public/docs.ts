import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import type { ApiServices } from '../services.js';
import { publicErrorBody } from './error-body.js';
import { publicOpenApiDocument } from './openapi.js';

/** The partners' documentation, open to anyone: openapi.json and a Swagger UI page that reads it. */
export function docsRoutes(svc: ApiServices): Hono {
  let openapi: string | undefined;
  return new Hono()
    .get('/openapi.json', (c) => {
      openapi ??= JSON.stringify(publicOpenApiDocument(svc.config.publicBaseUrl));
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
