// CPU time (not wall time) of the server process, of Redis and of this process. On a shared machine wall
// times stretch with everyone else's load, but the CPU a request or a draw consumes barely moves, so these
// make the figures comparable across runs and machines.
import { readdirSync, readFileSync } from 'node:fs';
import type { RedisClient } from '../src/redis/connection.ts';
import { field } from './redis-info.ts';

// USER_HZ: 100 on every mainstream Linux build (the /proc/<pid>/stat unit).
const CLOCK_TICKS_PER_S = 100;

/** utime + stime of a process in ms from /proc (null where there is no /proc, e.g. macOS). */
export function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

/** Parent pid of a process from /proc (null if it is gone). */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * CPU of a process and all its live descendants: with API_PROCESSES > 1 the server is a cluster
 * primary plus its HTTP children, and the children do the request work.
 */
export function processTreeCpuMs(root: number | undefined): number | null {
  const own = processCpuMs(root);
  if (own === null || !root) return own;
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return own;
  }
  const parent = new Map(pids.map((p) => [p, parentOf(p)]));
  const inTree = (p: number): boolean => {
    for (let q: number | null | undefined = p, depth = 0; q && depth < 8; q = parent.get(q), depth++) {
      if (q === root) return true;
    }
    return false;
  };
  return pids.filter((p) => p !== root && inTree(p)).reduce((sum, p) => sum + (processCpuMs(p) ?? 0), own);
}

export async function redisCpuMs(redis: RedisClient): Promise<number> {
  // One INFO for both fields: snapshots sit around timed steps (a draw of each of 125 offices).
  const info = await redis.info('cpu');
  return (Number(field(info, 'used_cpu_user')) + Number(field(info, 'used_cpu_sys'))) * 1000;
}

export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface CpuSnapshot {
  server: number | null;
  redis: number;
  bench: number;
}

export async function cpuSnapshot(serverPid: number | undefined, redis: RedisClient): Promise<CpuSnapshot> {
  return { server: processTreeCpuMs(serverPid), redis: await redisCpuMs(redis), bench: selfCpuMs() };
}

/** CPU ms spent between two snapshots, per unit of work, rounded to µs. */
export function cpuPerUnit(a: CpuSnapshot, b: CpuSnapshot, units: number) {
  const per = (x: number | null, y: number | null) =>
    x === null || y === null ? null : Math.round(((y - x) / units) * 1000) / 1000;
  return {
    serverMs: per(a.server, b.server),
    redisMs: per(a.redis, b.redis),
    benchMs: per(a.bench, b.bench),
  };
}
