// Expired no-show penalties leave the hash every draw reads; live ones, and ones renewed meanwhile, stay.
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/redis/keys.ts';
import { pruneExpiredPenalties } from '../../src/store/penalty-prune.ts';
import { maintenanceProcessor } from '../../workers/maintenance.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

describe('pruning no-show penalties', () => {
  it('removes only penalties that have ended, over many scan pages', async () => {
    const redis = sys.deps.redis;
    const now = sys.clock.now.getTime();
    const fields: string[] = [];
    for (let i = 0; i < 2500; i++) {
      // Every third one still runs; one ends exactly now (ended: "until" is exclusive in the draw).
      const until = i % 3 === 0 ? now + 86_400_000 : i === 1 ? now : now - 1000 * (i + 1);
      fields.push(`person-${i}`, String(until));
    }
    await redis.hset(keys.penalties(), ...fields);
    const run = maintenanceProcessor(sys.deps);
    const result = await run({ name: 'prune-penalties', data: {} } as Job);
    expect(result).toEqual({ pruned: 2500 - 834 });
    const left = await redis.hgetall(keys.penalties());
    expect(Object.keys(left)).toHaveLength(834);
    expect(Object.values(left).every((v) => Number(v) > now)).toBe(true);
  });

  it('keeps a penalty renewed after the scan saw it expired', async () => {
    const redis = sys.deps.redis;
    const now = sys.clock.now.getTime();
    await redis.del(keys.penalties());
    await redis.hset(keys.penalties(), 'renewed', String(now - 1));
    // Renew between the scan and the delete, as a no-show strike landing at that moment would.
    const original = redis.hscan.bind(redis);
    const spy = async (...args: Parameters<typeof original>) => {
      const r = await original(...args);
      await redis.hset(keys.penalties(), 'renewed', String(now + 3_600_000));
      return r;
    };
    (redis as unknown as { hscan: typeof spy }).hscan = spy;
    try {
      expect(await pruneExpiredPenalties(redis, now)).toBe(0);
    } finally {
      (redis as unknown as { hscan: typeof original }).hscan = original;
    }
    expect(await redis.hget(keys.penalties(), 'renewed')).toBe(String(now + 3_600_000));
  });
});
