// npm run build: everything production runs, as plain JavaScript in dist/, so the image needs neither tsx
// nor esbuild (both dev dependencies). npm packages stay external: production loads them from
// node_modules, installed with `npm ci --omit=dev`.
//
//   dist/main.js                  the server and workers (ROLE=api|worker|all)
//   dist/draw-compute-thread.js   the draw worker thread, started by the server
//   dist/draw-reader-thread.js    the thread that reads a draw's entries, started by the draw thread
//   dist/admin.js, verify-draw.js the command-line tools production needs
//   dist/lua/                     the Lua scripts, read at run time
//   dist/public/                  the pages' HTML and CSS, and build/ with the page bundles
//
// The bundles find these files beside themselves (src/runtime-files.ts), so dist/ stays flat.
// `npm run build -- --outdir DIR` writes elsewhere (tests/build builds into a temp dir).
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { buildBundles, PUBLIC_DIR } from '../src/web/build.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const DIST = path.resolve(values.outdir ?? path.join(ROOT, 'dist'));

const SERVER_ENTRIES = {
  main: 'src/main.ts',
  'draw-compute-thread': 'src/services/draw-compute-thread.ts',
  'draw-reader-thread': 'src/services/draw-reader-thread.ts',
  admin: 'src/cli/admin.ts',
  'verify-draw': 'src/cli/verify-draw.ts',
};

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  const server = await build({
    absWorkingDir: ROOT,
    entryPoints: SERVER_ENTRIES,
    outdir: DIST,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces in production logs keep the functions' names.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
  });
  for (const [file, out] of Object.entries(server.metafile.outputs)) {
    if (file.endsWith('.js'))
      console.log(`${path.relative(DIST, path.resolve(ROOT, file)).padEnd(34)} ${kb(out.bytes).padStart(9)}`);
  }

  cpSync(path.join(ROOT, 'src/store/lua'), path.join(DIST, 'lua'), { recursive: true });
  const pub = path.join(DIST, 'public');
  mkdirSync(path.join(pub, 'build'), { recursive: true });
  cpSync(PUBLIC_DIR, pub, { recursive: true, filter: (src) => !/[/\\](src|build)$/.test(src) });
  for (const [name, asset] of await buildBundles()) {
    writeFileSync(path.join(pub, 'build', `${name}.js`), asset.body);
    console.log(
      `${`public/build/${name}.js`.padEnd(34)} ${kb(asset.body.length).padStart(9)}  gzip ${kb(asset.gzip.length).padStart(8)}  br ${kb(asset.brotli.length).padStart(8)}`,
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
