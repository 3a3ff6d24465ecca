// Entry file of the draw's reader thread when run from source: as draw-compute-boot.mjs, it registers tsx
// first, which a worker thread does not inherit. A build runs dist/draw-reader-thread.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./draw-reader-thread.ts');
