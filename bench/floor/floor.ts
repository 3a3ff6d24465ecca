// Runs the floor server (bench/floor/server.ts) beside fairslot's and measures it with the same load
// generator, connections and request bytes as the join figure: its /healthz, then its join, then its
// /healthz again. The floor's join ÷ its /healthz is the most join_ratio could be on the bench's machine and
// stack for any join that writes to Redis through a Lua script.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { FigureContext } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import { describe, type LoadSummary, runLoad } from '../load.ts';
import { apiProcesses, REPO_ROOT, waitForHealthz } from '../server.ts';
import { log, sleep } from '../stats.ts';
import { FLOOR_KEYS } from './keys.ts';

export interface FloorResult {
  join: LoadSummary;
  healthzRps: number;
  /** CPU ms per request of the floor server's processes and of Redis. */
  joinCpu: ReturnType<typeof cpuPerUnit>;
  healthzCpu: ReturnType<typeof cpuPerUnit>;
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

/** `planFile` holds at least `amount` join requests; the floor reads their bodies only. */
export async function measureFloor(
  ctx: FigureContext,
  planFile: string,
  amount: number,
  /** A floor server started earlier (its start-up hidden behind fixture work); stopped here. */
  started?: Promise<FloorServer>,
): Promise<FloorResult> {
  const { sys, sizes } = ctx;
  const floor = await (started ?? startFloorServer(sys.redisUrl, apiProcesses()));
  const { url } = floor;
  const child = { pid: floor.pid };
  try {
    const healthz = async (seconds: number) => {
      const before = await cpuSnapshot(child.pid, sys.deps.redis);
      const run = await runLoad(
        {
          url,
          method: 'GET',
          path: '/healthz',
          connections: sizes.connections,
          durationS: seconds,
          timeoutS: 10,
        },
        200,
        seconds * 1000 + 60_000,
      );
      const after = await cpuSnapshot(child.pid, sys.deps.redis);
      return { run, cpu: cpuPerUnit(before, after, Math.max(1, run.ok)) };
    };
    const join = (n: number) =>
      runLoad(
        {
          url,
          method: 'POST',
          path: '/join',
          connections: sizes.connections,
          amount: n,
          timeoutS: 30,
          planFile,
        },
        201,
        60_000 + n * 5,
      );
    // Warm-up, as the join figure warms fairslot's server: JIT, pools, the script cache.
    await healthz(2);
    await join(Math.min(amount, sizes.joinWarmup));
    const before = await healthz(sizes.healthzSeconds);
    const cpuBefore = await cpuSnapshot(child.pid, sys.deps.redis);
    const run = await join(amount);
    const cpuAfter = await cpuSnapshot(child.pid, sys.deps.redis);
    const after = await healthz(sizes.healthzSeconds);
    log(`floor: healthz ${describe(before.run)}`);
    log(`floor: join ${describe(run)}`);
    log(`floor: healthz ${describe(after.run)}`);
    const per = (k: 'serverMs' | 'redisMs') =>
      before.cpu[k] === null || after.cpu[k] === null
        ? null
        : ((before.cpu[k] ?? 0) + (after.cpu[k] ?? 0)) / 2;
    return {
      join: run,
      healthzRps: (before.run.rps + after.run.rps) / 2,
      joinCpu: cpuPerUnit(cpuBefore, cpuAfter, Math.max(1, run.ok)),
      healthzCpu: { serverMs: per('serverMs'), redisMs: per('redisMs'), benchMs: null },
    };
  } finally {
    await floor.stop();
    await sys.deps.redis.del(...FLOOR_KEYS);
  }
}
