// The system under test: a private redis-server (startEmbeddedRedis, temp dir, AOF on as in production) and
// the real fairslot server as a child process (ROLE=all: HTTP API and BullMQ workers), plus the bench's own
// Deps on the same Redis for fixtures and in-process draws. Nothing here ever touches 127.0.0.1:6379.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { type Config, loadConfig } from '../src/config.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { createLogger } from '../src/log.ts';
import { createQueues, type Queues } from '../src/queues.ts';
import { createRedis, type RedisClient, waitReady } from '../src/redis/connection.ts';
import { type EmbeddedRedis, freePort, startEmbeddedRedis } from '../src/redis/embedded.ts';
import { log, sleep, waitFor } from './stats.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  logFile: string;
  /** Directory of the .cpuprofile written at exit when started with profile: true. */
  profileDir: string | null;
  stop(): Promise<void>;
}

export interface BenchSystem {
  dir: string;
  redisUrl: string;
  redisVersion: string;
  baseUrl: string;
  /** The server's DATA_DIR (its outbox.jsonl is where messages land). */
  serverDataDir: string;
  config: Config;
  /** Same client options as the server's API process: what the in-process draws run on. */
  deps: Deps;
  /** Auto-pipelined client for bulk fixture writes only (not a production setting). */
  fast: Deps;
  queues: Queues;
  server: ServerProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Start the server under node --cpu-prof (the profile is written when it exits). */
  profile?: boolean;
  /** Run on this Redis (e.g. a redis+cluster:// URL) instead of starting a private one; left running. */
  redisUrl?: string;
  redisVersion?: string;
}

export function apiProcesses(): number {
  const n = Number(process.env.BENCH_API_PROCESSES ?? availableParallelism());
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** Environment shared by the server child and the bench's own Deps, so HMAC keys and secrets agree. */
function serverEnv(redisUrl: string, port: number, dataDir: string): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    ROLE: 'all',
    // One HTTP process per core (node:cluster), as docs/operations.md recommends for a surge;
    // BENCH_API_PROCESSES=1 measures a single process.
    API_PROCESSES: String(apiProcesses()),
    LOG_LEVEL: 'warn',
    POW_COST: '0',
    RATE_LIMIT_MULTIPLIER: '100000',
    SEED_DEMO: 'true',
    DATA_DIR: dataDir,
    NOTIFY_CHANNEL: 'outbox',
    // The provider rate limit would cap notify_per_s at 20/s; the outbox has no provider to protect.
    NOTIFY_RATE_MAX: '100000',
    APP_SECRET: `bench-app-secret-${randomBytes(16).toString('hex')}`,
    NIK_HASH_KEY: `bench-nik-key-${randomBytes(16).toString('hex')}`,
    LOG_SIGNING_KEY: randomBytes(32).toString('hex'),
    // Draws unanchored: the bench has no network, and production refuses to start without a beacon.
    BEACON: 'off',
  };
}

/** Waits until a child's server answers GET /healthz; fails at once if the child exits meanwhile. */
export async function waitForHealthz(
  child: ChildProcess,
  baseUrl: string,
  what: string,
  timeoutMs: number,
  whyExited: () => string = () => '',
): Promise<void> {
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}${whyExited()}`);
      const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.ok)
        .catch(() => false);
      return ok ? true : undefined;
    },
    `${what} to answer /healthz`,
    timeoutMs,
    200,
  );
}

async function startServer(
  env: Record<string, string>,
  dir: string,
  profile: boolean,
): Promise<ServerProcess> {
  const logFile = path.join(dir, 'server.log');
  const fd = openSync(logFile, 'a');
  const profileDir = profile ? path.join(dir, 'cpu-profile') : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  // node --import tsx directly (not npx tsx): one process, one pid to signal, no wrapper in the way.
  const args = [
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    // Diagnostics only: extra V8 flags for the server and its API children, e.g. --trace-gc (written to
    // server.log; keep it with BENCH_KEEP_DIR=1).
    ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    '--import',
    'tsx',
    'src/main.ts',
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // NODE_ENV as in the Dockerfile.
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', fd, fd],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  try {
    await waitForHealthz(child, baseUrl, 'the fairslot server', 60_000, () => `: ${tail(logFile)}`);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    child,
    baseUrl,
    logFile,
    profileDir,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      // SIGTERM runs the graceful shutdown (and lets --cpu-prof write its file).
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(40_000).then(() => false)]);
      if (!done) {
        log('server did not stop within 40 s; killing it');
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** The server's main-thread .cpuprofile (the largest file: tsx's loader thread writes a small one too). */
export function serverProfile(server: ServerProcess): string | null {
  if (!server.profileDir) return null;
  const dir = server.profileDir;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0] ?? null;
}

export async function startBenchSystem(opts: StartOptions = {}): Promise<BenchSystem> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fairslot-bench-'));
  let redis: EmbeddedRedis | null = null;
  let server: ServerProcess | null = null;
  const clients: RedisClient[] = [];
  try {
    if (!opts.redisUrl)
      redis = await startEmbeddedRedis({
        dataDir: path.join(dir, 'redis'),
        // AOF on as in production, but compacted only between steps (quiesce in bench/redis-info.ts), so no
        // automatic rewrite lands inside a timed step.
        extraArgs: ['--auto-aof-rewrite-percentage', '0'],
      });
    const redisUrl = opts.redisUrl ?? redis!.url;
    const port = await freePort();
    const serverDataDir = path.join(dir, 'server-data');
    const env = serverEnv(redisUrl, port, serverDataDir);
    const config = loadConfig({ ...env, DATA_DIR: path.join(dir, 'bench-data') });
    const logger = createLogger('warn');
    const plain = createRedis(redisUrl);
    // Fixture writes are many small independent commands: auto-pipelining batches them per tick.
    const fastClient = opts.redisUrl
      ? createRedis(redisUrl)
      : new Redis(redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 3 });
    const queueConnection = createRedis(redisUrl, { forBullmq: true });
    clients.push(plain, fastClient, queueConnection);
    await Promise.all([waitReady(plain), waitReady(fastClient)]);
    const redisVersion =
      opts.redisVersion ??
      /redis_version:(\S+)/.exec(await (plain as Redis).info('server'))?.[1] ??
      'unknown';
    const deps = createDeps(config, plain, logger);
    const fast = createDeps(config, fastClient, logger);
    const queues = createQueues(queueConnection);
    deps.queues = queues;
    server = await startServer(env, dir, opts.profile ?? false);
    const srv = server;
    const emb = redis;
    return {
      dir,
      redisUrl,
      redisVersion,
      baseUrl: server.baseUrl,
      serverDataDir,
      config,
      deps,
      fast,
      queues,
      server,
      async stop() {
        await srv.stop();
        await deps.drawControl.close().catch(() => {});
        await queues.close().catch(() => {});
        for (const c of clients) c.disconnect();
        await emb?.stop();
        // A profiling run keeps the directory: the .cpuprofile is only written as the server exits.
        if (!process.env.BENCH_KEEP_DIR && !opts.profile) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server?.stop().catch(() => {});
    for (const c of clients) c.disconnect();
    await redis?.stop().catch(() => {});
    throw err;
  }
}
