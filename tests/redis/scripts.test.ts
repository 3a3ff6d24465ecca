// runScript: EVALSHA by the script's SHA-1, EVAL when the Redis node does not have it cached.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type RedisClient, waitReady } from '../../src/redis/connection.ts';
import { keys } from '../../src/redis/keys.ts';
import { runScript, scriptSource } from '../../src/redis/scripts.ts';
import { onCluster, startTestRedis, type TestRedis } from '../support/redis.ts';

let t: TestRedis;
beforeAll(async () => {
  t = await startTestRedis();
});
afterAll(async () => t?.stop());

const hit = (redis: RedisClient, id: string) =>
  runScript<[number, number, number]>(redis, 'rateLimit', [keys.rateLimit('script-test', id, 1)], [5, 60]);

async function flushScripts(redis: RedisClient): Promise<void> {
  const nodes = 'nodes' in redis ? redis.nodes('master') : [redis];
  await Promise.all(nodes.map((n) => n.script('FLUSH')));
}

async function cachedOnAnyNode(redis: RedisClient, sha: string): Promise<boolean> {
  const nodes = 'nodes' in redis ? redis.nodes('master') : [redis];
  const found = await Promise.all(nodes.map((n) => n.script('EXISTS', sha) as Promise<number[]>));
  return found.some(([exists]) => exists === 1);
}

describe('runScript', () => {
  it('runs a script Redis has never seen, and again after SCRIPT FLUSH', async () => {
    await flushScripts(t.client);
    expect((await hit(t.client, 'a'))[0]).toBe(1);
    expect((await hit(t.client, 'a'))[0]).toBe(1);
    await flushScripts(t.client);
    // The second hit in the window: the script ran (the counter moved on), not just loaded.
    const [allowed, count] = await hit(t.client, 'a');
    expect(allowed).toBe(1);
    expect(count).toBe(3);
  });

  it('caches the script in Redis on first use, so later calls go by SHA-1', async () => {
    await flushScripts(t.client);
    const sha = createHash('sha1').update(scriptSource('rateLimit')).digest('hex');
    expect(await cachedOnAnyNode(t.client, sha)).toBe(false);
    await hit(t.client, 'b');
    expect(await cachedOnAnyNode(t.client, sha)).toBe(true);
  });

  it('works on a fresh client when the first call shares an auto-pipeline with other commands', async () => {
    const fresh = createRedis(t.url);
    try {
      await waitReady(fresh);
      await flushScripts(t.client);
      const key = keys.rateLimit('script-test', 'c', 1);
      const [ttl, first, second] = await Promise.all([fresh.ttl(key), hit(fresh, 'c'), hit(fresh, 'c')]);
      expect(ttl).toBe(-2);
      expect([first[1], second[1]].sort()).toEqual([1, 2]);
    } finally {
      fresh.disconnect();
    }
  });

  it('refuses a call with the wrong number of keys before sending anything', async () => {
    await expect(runScript(t.client, 'rateLimit', [], [5, 60])).rejects.toThrow(/takes 1 keys, got 0/);
    await expect(
      runScript(t.client, 'rateLimit', [keys.rateLimit('x', 'y', 1), keys.rateLimit('x', 'z', 1)], [5, 60]),
    ).rejects.toThrow(/takes 1 keys/);
  });

  it.skipIf(!onCluster)('runs on every master of a cluster', async () => {
    await flushScripts(t.client);
    const ids = Array.from({ length: 30 }, (_, i) => `n${i}`);
    const results = await Promise.all(ids.map((id) => hit(t.client, id)));
    expect(results.every(([allowed]) => allowed === 1)).toBe(true);
  });
});
