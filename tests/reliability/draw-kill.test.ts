// A 200,000-entry draw whose worker is killed with SIGKILL three times, each at a different step (after
// the close, after the freeze, after staging), and then finished by a real worker process (`src/main.ts`,
// ROLE=worker) picking up the draw job. The results must be byte-identical to an uninterrupted run of the
// same draw: a second redis-server restored from a copy of the AOF taken before the first kill holds the
// same entries and the same secret seed, and runs the draw without interruption. After the fan-out (the
// worker's job, then once more by hand) every winner holds exactly one appointment and every message has
// exactly one job.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { addDays, localDate, targetDateFor } from '../../src/domain/calendar.ts';
import { sha256Hex } from '../../src/domain/draw-record.ts';
import { verifyPublishedDraw } from '../../src/domain/verify.ts';
import { createLogger } from '../../src/log.ts';
import { createQueues, drawJobId, enqueueDraw, fanoutJobId, type Queues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawRunner, type DrawStep, nodeHash } from '../../src/services/draw-runner.ts';
import { publicDraw } from '../../src/services/published-draw.ts';
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

const OFFICE = 'jakarta-selatan';
const ENTRIES = 200_000;
const SESSIONS = ['pagi-1', 'pagi-2', 'siang-1', 'siang-2'];
const CHILD = new URL('./fixtures/draw-child.ts', import.meta.url).pathname;

let main: RedisProcess;
let ref: RedisProcess;
let worker: FairslotProcess | null = null;
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

async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await f();
  } finally {
    timings[name] = Date.now() - t;
  }
}

beforeAll(async () => {
  main = await startRedisProcess({ dir: tempDir('draw-main') });
  deps = depsFor(main.url, main.dir);
  await seedDemoOffices(deps.redis, deps.offices);
  const office = (await deps.offices.get(OFFICE))!;
  const rules = (await deps.offices.rules(OFFICE))!.rules;
  // A month ahead: the worker runs on the real clock, and no deadline of this draw may pass during the test.
  drawDate = addDays(localDate(office.tz, new Date()), 30);
  await timed('fill', () =>
    bulkFillDraw(deps, OFFICE, drawDate, targetDateFor(rules, drawDate), ENTRIES, {
      prefs: (i) => (i % 3 === 0 ? null : [SESSIONS[i % 4]!, SESSIONS[(i + 1) % 4]!]),
      category: (i) => (i % 25 === 0 ? 'lansia' : null),
    }),
  );
  // The backup procedure of docs/operations.md: rewrite the AOF, then copy appendonlydir. The copy,
  // started as its own redis-server, is the twin the uninterrupted run works on.
  await timed('snapshot', async () => {
    await deps.redis.bgrewriteaof();
    await waitFor(
      async () =>
        /aof_rewrite_in_progress:0[\s\S]*aof_rewrite_scheduled:0/.test(await deps.redis.info('persistence')),
      'AOF rewrite',
      60_000,
      100,
    );
    const refDir = tempDir('draw-ref');
    cpSync(path.join(main.dir, 'appendonlydir'), path.join(refDir, 'appendonlydir'), { recursive: true });
    ref = await startRedisProcess({ dir: refDir });
  });
  refDeps = depsFor(ref.url, ref.dir);
  const queueConnection = createRedis(main.url, { forBullmq: true });
  clients.push(queueConnection);
  queues = createQueues(queueConnection);
}, 180_000);

afterAll(async () => {
  if (worker) await worker.kill('SIGKILL');
  await queues?.close();
  for (const c of clients) c.disconnect();
  for (const r of [main, ref]) {
    if (!r) continue;
    await r.stop();
    rmSync(r.dir, { recursive: true, force: true });
  }
  console.info(`draw-kill timings ms ${JSON.stringify(timings)}`);
});

interface DrawChild {
  /** Starts the draw and resolves once `step` is done; the child then stands still. */
  runUntilStep(): Promise<void>;
  kill(): Promise<void>;
}

