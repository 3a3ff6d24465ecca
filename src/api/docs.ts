// /api/docs: Swagger UI from the swagger-ui-dist package, served locally (no CDN), started by a script
// file rather than an inline one so the page keeps the strict Content-Security-Policy.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { openApiDocument } from './openapi.ts';

const require = createRequire(import.meta.url);
const distDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fairslot API</title><link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body></html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });`;

export const docsRoutes = new Hono<AppEnv>()
  .get('/openapi.json', (c) => c.json(openApiDocument({ devMode: Boolean(c.get('deps').clock?.virtual) })))
  .get('/docs', (c) => c.html(page))
  // init.js is served by the same route as the files: a static route beside `:asset` would make hono's
  // RegExpRouter refuse the app.
  .get('/docs/:asset', async (c) => {
    const asset = c.req.param('asset');
    if (asset === 'init.js') {
      c.header('content-type', 'text/javascript; charset=utf-8');
      return c.body(init);
    }
    const type = Object.hasOwn(ASSETS, asset) ? ASSETS[asset] : undefined;
    if (!type) return c.json({ error: { code: 'not_found', message: 'no such file' } }, 404);
    c.header('content-type', type);
    c.header('cache-control', 'public, max-age=86400');
    return c.body(await readFile(path.join(distDir, asset)));
  });
