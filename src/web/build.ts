// Bundles the browser pages (public/src/*.ts) with esbuild, in memory. The server builds once at start,
// so `npm start` needs no separate build step; run this file directly to write public/build/ and print
// the sizes (`tsx src/web/build.ts`).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

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
  // Imported lazily: esbuild is a dev dependency, and only processes serving pages need it.
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

async function main(): Promise<void> {
  const assets = await buildBundles();
  const out = path.join(PUBLIC_DIR, 'build');
  mkdirSync(out, { recursive: true });
  for (const [name, a] of assets) {
    writeFileSync(path.join(out, `${name}.js`), a.body);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(
      `${`${name}.js`.padEnd(20)} ${kb(a.body.length).padStart(9)}  gzip ${kb(a.gzip.length).padStart(8)}  br ${kb(a.brotli.length).padStart(8)}`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
