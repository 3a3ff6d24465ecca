// Redis introspection for the figures: memory, a quiet point before timing, per-key memory samples.
import type { RedisClient } from '../src/redis/connection.ts';
import { waitFor } from './stats.ts';

export async function infoField(redis: RedisClient, section: string, field: string): Promise<string> {
  const text = await redis.info(section);
  return new RegExp(`^${field}:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
}

export async function usedMemory(redis: RedisClient): Promise<number> {
  return Number(await infoField(redis, 'memory', 'used_memory'));
}

/**
 * Waits until no AOF rewrite (a fork copying the whole dataset) is running, so a timed step measures the
 * step and not a background rewrite that a big fill happened to trigger just before it.
 */
export async function quiesce(redis: RedisClient, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () =>
      (await infoField(redis, 'persistence', 'aof_rewrite_in_progress')) === '0' &&
      (await infoField(redis, 'persistence', 'aof_rewrite_scheduled')) === '0'
        ? true
        : undefined,
    'the AOF rewrite to finish',
    timeoutMs,
    250,
  );
}

/** MEMORY USAGE of a key with every element sampled (SAMPLES 0): exact, and slow only on huge keys. */
export async function memoryUsage(redis: RedisClient, key: string): Promise<number> {
  const r = await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
  return Number(r ?? 0);
}

export interface CommandStats {
  calls: number;
  usec: number;
  byCommand: Record<string, { calls: number; usec: number }>;
}

/** INFO commandstats as numbers; diff two of these to see what a run cost Redis. */
export async function commandStats(redis: RedisClient): Promise<CommandStats> {
  const text = await redis.info('commandstats');
  const byCommand: CommandStats['byCommand'] = {};
  let calls = 0;
  let usec = 0;
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    const c = { calls: Number(m[2]), usec: Number(m[3]) };
    byCommand[m[1]!] = c;
    calls += c.calls;
    usec += c.usec;
  }
  return { calls, usec, byCommand };
}

/** What happened between two snapshots, per unit of work (e.g. per join), biggest first. */
export function perUnit(before: CommandStats, after: CommandStats, units: number) {
  const rows = Object.entries(after.byCommand)
    .map(([name, a]) => {
      const b = before.byCommand[name] ?? { calls: 0, usec: 0 };
      return { name, calls: (a.calls - b.calls) / units, usec: (a.usec - b.usec) / units };
    })
    .filter((r) => r.calls > 0.01)
    .sort((x, y) => y.usec - x.usec);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    callsPerUnit: r2((after.calls - before.calls) / units),
    usecPerUnit: r2((after.usec - before.usec) / units),
    byCommand: Object.fromEntries(rows.map((r) => [r.name, { calls: r2(r.calls), usec: r2(r.usec) }])),
  };
}

/** The slowest commands Redis logged (over slowlog-log-slower-than, 10 ms by default). */
export async function slowlog(redis: RedisClient, n = 10) {
  const raw = (await redis.call('SLOWLOG', 'GET', String(n))) as [number, number, number, string[]][];
  return raw
    .map(([, at, usec, args]) => ({
      ms: Math.round(usec / 100) / 10,
      at: new Date(at * 1000).toISOString(),
      command: args
        .slice(0, 3)
        .map((a) => (a.length > 60 ? `${a.slice(0, 40)}…(${a.length} bytes)` : a))
        .join(' '),
    }))
    .sort((a, b) => b.ms - a.ms);
}
