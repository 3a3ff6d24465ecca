// `tsx bench/healthz-cpu.ts [requests]`: server CPU per GET /healthz of fairslot's app against a bare hono
// app (the floor's /healthz), both served in this one process by @hono/node-server, one after the other,
// loaded by autocannon in a child process. The fixed cost every request pays before its handler, isolated
// from Redis and from the join: on a machine others are using, compare the ratio, not the absolute µs.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import { createLogger } from '../src/log.ts';
import { createRedis, waitReady } from '../src/redis/connection.ts';
import { freePort, startEmbeddedRedis } from '../src/redis/embedded.ts';
import type { LoadRaw } from './cannon.ts';
import { REPO_ROOT } from './server.ts';

const requests = Number(process.argv[2] ?? 40_000);

function load(url: string, amount: number): Promise<LoadRaw> {
  const child = fork(path.join(REPO_ROOT, 'bench/cannon.ts'), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('message', (m: { raw?: LoadRaw; error?: string }) => {
      if (m.raw) {
        resolve(m.raw);
        child.disconnect();
      } else if (m.error) reject(new Error(m.error));
    });
    child.send({ url, method: 'GET', path: '/healthz', connections: 100, amount, timeoutS: 10 });
  });
}

async function cpuPerRequest(fetch: (r: Request, env?: unknown) => Response | Promise<Response>) {
  const port = await freePort();
  const server = serve({ fetch, port, hostname: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  await load(url, 5_000);
  const t0 = process.cpuUsage();
  const raw = await load(url, requests);
  const d = process.cpuUsage(t0);
  await new Promise((r) => server.close(r));
  return (d.user + d.system) / raw.status.length;
}

const dir = mkdtempSync(path.join(tmpdir(), 'fairslot-healthz-cpu-'));
const redis = await startEmbeddedRedis({ dataDir: dir });
try {
  const client = createRedis(redis.url);
  await waitReady(client);
  const config = loadConfig({
    NODE_ENV: 'development',
    REDIS_URL: redis.url,
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
  });
  const app = createApp(createDeps(config, client, createLogger('warn')));
  const floor = new Hono();
  floor.get('/healthz', (c) => c.json({ ok: true }));
  // Interleaved rounds, and the median of each: a busy moment of the machine lands on one round, not on one
  // side of the comparison.
  const rounds: { fairslot: number; floor: number }[] = [];
  for (let i = 0; i < Number(process.env.ROUNDS ?? 7); i++) {
    rounds.push({ floor: await cpuPerRequest(floor.fetch), fairslot: await cpuPerRequest(app.fetch) });
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const fairslotUs = median(rounds.map((r) => r.fairslot));
  const floorUs = median(rounds.map((r) => r.floor));
  console.log(
    JSON.stringify({
      fairslotUs: Math.round(fairslotUs * 10) / 10,
      floorUs: Math.round(floorUs * 10) / 10,
      healthzOfFloorCpu: Math.round((floorUs / fairslotUs) * 1000) / 1000,
      rounds: rounds.length,
    }),
  );
  client.disconnect();
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