/** A draw process that will stop right after `step`; started ahead so its start-up overlaps other work. */
async function drawChild(step: DrawStep): Promise<DrawChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      ...TEST_SECRETS,
      REDIS_URL: main.url,
      DATA_DIR: main.dir,
      OFFICE,
      DRAW_DATE: drawDate,
      STOP_AT: step,
      LOG_LEVEL: 'silent',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const seen = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.split('\n').includes(line)) resolve();
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => reject(new Error(`draw child exited (${code}) before "${line}": ${out}`)));
      check();
    });
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await seen('ready');
  return {
    async runUntilStep() {
      child.stdin!.write('go\n');
      await seen(`step ${step}`);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function jobState(queue: 'draw' | 'lifecycle', id: string): Promise<string | false> {
  const job = await queues[queue].getJob(id);
  const state = job ? await job.getState() : 'missing';
  if (state === 'failed') throw new Error(`${id} failed: ${job?.failedReason}`);
  return state === 'completed' ? state : false;
}

async function notifyIdle(): Promise<boolean> {
  return (await queues.notify.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')) === 0;
}

/** The send records' keys (one per message ever decided), sorted. */
async function sendRecordKeys(): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = (await deps.redis.call(
      'SCAN',
      cursor,
      'MATCH',
      keys.notification('*'),
      'COUNT',
      1000,
    )) as [string, string[]];
    for (const k of batch) found.add(k);
    cursor = next;
  } while (cursor !== '0');
  return [...found].sort();
}

async function allJobIds(queue: 'notify' | 'lifecycle'): Promise<string[]> {
  const jobs = await queues[queue].getJobs(
    ['completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized', 'waiting-children'],
    0,
    -1,
  );
  return jobs.map((j) => j.id!);
}

describe('a 200,000-entry draw killed after close, freeze and staging', () => {
  it('finishes with the results of an uninterrupted run, one appointment per winner, each message decided once', async () => {
    // The uninterrupted twin runs meanwhile, in this process, on the copy.
    const uninterrupted = timed('uninterrupted run', async () => {
      await new DrawRunner(refDeps).run(OFFICE, drawDate);
      return {
        results: await refDeps.draws.results(OFFICE, drawDate),
        frozen: await refDeps.draws.frozen(OFFICE, drawDate),
        meta: (await refDeps.draws.meta(OFFICE, drawDate))!,
      };
    });

    // Every process start-up is paid up front, in parallel; the kills then follow each other at once.
    const [afterClose, afterFreeze, afterStaging, restarted] = await timed('process start-up', () =>
      Promise.all([
        drawChild('closed'),
        drawChild('frozen'),
        drawChild('staged'),
        startFairslot({ ROLE: 'worker', REDIS_URL: main.url, DATA_DIR: main.dir }),
      ]),
    );
    worker = restarted;
    await waitFor(
      async () => (await queues.draw.getWorkersCount()) > 0,
      'the worker to register',
      60_000,
      200,
    );

    await timed('kill after closed', async () => {
      await afterClose.runUntilStep();
      await afterClose.kill();
    });
    let meta = (await deps.draws.meta(OFFICE, drawDate))!;
    expect(meta.state).toBe('closed');
    expect(await deps.draws.frozen(OFFICE, drawDate)).toBeNull();

    await timed('kill after frozen', async () => {
      await afterFreeze.runUntilStep();
      await afterFreeze.kill();
    });
    meta = (await deps.draws.meta(OFFICE, drawDate))!;
    const frozenDigest = meta.entriesDigest!;
    expect(frozenDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex((await deps.draws.frozen(OFFICE, drawDate))!, nodeHash)).toBe(frozenDigest);
    expect(meta.entryCount).toBe(ENTRIES);

    await timed('kill after staged', async () => {
      await afterStaging.runUntilStep();
      await afterStaging.kill();
    });
    meta = (await deps.draws.meta(OFFICE, drawDate))!;
    expect(meta.state).toBe('closed');
    const staged = await deps.redis.get(keys.drawResultsStaging(OFFICE, drawDate));
    expect(staged).toBeTruthy();
    expect(await deps.draws.results(OFFICE, drawDate)).toBeNull();

    // Restart: a real worker process (idle until now) takes the draw job, resumes, commits and fans out.
    await timed('worker finishes', async () => {
      await enqueueDraw(queues.draw, OFFICE, drawDate);
      await waitFor(() => jobState('draw', drawJobId(OFFICE, drawDate)), 'the draw job', 240_000, 200);
      await waitFor(
        () => jobState('lifecycle', fanoutJobId(OFFICE, drawDate)),
        'the fan-out job',
        240_000,
        200,
      );
    });

    meta = (await deps.draws.meta(OFFICE, drawDate))!;
    const committed = await deps.draws.results(OFFICE, drawDate);
    const twin = await uninterrupted;
    expect(meta.state).toBe('drawn');
    expect(meta.entriesDigest).toBe(frozenDigest);
    expect(committed).toBe(staged);
    expect(committed).toBe(twin.results);
    expect(meta.resultsDigest).toBe(twin.meta.resultsDigest);
    // The frozen list keeps the order the entries were read in (HSCAN order, which differs between a
    // server and one restored from its AOF), so the twins' digests may differ; the entries may not.
    const lines = (t: string | null) => (t ?? '').split('\n').filter(Boolean).sort();
    expect(lines(await deps.draws.frozen(OFFICE, drawDate))).toEqual(lines(twin.frozen));
    expect(await deps.redis.exists(keys.drawOutcomeStaging(OFFICE, drawDate))).toBe(0);
    expect(await deps.redis.exists(keys.drawResultsStaging(OFFICE, drawDate))).toBe(0);

    const published = (await publicDraw(deps, OFFICE, drawDate))!;
    expect(published.entries).toHaveLength(ENTRIES);
    const report = await timed('verify', async () => verifyPublishedDraw(published, nodeHash));
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.match).toBe(true);

    const winners = published.results!.filter((r) => r.sessionId !== null);
    const quota = published.sessions.reduce((n, s) => n + s.capacity, 0);
    expect(winners).toHaveLength(quota);
    const byTicket = await deps.redis.hgetall(keys.ticketAppointment(OFFICE, drawDate));
    expect(Object.keys(byTicket).sort()).toEqual(winners.map((w) => w.ticket).sort());
    expect(new Set(Object.values(byTicket)).size).toBe(winners.length);
    expect(await deps.redis.scard(keys.dayAppointments(OFFICE, meta.targetDate))).toBe(winners.length);
    const held = await deps.redis.hgetall(keys.dayHeld(OFFICE, meta.targetDate));
    for (const s of published.sessions) expect(Number(held[s.id])).toBe(s.capacity);

    // One message per winner and per waitlisted applicant told. A completed notify job is removed at once,
    // so each message is counted by its send record, which every delivery writes exactly once per
    // idempotency key. (These synthetic entries have no accounts: each record says so, 'failed'.)
    const waitlistTold = Math.min(ENTRIES - quota, quota * 2);
    const messages = winners.length + waitlistTold;
    await waitFor(
      async () => (await notifyIdle()) && (await sendRecordKeys()).length >= messages,
      'every message to be decided',
      120_000,
      200,
    );
    const decided = await sendRecordKeys();
    expect(decided).toHaveLength(messages);
    expect((await deps.redis.hget(decided[0]!, 'state')) ?? '').toBe('failed');

    // Fan-out once more by hand, with the same queues: whatever it enqueues again is one more try of the
    // same messages, which their records turn away; no new message appears.
    deps.queues = queues;
    await timed('second fan-out', () => deps.lifecycle.fanout(OFFICE, drawDate));
    await waitFor(notifyIdle, 'the notify queue to drain', 120_000, 200);
    expect(await sendRecordKeys()).toEqual(decided);
    const forfeits = (await allJobIds('lifecycle')).filter((id) => id.startsWith('forfeit.'));
    expect(forfeits.sort()).toEqual(
      Object.values(byTicket)
        .map((code) => `forfeit.${code}`)
        .sort(),
    );

    // The restarted worker shuts down cleanly too.
    const exit = await worker!.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    worker = null;
  }, 600_000);
});
