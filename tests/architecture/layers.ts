// Which layer of src/ may import which: the table of docs/architecture.md, "Layers and imports".

/**
 * Layer → the layers it may import. A layer is a folder of src/, or a file directly in src/ (named
 * without its extension). Inner layers first; a layer imports only layers above it in this list.
 */
export const ALLOWED: Record<string, readonly string[]> = {
  // Pure: the lottery, the calendar, the rules, verification. Runs in the browser as it is.
  domain: [],
  config: [],
  // Where the Lua scripts, pages and draw thread are, from source or in a build (dist/).
  'runtime-files': [],
  log: [],
  http: [],
  web: ['runtime-files'],
  redis: ['config', 'runtime-files'],
  // The one source of "now" (virtual in DEV_MODE, kept in Redis).
  clock: ['redis'],
  queues: ['redis'],
  metrics: ['queues'],
  auth: ['domain', 'redis'],
  store: ['domain', 'redis', 'auth'],
  notify: ['domain', 'store', 'redis', 'queues', 'config', 'log'],
  services: ['domain', 'store', 'notify', 'redis', 'queues', 'log', 'runtime-files'],
  // Who a NIK belongs to: the civil registry client, the provisional bindings and their re-check.
  identity: ['domain', 'store', 'redis', 'queues', 'log'],
  process: ['log', 'metrics'],
  // The composition root: builds stores and services; nothing it builds imports it.
  deps: [
    'auth',
    'clock',
    'config',
    'identity',
    'log',
    'metrics',
    'notify',
    'queues',
    'redis',
    'services',
    'store',
  ],
  seed: ['domain', 'redis', 'store'],
  sim: ['domain', 'store', 'services', 'notify', 'redis', 'deps', 'config', 'log', 'identity'],
  api: [
    'domain',
    'auth',
    'store',
    'services',
    'identity',
    'notify',
    'http',
    'redis',
    'queues',
    'process',
    'sim',
    'deps',
  ],
  app: ['api', 'deps', 'http', 'web'],
  // identity: the demo plays the civil registry (its test double) when none is configured.
  cli: ['domain', 'auth', 'store', 'redis', 'sim', 'config', 'identity'],
  // The process entry point alone starts the workers (workers/ is thin over services).
  main: ['app', 'api', 'clock', 'deps', 'config', 'log', 'process', 'queues', 'redis', 'seed', 'workers/'],
};
