// A 100,000-entry draw whose worker process (src/main.ts, ROLE=worker) is SIGKILLed twice in the middle of
// the draw, once after the close and once after the freeze, with nobody pressing anything: the draw job was
// added as the scheduler's tick adds it, and each restarted worker takes it up again on its own (its lock
// runs out, the stalled check hands it back). It completes byte-identical to an uninterrupted twin: a
// second redis-server restored from a copy of the AOF taken before the first kill, drawn in one go.
// Timed: from each kill to the next worker resuming the draw, and to the draw being drawn.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { addDays, localDate, targetDateFor } from '../../src/domain/calendar.ts';
import { createLogger } from '../../src/log.ts';
import { createQueues, drawJobId, enqueueDraw, type Queues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { bulkFillDraw } from '../support/bulk-entries.ts';
import {
  type FairslotProcess,
  type RedisProcess,
  startFairslot,
  startRedisProcess,
  TEST_SECRETS,
  tempDir,
  waitFor,
} from '../support/processes.ts';

const OFFICE = 'surabaya';
const ENTRIES = 100_000;
const SESSIONS = ['pagi-1', 'pagi-2', 'siang-1', 'siang-2'];

let main: RedisProcess;
let ref: RedisProcess;
const workers: FairslotProcess[] = [];
const clients: RedisClient[] = [];
let deps: Deps;
let refDeps: Deps;
let queues: Queues;
let drawDate: string;
const timings: Record<string, number> = {};

function depsFor(url: string, dir: string): Deps {
  const client = createRedis(url);
  clients.push(client);
  const config = loadConfig({ ...TEST_SECRETS, REDIS_URL: url, DATA_DIR: dir, LOG_LEVEL: 'silent' });
  return createDeps(config, client, createLogger('silent'));
}

beforeAll(async () => {
  main = await startRedisProcess({ dir: tempDir('draw-unattended') });
  deps = depsFor(main.url, main.dir);
  await seedDemoOffices(deps.redis, deps.offices);
  const office = (await deps.offices.get(OFFICE))!;
  const rules = (await deps.offices.rules(OFFICE))!.rules;
  // A month ahead: the workers run on the real clock, and nothing of this draw may fall due meanwhile.
  drawDate = addDays(localDate(office.tz, new Date()), 30);
  await bulkFillDraw(deps, OFFICE, drawDate, targetDateFor(rules, drawDate), ENTRIES, {
    prefs: (i) => (i % 3 === 0 ? null : [SESSIONS[i % 4]!, SESSIONS[(i + 1) % 4]!]),
    category: (i) => (i % 25 === 0 ? 'lansia' : null),
  });
  // The backup procedure of docs/operations.md; the copy is the uninterrupted twin.
  await deps.redis.bgrewriteaof();
  await waitFor(
    async () =>
      /aof_rewrite_in_progress:0[\s\S]*aof_rewrite_scheduled:0/.test(await deps.redis.info('persistence')),
    'AOF rewrite',
    60_000,
    100,
  );
  const refDir = tempDir('draw-unattended-ref');
  cpSync(path.join(main.dir, 'appendonlydir'), path.join(refDir, 'appendonlydir'), { recursive: true });
  ref = await startRedisProcess({ dir: refDir });
  refDeps = depsFor(ref.url, ref.dir);
  const queueConnection = createRedis(main.url, { forBullmq: true });
  clients.push(queueConnection);
  queues = createQueues(queueConnection);
}, 180_000);

afterAll(async () => {
  for (const w of workers) await w.kill('SIGKILL');
  await queues?.close();
  for (const c of clients) c.disconnect();
  for (const r of [main, ref]) {
    if (!r) continue;
    await r.stop();
    rmSync(r.dir, { recursive: true, force: true });
  }
  console.info(`draw-kill-unattended timings ms ${JSON.stringify(timings)}`);
});

const startWorker = async () => {
  const w = await startFairslot({
    ROLE: 'worker',
    REDIS_URL: main.url,
    DATA_DIR: main.dir,
    LOG_LEVEL: 'debug',
  });
  workers.push(w);
  return w;
};

/** The instant a worker logs that the draw reached `step` (DrawRunner's debug line). */
const reached = (w: FairslotProcess, step: string, from = 0) =>
  waitFor(
    () => {
      const i = w.lines.findIndex(
        (l, j) => j >= from && l.includes('"msg":"draw step"') && l.includes(`"step":"${step}"`),
      );
      return i >= 0 ? Date.now() : false;
    },
    `a worker to log step ${step}`,
    120_000,
    5,
  );

describe('a 100,000-entry draw whose worker is killed twice, with nobody pressing anything', () => {
  it('completes on its own, byte-identical to an uninterrupted twin', async () => {
    const uninterrupted = (async () => {
      await new DrawRunner(refDeps).run(OFFICE, drawDate);
      return {
        results: await refDeps.draws.results(OFFICE, drawDate),
        meta: (await refDeps.draws.meta(OFFICE, drawDate))!,
      };
    })();

    // As the scheduler's tick adds it. From here on the test only kills and restarts processes.
    const first = await startWorker();
    await enqueueDraw(queues.draw, OFFICE, drawDate);
    await reached(first, 'closed');
    await first.kill('SIGKILL');
    const kill1 = Date.now();
    let meta = (await deps.draws.meta(OFFICE, drawDate))!;
    expect(meta.state).toBe('closed');
    expect(meta.entriesDigest).toBeNull();

    // A restarted worker (a supervisor's restart) takes the job up again once the dead one's lock is gone.
    const second = await startWorker();
    const resumed1 = await reached(second, 'closed');
    timings['kill 1 → resumed'] = resumed1 - kill1;
    await reached(second, 'frozen');
    await second.kill('SIGKILL');
    const kill2 = Date.now();
    meta = (await deps.draws.meta(OFFICE, drawDate))!;
    expect(meta.state).toBe('closed');
    expect(meta.entriesDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.entryCount).toBe(ENTRIES);

    const third = await startWorker();
    const resumed2 = await reached(third, 'closed');
    timings['kill 2 → resumed'] = resumed2 - kill2;
    await waitFor(
      async () => (await deps.draws.meta(OFFICE, drawDate))?.state === 'drawn',
      'the draw',
      120_000,
      50,
    );
    timings['kill 2 → drawn'] = Date.now() - kill2;

    // Resumed within 30 s of each crash, process restart included.
    expect(timings['kill 1 → resumed']).toBeLessThan(30_000);
    expect(timings['kill 2 → resumed']).toBeLessThan(30_000);

    const job = (await queues.draw.getJob(drawJobId(OFFICE, drawDate)))!;
    await waitFor(async () => (await job.getState()) === 'completed', 'the draw job to complete', 30_000, 50);

    meta = (await deps.draws.meta(OFFICE, drawDate))!;
    const twin = await uninterrupted;
    const results = await deps.draws.results(OFFICE, drawDate);
    expect(results).toBeTruthy();
    expect(Buffer.from(results!).equals(Buffer.from(twin.results!))).toBe(true);
    expect(meta.resultsDigest).toBe(twin.meta.resultsDigest);
    expect(meta.entryCount).toBe(ENTRIES);
    expect(meta.winners).toBe(twin.meta.winners);

    const exit = await third.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
  }, 240_000);
});
