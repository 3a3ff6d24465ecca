// The pages: a Hono sub-app serving public/*.html, app.css and the page bundles (build.ts).
// Only exact paths are registered, so it never shadows /api/*, /healthz or /readyz, and unknown paths
// still reach the main app's JSON 404.
//
// Caching for people paying per megabyte: HTML revalidates every time (tiny, and it names the current
// bundles); bundles and CSS are referenced with ?v=<content hash> and cached for a year; everything is
// precompressed (brotli, gzip) once per process.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Context, Hono } from 'hono';
import { FROM_SOURCE } from '../runtime-files.ts';
import {
  type Asset,
  type BundleName,
  buildBundles,
  compressAsset,
  ENTRY_POINTS,
  PUBLIC_DIR,
} from './build.ts';

const PAGES = {
  '/': 'index.html',
  '/officer': 'officer.html',
  '/admin': 'admin.html',
  '/verify': 'verify.html',
};

interface Site {
  pages: Map<string, Asset>;
  css: Asset;
  bundles: Map<BundleName, Asset>;
}

export interface WebOptions {
  publicDir?: string;
  /** Where build failures are reported; the page then answers 500 until the process restarts. */
  onError?: (err: unknown) => void;
}

const YEAR = 'public, max-age=31536000, immutable';

/** Run from source the bundles are built now; a build serves those `npm run build` wrote to build/. */
async function bundles(publicDir: string): Promise<Map<BundleName, Asset>> {
  if (FROM_SOURCE) return buildBundles({ publicDir });
  const built = new Map<BundleName, Asset>();
  for (const n of ENTRY_POINTS) {
    const body = new Uint8Array(await readFile(path.join(publicDir, 'build', `${n}.js`)));
    built.set(n, compressAsset(body, 'text/javascript; charset=utf-8'));
  }
  return built;
}

async function loadSite(publicDir: string): Promise<Site> {
  const [built, cssText] = await Promise.all([bundles(publicDir), readFile(path.join(publicDir, 'app.css'))]);
  const css = compressAsset(new Uint8Array(cssText), 'text/css; charset=utf-8');
  const pages = new Map<string, Asset>();
  for (const [route, file] of Object.entries(PAGES)) {
    let html = await readFile(path.join(publicDir, file), 'utf8');
    html = html.replace('href="/app.css"', `href="/app.css?v=${css.hash}"`);
    html = html.replace(/src="\/build\/([\w-]+)\.js"/g, (m, name: string) => {
      const b = built.get(name as BundleName);
      return b ? `src="/build/${name}.js?v=${b.hash}"` : m;
    });
    pages.set(route, compressAsset(new TextEncoder().encode(html), 'text/html; charset=utf-8'));
  }
  return { pages, css, bundles: built };
}

function send(c: Context, asset: Asset, cacheControl: string): Response {
  const etag = `"${asset.hash}"`;
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'cache-control': cacheControl,
    etag,
    vary: 'accept-encoding',
  };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  const accepts = c.req.header('accept-encoding') ?? '';
  let body = asset.body;
  if (/\bbr\b/.test(accepts)) {
    body = asset.brotli;
    headers['content-encoding'] = 'br';
  } else if (/\bgzip\b/.test(accepts)) {
    body = asset.gzip;
    headers['content-encoding'] = 'gzip';
  }
  return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
}

/** Mount with `app.route('/', createWebRoutes())` after the API routes. */
export function createWebRoutes(opts: WebOptions = {}): Hono {
  const publicDir = opts.publicDir ?? PUBLIC_DIR;
  let site: Promise<Site> | null = null;
  // Built on first request and kept for the life of the process; a failed build is retried next time.
  const getSite = () => {
    site ??= loadSite(publicDir).catch((err) => {
      site = null;
      opts.onError?.(err);
      throw err;
    });
    return site;
  };
  const failed = (c: Context) =>
    c.json({ error: { code: 'internal', message: 'the pages could not be built; see the server log' } }, 500);

  const app = new Hono();
  for (const route of Object.keys(PAGES)) {
    app.get(route, async (c) => {
      const s = await getSite().catch(() => null);
      const page = s?.pages.get(route);
      return page ? send(c, page, 'no-cache') : failed(c);
    });
  }
  app.get('/app.css', async (c) => {
    const s = await getSite().catch(() => null);
    if (!s) return failed(c);
    return send(c, s.css, c.req.query('v') === s.css.hash ? YEAR : 'no-cache');
  });
  app.get('/build/:file{[\\w-]+\\.js}', async (c) => {
    const s = await getSite().catch(() => null);
    if (!s) return failed(c);
    const bundle = s.bundles.get(c.req.param('file').replace(/\.js$/, '') as BundleName);
    if (!bundle) return c.json({ error: { code: 'not_found', message: 'no such file' } }, 404);
    return send(c, bundle, c.req.query('v') === bundle.hash ? YEAR : 'no-cache');
  });
  return app;
}

/** Builds the bundles now, so the first visitor does not wait (call after the server starts). */
export async function warmWebRoutes(app: Hono): Promise<void> {
  await app.request('/app.css');
}
