// The bench's quiet point: its Redis never rewrites the AOF on its own, and quiesce() runs the rewrite a
// fill has made due (by Redis' own rule: the file at least doubled since the last one) before a timed step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aofRewrites, infoField, quiesce } from '../../bench/redis-info.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../src/redis/embedded.ts';

let dir: string;
let server: EmbeddedRedis;
let redis: RedisClient;

const aof = async (name: string) => Number(await infoField(redis, 'persistence', name));

/** Writes about `mb` megabytes of new keys (each SET goes to the AOF). */
async function fill(prefix: string, mb: number) {
  const value = 'x'.repeat(1024);
  for (let i = 0; i < mb * 1024; i += 256) {
    const batch = redis.pipeline();
    for (let j = i; j < i + 256; j++) batch.set(`${prefix}:${j}`, value);
    await batch.exec();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fairslot-quiesce-'));
  // As bench/server.ts starts it. Redis' default min size is 64 MB; the test uses its own small minimum.
  server = await startEmbeddedRedis({
    dataDir: dir,
    extraArgs: ['--auto-aof-rewrite-percentage', '0', '--auto-aof-rewrite-min-size', '1mb'],
  });
  redis = createRedis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('quiesce', () => {
  it('runs the rewrite a fill made due, once, and none starts on its own', async () => {
    await fill('a', 4);
    // Far past Redis' trigger (min size 1 MB here, doubled), yet nothing rewrote the file.
    expect(await aof('aof_rewrites')).toBe(0);
    const before = { count: aofRewrites.count, size: await aof('aof_current_size') };
    expect(before.size).toBeGreaterThan(4 * 1024 * 1024);

    await quiesce(redis, { minBytes: 1024 * 1024 });
    expect(aofRewrites.count).toBe(before.count + 1);
    expect(await aof('aof_rewrites')).toBe(1);
    expect(await aof('aof_rewrite_in_progress')).toBe(0);
    const base = await aof('aof_base_size');
    expect(base).toBeGreaterThan(0);
    expect(await aof('aof_current_size')).toBeLessThan(2 * base);

    // Nothing due: no second rewrite.
    await quiesce(redis, { minBytes: 1024 * 1024 });
    expect(await aof('aof_rewrites')).toBe(1);

    // Below the minimum size nothing is due either, however much the file grew in proportion.
    await fill('b', 6);
    await quiesce(redis, { minBytes: 64 * 1024 * 1024 });
    expect(await aof('aof_rewrites')).toBe(1);
    expect(await redis.dbsize()).toBe(10 * 1024);
  });
});
