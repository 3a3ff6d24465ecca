// Entry file of the draw thread when run from source. A worker thread does not inherit the tsx loader of its
// parent (neither from `tsx src/main.ts` nor from `node --import tsx` or vitest), so it registers it before
// loading the TypeScript module that does the work. A build runs dist/draw-compute-thread.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./draw-compute-thread.ts');
