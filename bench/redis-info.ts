// Redis introspection for the figures: memory, a quiet point before timing, per-key memory samples.
import type { RedisClient } from '../src/redis/connection.ts';
import { waitFor } from './stats.ts';

/** One field of an INFO section's text. */
export const field = (text: string, name: string) =>
  new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';

export async function infoField(redis: RedisClient, section: string, name: string): Promise<string> {
  return field(await redis.info(section), name);
}

export async function usedMemory(redis: RedisClient): Promise<number> {
  return Number(await infoField(redis, 'memory', 'used_memory'));
}

/**
 * Redis' own trigger for an automatic AOF rewrite (auto-aof-rewrite-percentage 100, -min-size 64mb). The
 * bench's Redis runs with automatic rewrites off (bench/server.ts) and quiesce() applies this rule itself,
 * between steps: the AOF is compacted as often as a production server would compact it, but never during a
 * timed step.
 */
export const AOF_REWRITE_GROWTH = 2;
export const AOF_REWRITE_MIN_BYTES = 64 * 1024 * 1024;

/** The rewrites quiesce() ran during this run, for results.json. */
export const aofRewrites = { count: 0, seconds: 0, largestBaseBytes: 0 };

async function rewriteIdle(redis: RedisClient, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const p = await redis.info('persistence');
      return field(p, 'aof_rewrite_in_progress') === '0' && field(p, 'aof_rewrite_scheduled') === '0'
        ? true
        : undefined;
    },
    'the AOF rewrite to finish',
    timeoutMs,
    250,
  );
}

/**
 * A quiet point before a timed step: no AOF rewrite running, and none due. A rewrite forks and copies the
 * whole dataset, a full core for ~20 s at the ~1 GB a full run reaches; with Redis' automatic trigger one
 * started whenever a fill had doubled the file, and landed in the middle of whichever step came next (seen:
 * the notification figure at half its rate, the paced join run at a p50 of 1.6 s). So the rewrite a fill has
 * made due is run here, by the same rule Redis would apply, and waited for.
 */
export async function quiesce(
  redis: RedisClient,
  { timeoutMs = 300_000, minBytes = AOF_REWRITE_MIN_BYTES } = {},
): Promise<void> {
  await rewriteIdle(redis, timeoutMs);
  const p = await redis.info('persistence');
  if (field(p, 'aof_enabled') !== '1') return;
  const current = Number(field(p, 'aof_current_size'));
  const base = Number(field(p, 'aof_base_size'));
  if (!(current >= minBytes && current >= base * AOF_REWRITE_GROWTH)) return;
  const t0 = performance.now();
  await redis.call('BGREWRITEAOF');
  await rewriteIdle(redis, timeoutMs);
  aofRewrites.count++;
  aofRewrites.seconds += (performance.now() - t0) / 1000;
  aofRewrites.largestBaseBytes = Math.max(
    aofRewrites.largestBaseBytes,
    Number(await infoField(redis, 'persistence', 'aof_base_size')),
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
