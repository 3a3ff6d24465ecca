// page_js_gzip_bytes: what a phone downloads to run the applicant page: public/src/applicant.ts bundled
// with esbuild using the options of src/web/build.ts (minified ESM for old Android WebViews), gzip level 9,
// as the server precompresses.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { detail, type FigureContext, figure, note } from '../context.ts';
import { REPO_ROOT } from '../server.ts';
import { log } from '../stats.ts';

async function bundle(entry: string): Promise<Uint8Array> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2020', 'chrome80', 'safari15', 'firefox78'],
    minify: true,
    sourcemap: false,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}

export async function pageJsFigure(ctx: FigureContext): Promise<void> {
  const source = path.join(REPO_ROOT, 'public/src/applicant.ts');
  let body: Uint8Array | null = null;
  let from: string;
  if (existsSync(source)) {
    body = await bundle(source);
    from = 'esbuild bundle of public/src/applicant.ts';
  } else {
    from = 'none: public/src/applicant.ts does not exist';
    note(ctx, `page_js_gzip_bytes is null: ${from}`);
  }
  const gzip = body ? gzipSync(body, { level: 9 }).length : null;
  log(`page js: ${body ? `${body.length} bytes, ${gzip} gzipped` : 'no applicant page'} (${from})`);
  figure(ctx, 'page_js_gzip_bytes', gzip);
  detail(ctx, 'page_js', { from, rawBytes: body?.length ?? null, gzipLevel: 9 });
}
