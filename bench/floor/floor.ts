// Runs the floor server (bench/floor/server.ts) beside fairslot's and loads it with the same load generator,
// connections and request bytes as the join figure, in the rounds the join figure interleaves with
// fairslot's. The floor's join ÷ its /healthz is the most join_ratio could be on the bench's machine and
// stack for any join that writes to Redis through a Lua script.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { LoadRaw } from '../cannon.ts';
import type { FigureContext } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import { type LoadSummary, runLoad, startLoad, summarize } from '../load.ts';
import { REPO_ROOT, waitForHealthz } from '../server.ts';
import { sleep } from '../stats.ts';
import { FLOOR_KEYS } from './keys.ts';

/** A server under the join figure's load: fairslot's or the floor's. */
export interface ServerSide {
  name: string;
  healthz(seconds: number): Promise<{ run: LoadSummary; cpu: ReturnType<typeof cpuPerUnit> }>;
  join(
    planFile: string,
    amount: number,
  ): Promise<{ run: LoadSummary; raw: LoadRaw; cpu: ReturnType<typeof cpuPerUnit> }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface FloorServer {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Starts the floor server on a free port, with `processes` HTTP processes, and waits for its /healthz. */
export async function startFloorServer(redisUrl: string, processes: number): Promise<FloorServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/floor/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      FLOOR_PORT: String(port),
      REDIS_URL: redisUrl,
      FLOOR_PROCESSES: String(processes),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };
  try {
    await waitForHealthz(child, url, 'the floor server', 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: child.pid, stop };
}

/** Loads the floor server's /healthz and join the way the join figure loads fairslot's (bench/figures/join.ts). */
export function floorSide(ctx: FigureContext, floor: FloorServer): ServerSide {
  const { sys, sizes } = ctx;
  const measured = async <T extends LoadSummary>(run: () => Promise<T>) => {
    const before = await cpuSnapshot(floor.pid, sys.deps.redis);
    const result = await run();
    const after = await cpuSnapshot(floor.pid, sys.deps.redis);
    return { run: result, cpu: cpuPerUnit(before, after, Math.max(1, result.ok)) };
  };
  return {
    name: 'floor',
    healthz: (seconds) =>
      measured(() =>
        runLoad(
          {
            url: floor.url,
            method: 'GET',
            path: '/healthz',
            connections: sizes.connections,
            durationS: seconds,
            timeoutS: 10,
          },
          200,
          seconds * 1000 + 60_000,
        ),
      ),
    join: async (planFile, amount) => {
      const before = await cpuSnapshot(floor.pid, sys.deps.redis);
      const raw = await startLoad(
        {
          url: floor.url,
          method: 'POST',
          path: '/join',
          connections: sizes.connections,
          amount,
          timeoutS: 30,
          planFile,
        },
        60_000 + amount * 5,
      ).done;
      const after = await cpuSnapshot(floor.pid, sys.deps.redis);
      const run = summarize(raw, 201);
      return { run, raw, cpu: cpuPerUnit(before, after, Math.max(1, run.ok)) };
    },
    async stop() {
      await floor.stop();
      await sys.deps.redis.del(...FLOOR_KEYS);
    },
  };
}
