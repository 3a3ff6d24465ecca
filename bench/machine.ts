// The machine the numbers came from. Load average is recorded because the bench shares its cores with the
// server, Redis and the load generator, and on a shared host with whatever else runs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';

export interface Machine {
  cpus: number;
  model: string;
  memory: number;
  memoryGb: number;
  node: string;
  redis: string;
  os: string;
  date: string;
  loadAvgAtStart: number[];
  loadAvgAtEnd?: number[];
  /** The code measured: commit, and whether src/ or workers/ had uncommitted changes at the start. */
  git: { commit: string; dirty: boolean };
  /** ms for a fixed single-thread CPU task (see calibrate) at start and end: larger = more contention. */
  calibrationMsAtStart: number;
  calibrationMsAtEnd?: number;
}

/**
 * A fixed amount of single-threaded work (200,000 SHA-256 of 64 bytes, ~150 ms on an idle server core).
 * Run at start and end: if it took much longer than on an idle machine, the cores were shared with other
 * work and every figure of the run is pessimistic by roughly that factor.
 */
export function calibrate(): number {
  const data = Buffer.alloc(64, 7);
  // Warm-up first: the first call of a run would otherwise also measure JIT compilation.
  for (let i = 0; i < 20_000; i++) createHash('sha256').update(data).digest();
  const t0 = performance.now();
  for (let i = 0; i < 200_000; i++) createHash('sha256').update(data).digest();
  return Math.round(performance.now() - t0);
}

function gitState(): Machine['git'] {
  const run = (args: string[]) =>
    spawnSync('git', args, { encoding: 'utf8', timeout: 10_000 }).stdout?.trim() ?? '';
  return {
    commit: run(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: run(['status', '--porcelain', '--', 'src', 'workers']) !== '',
  };
}

export function machine(redisVersion: string, calibrationMsAtStart: number): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memory: os.totalmem(),
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    redis: redisVersion,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAvgAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
    git: gitState(),
    calibrationMsAtStart,
  };
}
