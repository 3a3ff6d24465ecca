// The nightly AOF rewrite: scheduled at the configured local time, started on every node whose file has
// grown, left alone where it has not, and reported (not thrown) where Redis refuses the command.
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import {
  type AofState,
  compactAofs,
  type NodeOutcome,
  nightlyRewrite,
  parseAofState,
} from '../../src/redis/aof-compaction.ts';
import { createRedis } from '../../src/redis/connection.ts';
import { startEmbeddedRedis } from '../../src/redis/embedded.ts';
import { maintenanceProcessor } from '../../workers/maintenance.ts';
import { AOF_REWRITE_SCHEDULER, syncAllSchedulers } from '../../workers/schedulers.ts';
import { onCluster, startTestRedis } from '../support/redis.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem(
    { AOF_REWRITE_AT: '02:30', AOF_REWRITE_TZ: 'Asia/Makassar' },
    { workers: true },
  );
});
afterAll(async () => {
  await sys?.stop();
});

const state = (over: Partial<AofState>): AofState => ({
  enabled: true,
  rewriting: false,
  currentBytes: 1000,
  baseBytes: 1000,
  ...over,
});

describe('when a nightly rewrite is due', () => {
  it('reads INFO persistence', () => {
    const info = [
      '# Persistence',
      'aof_enabled:1',
      'aof_rewrite_in_progress:0',
      'aof_rewrite_scheduled:1',
      'aof_current_size:5242880',
      'aof_base_size:1048576',
      '',
    ].join('\r\n');
    expect(parseAofState(info)).toEqual({
      enabled: true,
      rewriting: true,
      currentBytes: 5_242_880,
      baseBytes: 1_048_576,
    });
    expect(parseAofState('aof_enabled:0\r\n').enabled).toBe(false);
  });

  it('only when the AOF is on, idle and grown by more than a tenth', () => {
    expect(nightlyRewrite(state({ enabled: false, currentBytes: 9000 }))).toBe('aof_off');
    expect(nightlyRewrite(state({ rewriting: true, currentBytes: 9000 }))).toBe('already_rewriting');
    expect(nightlyRewrite(state({ currentBytes: 1100 }))).toBe('not_due');
    expect(nightlyRewrite(state({ currentBytes: 1101 }))).toBe('due');
    expect(nightlyRewrite(state({ baseBytes: 0, currentBytes: 1 }))).toBe('due');
  });

  it('AOF_REWRITE_AT takes HH:MM or off, AOF_REWRITE_TZ an IANA zone', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).AOF_REWRITE_AT).toBe('03:00');
    expect(loadConfig({ NODE_ENV: 'test', AOF_REWRITE_AT: 'off' }).AOF_REWRITE_AT).toBe('off');
    for (const bad of ['3:00', '24:00', '03:60', 'never']) {
      expect(() => loadConfig({ AOF_REWRITE_AT: bad })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ AOF_REWRITE_TZ: 'WITA' })).toThrow(/AOF_REWRITE_TZ/);
  });
});

describe('the nightly rewrite job', () => {
  it('is scheduled daily at the configured local time, and removed when off', async () => {
    await syncAllSchedulers(sys.deps);
    const queue = sys.deps.queues!.maintenance;
    const s = await queue.getJobScheduler(AOF_REWRITE_SCHEDULER);
    expect(s?.pattern).toBe('30 2 * * *');
    expect(s?.tz).toBe('Asia/Makassar');
    // 02:30 WITA (UTC+8) is 18:30 UTC.
    const next = new Date(s!.next!);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([18, 30]);

    await syncAllSchedulers({ ...sys.deps, config: { ...sys.deps.config, AOF_REWRITE_AT: 'off' } });
    expect(await queue.getJobScheduler(AOF_REWRITE_SCHEDULER)).toBeUndefined();
  });

  it('rewrites every node whose file grew, then finds nothing due', async () => {
    const redis = sys.deps.redis;
    const value = 'v'.repeat(512);
    // Many hash tags, so that on a Cluster every master gets some of the writes.
    for (let tag = 0; tag < 64; tag++) {
      const args: string[] = [];
      for (let i = 0; i < 64; i++) args.push(`aofc:{t${tag}}:${i}`, value);
      await redis.mset(...args);
    }
    const run = maintenanceProcessor(sys.deps);
    const first = (await run({ name: 'aof-rewrite', data: {} } as Job)) as { nodes: NodeOutcome[] };
    expect(first.nodes.length).toBe(onCluster ? 3 : 1);
    for (const n of first.nodes) {
      expect(n.outcome).toBe('started');
      expect(n.currentBytes).toBeGreaterThan(n.baseBytes);
    }

    // Wait for every rewrite to end; the next night (nothing written since) has nothing to do.
    const idle = async () =>
      (await compactAofsDryRun()).every((s) => !s.rewriting && s.currentBytes <= s.baseBytes * 1.1);
    const until = Date.now() + 20_000;
    while (!(await idle())) {
      if (Date.now() > until) throw new Error('the rewrites did not finish');
      await new Promise((r) => setTimeout(r, 100));
    }
    const second = (await run({ name: 'aof-rewrite', data: {} } as Job)) as { nodes: NodeOutcome[] };
    expect(second.nodes.map((n) => n.outcome)).toEqual(first.nodes.map(() => 'not_due'));
    expect(sys.logLines.join('')).toContain('nightly AOF rewrite');
  });
});

/** Each node's AOF state, read the way compactAofs reads it. */
async function compactAofsDryRun(): Promise<AofState[]> {
  const redis = sys.deps.redis;
  const nodes = 'nodes' in redis && typeof redis.nodes === 'function' ? redis.nodes('master') : [redis];
  return Promise.all(nodes.map(async (n) => parseAofState(await n.info('persistence'))));
}

describe.skipIf(onCluster)('a Redis that refuses BGREWRITEAOF', () => {
  it('is reported as refused, not thrown', async () => {
    // As some managed services do: the command is renamed away.
    const base = await startTestRedis();
    const dir = `${base.dir}/refusing`;
    const server = await startEmbeddedRedis({
      dataDir: dir,
      extraArgs: ['--rename-command', 'BGREWRITEAOF', ''],
    });
    const client = createRedis(server.url);
    try {
      await client.set('k', 'x'.repeat(4096));
      const [n] = await compactAofs(client);
      expect(n!.outcome).toBe('refused');
      expect(n!.error).toMatch(/unknown command/i);
    } finally {
      client.disconnect();
      await server.stop();
      await base.stop();
    }
  });
});
