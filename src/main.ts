// Process entry: configuration, the embedded Redis default, the HTTP server and/or the workers
// (ROLE=api|worker|all), and a graceful shutdown that leaves no redis-server behind.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { startWorkers } from '../workers/index.ts';
import { followOffices } from '../workers/schedulers.ts';
import type { AppEnv } from './api/env.ts';
import { onError } from './api/middleware/errors.ts';
import { opsRoutes } from './api/ops.ts';
import { createApp } from './app.ts';
import { createClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDeps } from './deps.ts';
import { createLogger } from './log.ts';
import { isApiChild, serveMetricsToPrimary, startApiCluster } from './process/api-cluster.ts';
import { createQueues } from './queues.ts';
import { createRedis, waitReady } from './redis/connection.ts';
import { type EmbeddedRedis, RedisServerMissingError, startEmbeddedRedis } from './redis/embedded.ts';
import { forgetEmbeddedPort, markStore, recordEmbeddedPort } from './redis/locate.ts';
import { seedDemoOffices } from './seed/demo.ts';

/** How long in-flight HTTP requests get after SIGTERM before their connections are cut. */
const HTTP_DRAIN_MS = 10_000;

function lowerPriority(nice: number, log: ReturnType<typeof createLogger>): void {
  try {
    os.setPriority(0, Math.max(os.getPriority(0), nice));
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not lower the worker priority');
  }
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`fairslot: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  // An API child of a cluster (src/process/api-cluster.ts) gets its Redis from the primary and leaves
  // seeding, the embedded Redis and the workers to it.
  const child = isApiChild();
  if (!child && (!config.NIK_HASH_KEY || !config.APP_SECRET)) {
    log.warn(
      `NODE_ENV=${process.env.NODE_ENV}: NIK_HASH_KEY or APP_SECRET not set, using the public development keys`,
    );
  }
  if (!child && !config.LOG_SIGNING_KEY) {
    log.warn('LOG_SIGNING_KEY not set: the transparency log is signed with the public development key');
  }

  let embedded: EmbeddedRedis | null = null;
  let redisUrl = config.REDIS_URL;
  if (!redisUrl) {
    try {
      embedded = await startEmbeddedRedis({
        dataDir: config.DATA_DIR,
        bin: config.REDIS_SERVER_BIN,
        appendfsync: config.REDIS_APPENDFSYNC,
      });
    } catch (err) {
      if (err instanceof RedisServerMissingError) {
        console.error(`fairslot: ${err.message}`);
        process.exit(1);
      }
      throw err;
    }
    redisUrl = embedded.url;
    recordEmbeddedPort(config.DATA_DIR, embedded.port);
    log.info({ port: embedded.port, dataDir: config.DATA_DIR }, 'started embedded redis-server (AOF on)');
  }

  const redis = createRedis(redisUrl, { failFast: true });
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  await waitReady(redis);
  // CLIs refuse a Redis without this mark (src/redis/locate.ts).
  if (!child) await markStore(redis, new Date());
  const clock = await createClock(config.DEV_MODE, redis);
  const deps = createDeps(config, redis, log, clock.now);
  deps.clock = clock;
  if (config.DEV_MODE) {
    log.warn(
      { now: clock.now().toISOString(), powCost: config.POW_COST },
      'DEV_MODE: virtual clock (POST /api/dev/clock) and development proof-of-work; never in production',
    );
  }
  if (deps.beacon) {
    // A chain other than the pinned quicknet needs its info once; a wrong chain hash stops start-up here.
    await deps.beacon.init();
    log.info(
      { chainHash: deps.beacon.chain.chainHash, urls: deps.beacon.opts.urls, delayS: config.BEACON_DELAY_S },
      'draws anchored to the drand beacon',
    );
  } else if (!child) {
    log.warn('no beacon (BEACON_URLS): draws run unanchored and are marked so in their records');
  }
  const queueConnection = createRedis(redisUrl, { forBullmq: true });
  deps.queues = createQueues(queueConnection);
  // Any process that edits offices moves their draw schedulers; the queue is shared.
  followOffices(deps);

  if (config.SEED_DEMO && !child) {
    const n = await seedDemoOffices(redis, deps.offices);
    if (n > 0) log.info({ offices: n }, 'loaded demo offices');
  }

  const closers: (() => Promise<void>)[] = [];
  if ((config.ROLE === 'api' || config.ROLE === 'all') && config.API_PROCESSES > 1 && !child) {
    const api = startApiCluster({
      processes: config.API_PROCESSES,
      semiSpaceMb: config.API_SEMI_SPACE_MB,
      env: { ROLE: 'api', REDIS_URL: redisUrl, SEED_DEMO: 'false', API_PROCESSES: '1' },
      log,
      metrics: deps.metrics,
    });
    closers.unshift(() => api.stop());
    await api.ready;
    log.info(
      { url: `http://${config.HOST}:${config.PORT}`, processes: config.API_PROCESSES },
      'fairslot listening',
    );
  } else if (config.ROLE === 'api' || config.ROLE === 'all') {
    if (child) serveMetricsToPrimary(deps.metrics.registry);
    const app = createApp(deps);
    const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
      log.info({ url: `http://${config.HOST}:${info.port}` }, 'fairslot listening'),
    );
    // Under load a keep-alive connection is never idle, so server.close() alone would wait for the clients
    // to hang up, and the workers' close (and the process) behind it until the 30 s force-exit. Once
    // draining, every response says `Connection: close`, so each busy connection ends after the request
    // it is serving; whatever is still open after the grace period is cut.
    let draining = false;
    const http = server as unknown as Server;
    http.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (draining) res.setHeader('connection', 'close');
    });
    closers.unshift(
      () =>
        new Promise<void>((resolve) => {
          draining = true;
          const cut = setTimeout(() => http.closeAllConnections(), HTTP_DRAIN_MS);
          cut.unref();
          // net.Server's close, not http.Server's: the latter also destroys idle keep-alive sockets at once,
          // racing a client that is just sending its next request on one (it gets a reset, not an answer).
          // Left alone, such a socket either carries one more request (answered, then closed) or times out
          // after keepAliveTimeout (5 s). New connections are refused from here on.
          net.Server.prototype.close.call(http, () => {
            clearTimeout(cut);
            resolve();
          });
        }),
    );
  }

  if (config.ROLE === 'worker' || config.ROLE === 'all') {
    // Draws and fan-outs are batch work; when this process serves no HTTP itself (a worker, or the
    // primary of API children, which were forked above and keep their own priority), let the
    // kernel prefer the processes answering people. Threads started later inherit the value.
    const servesHttp = config.ROLE === 'all' && (config.API_PROCESSES === 1 || child);
    if (!servesHttp && config.WORKER_NICE > 0) lowerPriority(config.WORKER_NICE, log);
    const workers = await startWorkers(deps, redisUrl);
    closers.push(() => workers.close());
  }

  if (config.ROLE === 'worker' && config.METRICS_PORT) {
    const ops = new Hono<AppEnv>();
    ops.use('*', async (c, next) => {
      c.set('deps', deps);
      await next();
    });
    ops.route('/', opsRoutes);
    ops.notFound((c) => c.json({ error: { code: 'not_found', message: 'no such route' } }, 404));
    ops.onError(onError);
    const opsServer = serve({ fetch: ops.fetch, port: config.METRICS_PORT, hostname: config.HOST }, (info) =>
      log.info({ url: `http://${config.HOST}:${info.port}/metrics` }, 'worker metrics listening'),
    );
    closers.push(() => new Promise<void>((resolve) => opsServer.close(() => resolve())));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    // HTTP drains while the workers finish their jobs in flight: neither waits for the other.
    await Promise.all(closers.map((close) => close().catch((err) => log.error({ err }, 'close failed'))));
    await deps.queues?.close().catch(() => {});
    queueConnection.disconnect();
    redis.disconnect();
    if (embedded && !child) {
      forgetEmbeddedPort(config.DATA_DIR);
      await embedded.stop();
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error('fairslot: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
