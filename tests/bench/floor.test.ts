// The bench's floor server: the least a join can do on this stack (JSON body, one Lua script, JSON answer),
// served in the same process shape as fairslot. Its figure is only meaningful if it really writes through
// Redis and answers both routes from every HTTP process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FloorServer, startFloorServer } from '../../bench/floor/floor.ts';
import { FLOOR_KEYS } from '../../bench/floor/keys.ts';
import { onCluster, startTestRedis, type TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let floor: FloorServer;

beforeAll(async () => {
  redis = await startTestRedis();
  floor = await startFloorServer(redis.url, 2);
}, 60_000);
afterAll(async () => {
  await floor?.stop();
  await redis?.stop();
});

describe.skipIf(onCluster)('the floor server', () => {
  it('stores each join through its script and counts it', async () => {
    const joins = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${floor.url}/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify({ personId: `p${i}`, officeId: 'medan', prefs: 'any' }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { entryCount: number } })),
      ),
    );
    expect(joins.every((j) => j.status === 201)).toBe(true);
    expect(joins.map((j) => j.body.entryCount).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(await redis.client.hlen(FLOOR_KEYS[0])).toBe(40);
    expect(await redis.client.hget(FLOOR_KEYS[0], 'p7')).toBe('medan');
    const health = await fetch(`${floor.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { ok: true }]);
  });

  it('stops on SIGTERM', async () => {
    await floor.stop();
    await expect(fetch(`${floor.url}/healthz`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  });
});
