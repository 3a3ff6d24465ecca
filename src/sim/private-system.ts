// A throwaway fairslot for one simulation run: its own redis-server on a free port in a temp dir, the real
// stores and services from createDeps, and a clock the simulation moves. Nothing touches a real deployment's
// Redis, and the temp dir is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { createDeps, type Deps } from '../deps.ts';
import { createLogger } from '../log.ts';
import type { NotificationRequest } from '../notify/request.ts';
import { createRedis } from '../redis/connection.ts';
import { startEmbeddedRedis } from '../redis/embedded.ts';

export interface PrivateSystem {
  deps: Deps;
  clock: { now: Date };
  /** Messages the run would have sent, by template: counted, not delivered. */
  messages: Record<string, number>;
  /** Called with every message as production code sends it: simulated people act on what they are told. */
  onMessage: ((req: NotificationRequest) => void) | null;
  stop(): Promise<void>;
}

export async function startPrivateSystem(opts: { redisBin?: string } = {}): Promise<PrivateSystem> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fairslot-sim-'));
  let server: Awaited<ReturnType<typeof startEmbeddedRedis>>;
  try {
    server = await startEmbeddedRedis({
      dataDir: dir,
      bin: opts.redisBin,
      appendfsync: 'no',
      // A simulation needs no durability; later arguments win, so this turns the embedded default off.
      extraArgs: ['--appendonly', 'no'],
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const redis = createRedis(server.url);
  // Explicit values, never process.env: a REDIS_URL or DATA_DIR of the surrounding process must not leak in.
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    POW_COST: '0',
    SEED_DEMO: 'false',
    DATA_DIR: dir,
    NIK_HASH_KEY: 'simulation-only-nik-hash-key-0000000000',
    APP_SECRET: 'simulation-only-app-secret-00000000000000',
  });
  const clock = { now: new Date(0) };
  const deps = createDeps(config, redis, createLogger('silent'), () => clock.now);
  const system: PrivateSystem = {
    deps,
    clock,
    messages: {},
    onMessage: null,
    async stop() {
      await deps.drawControl.close();
      redis.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // People's answers to messages are the simulation's decisions, so rendering and writing each message to
  // an outbox would only cost time; the count shows what a run would have sent.
  deps.notifications = {
    async enqueue(req: NotificationRequest) {
      system.messages[req.template] = (system.messages[req.template] ?? 0) + 1;
      system.onMessage?.(req);
    },
  };
  return system;
}
