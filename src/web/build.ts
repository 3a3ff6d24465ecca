// Bundles the browser pages (public/src/*.ts) with esbuild, in memory. Run from source, the server builds
// them once at start, so `npm start` needs no separate step; `npm run build` writes the same bundles to
// dist/public/build/, which a built server serves as they are.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { PUBLIC_DIR_URL } from '../runtime-files.ts';

export const PUBLIC_DIR = fileURLToPath(PUBLIC_DIR_URL);

/** One bundle per page, plus the draw-verification worker. */
export const ENTRY_POINTS = ['applicant', 'officer', 'admin', 'verify', 'verify-worker'] as const;
export type BundleName = (typeof ENTRY_POINTS)[number];

export interface Asset {
  body: Uint8Array;
  gzip: Uint8Array;
  brotli: Uint8Array;
  /** Content hash, for cache-busting URLs. */
  hash: string;
  contentType: string;
}

export function compressAsset(body: Uint8Array, contentType: string): Asset {
  return {
    body,
    gzip: new Uint8Array(gzipSync(body, { level: 9 })),
    brotli: new Uint8Array(brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })),
    hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
    contentType,
  };
}

/** Bundles every entry point; keys are bundle names ('applicant'), values the compressed assets. */
export async function buildBundles(
  opts: { publicDir?: string; minify?: boolean } = {},
): Promise<Map<BundleName, Asset>> {
  // Imported lazily: esbuild is a dev dependency, and a build serves the bundles it wrote instead.
  const esbuild = await import('esbuild');
  const dir = opts.publicDir ?? PUBLIC_DIR;
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(ENTRY_POINTS.map((n) => [n, path.join(dir, 'src', `${n}.ts`)])),
    bundle: true,
    write: false,
    outdir: path.join(dir, 'build'),
    format: 'esm',
    platform: 'browser',
    // Chrome 80 is what many cheap Android phones still run in their WebView.
    target: ['es2020', 'chrome80', 'safari15', 'firefox78'],
    minify: opts.minify ?? true,
    sourcemap: false,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const assets = new Map<BundleName, Asset>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path, '.js') as BundleName;
    assets.set(name, compressAsset(file.contents, 'text/javascript; charset=utf-8'));
  }
  return assets;
}
