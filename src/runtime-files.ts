// Where the files that ship beside the code are found. Run from source (tsx, vitest), this module is
// src/runtime-files.ts and the files sit in the tree; in a build (`npm run build`) it is bundled into
// dist/<entry>.js, and scripts/build.ts copies the same files flat beside the bundles.
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The Lua scripts (src/store/lua in the tree, dist/lua in a build). */
export const LUA_DIR = new URL(FROM_SOURCE ? './store/lua/' : './lua/', import.meta.url);

/** The pages' HTML and CSS; a build also holds the bundled page scripts under build/. */
export const PUBLIC_DIR_URL = new URL(FROM_SOURCE ? '../public/' : './public/', import.meta.url);

/**
 * Entry of the draw thread. A worker thread does not inherit its parent's tsx loader, so from source it
 * starts through a small .mjs that registers tsx; a build ships the thread as plain JavaScript.
 */
export const DRAW_THREAD_URL = FROM_SOURCE
  ? new URL('./services/draw-compute-boot.mjs', import.meta.url)
  : new URL('./draw-compute-thread.js', import.meta.url);

/** Entry of the draw's reader thread, which the draw thread starts (as DRAW_THREAD_URL, from source or built). */
export const DRAW_READER_URL = FROM_SOURCE
  ? new URL('./services/draw-reader-boot.mjs', import.meta.url)
  : new URL('./draw-reader-thread.js', import.meta.url);
