// redis_bytes_per_entry, draw_1m_s / draw_ratio and draw_all_offices_s. The draws run in this process with
// the real DrawRunner configured as the draw worker configures it (close → HSCAN in the draw thread →
// weights and frozen text → rank, assign, results text → stage → commit) against the bench Redis; the
// baseline is only reading the same entries with the same HSCAN batches.

import path from 'node:path';
import type { RedisClient } from '../../src/redis/connection.ts';
import { ENTRY_BUCKETS, keys } from '../../src/redis/keys.ts';
import { warmDrawThread } from '../../src/services/draw-compute-client.ts';
import { DrawRunner, type DrawStep } from '../../src/services/draw-runner.ts';
import { detail, type FigureContext, figure } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import {
  bulkLoadDraw,
  createOffice,
  fillDraw,
  fillGroups,
  type Registered,
  registerHouseholds,
  registerPersons,
} from '../fill.ts';
import { profiled, summarizeProfile } from '../profile.ts';
import { commandStats, infoField, memoryUsage, perUnit, quiesce, usedMemory } from '../redis-info.ts';
import { log, round, seconds, timed } from '../stats.ts';

/** A Monday far ahead: bench draws never collide with the dates the HTTP joins go into. */
const DRAW_DATE = '2030-01-07';
const TARGET_DATE = '2030-01-09';

export async function memoryFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const redis = sys.deps.redis;
  const officeId = 'bench-mem';
  const n = sizes.memoryEntries;
  await createOffice(sys.deps, officeId);
  // A join is an applicant's: the account and the person (NIK binding) exist before it and are not its cost.
  await quiesce(redis);
  const beforeRegistration = await usedMemory(redis);
  const reg = await timed(() => registerPersons(sys.fast, ctx.ids, n));
  const persons = reg.value;
  const perApplicant = round(((await usedMemory(redis)) - beforeRegistration) / n, 1);
  log(`memory: ${n} applicants registered in ${seconds(reg.ms)} s, ${perApplicant} bytes each`);

  const sample = persons.slice(0, 100);
  const usageBefore = await perKeyUsage(redis, sample);

  await quiesce(redis);
  const before = await usedMemory(redis);
  const fill = await timed(() =>
    fillDraw(sys.fast, ctx.ids, { officeId, drawDate: DRAW_DATE, targetDate: TARGET_DATE }, n, { persons }),
  );
  const after = await usedMemory(redis);
  const perEntry = round((after - before) / n, 1);
  log(`memory: ${n} real joins in ${seconds(fill.ms)} s, ${perEntry} bytes per entry`);

  const usageAfter = await perKeyUsage(redis, sample);
  const buckets = await bucketUsage(redis, officeId);
  const breakdown = breakdownOf(buckets.bytes / n, usageBefore, usageAfter, sample.length);
  const encodings = buckets.encodings;
  let payload = 0;
  let payloadEntries = 0;
  for await (const flat of sys.deps.draws.scanEntries(officeId, DRAW_DATE)) {
    for (let i = 0; i < flat.length; i += 2) payload += flat[i]!.length + flat[i + 1]!.length;
    payloadEntries += flat.length / 2;
  }
  figure(ctx, 'redis_bytes_per_entry', perEntry);
  const group = await groupMemory(ctx);
  detail(ctx, 'redis_memory', {
    entries: n,
    usedMemoryDelta: after - before,
    joinsPerSecondDuringFill: round(n / (fill.ms / 1000), 0),
    // MEMORY USAGE growth per entry: the draw's buckets over all entries, the account and person hashes over
    // a sample (allocator size classes make single keys grow in steps, hence the gap to the delta).
    perEntryBreakdown: breakdown,
    // Buckets by encoding: all listpack unless a bucket outgrew hash-max-listpack-entries (docs/operations.md).
    bucketEncodings: encodings,
    packedEntryPayloadBytes: round(payload / payloadEntries, 1),
    // Not part of the figure: what an applicant (account with one person, no session) costs before joining.
    bytesPerRegisteredApplicant: perApplicant,
    groupEntries: group,
  });
}

// Where the bytes go, for a sample of the persons: every per-person and per-account key, found by trying
// each one-argument key builder of src/redis/keys.ts with the person's NIK hash and account id (so a key
// added to the join later shows up here by itself), measured before and after the joins.
const builders = Object.entries(keys).filter(([, fn]) => fn.length === 1) as [
  string,
  (a: string) => string,
][];

async function perKeyUsage(redis: RedisClient, sample: readonly Registered[]) {
  const out: Record<string, number> = {};
  const accounts = new Set(sample.map((p) => p.accountId));
  for (const [name, build] of builders) {
    for (const arg of [...sample.map((p) => p.nikHash), ...accounts])
      out[name] = (out[name] ?? 0) + (await memoryUsage(redis, build(arg)));
  }
  return out;
}

async function bucketUsage(redis: RedisClient, officeId: string) {
  let bytes = 0;
  const encodings: Record<string, number> = {};
  for (const b of ENTRY_BUCKETS) {
    const key = keys.drawEntries(officeId, DRAW_DATE, b);
    bytes += await memoryUsage(redis, key);
    const enc = String(await redis.object('ENCODING', key));
    encodings[enc] = (encodings[enc] ?? 0) + 1;
  }
  return { bytes, encodings };
}

function breakdownOf(
  bucketBytesPerEntry: number,
  before: Record<string, number>,
  after: Record<string, number>,
  sampled: number,
): Record<string, number> {
  const out: Record<string, number> = { drawEntryBuckets: round(bucketBytesPerEntry, 1) };
  for (const [name, bytes] of Object.entries(after)) {
    const grown = bytes - (before[name] ?? 0);
    if (grown !== 0) out[`${name}Key`] = round(grown / sampled, 1);
  }
  return out;
}

/** Persons of a household joining as one group entry (the draw's most common group size is small). */
const GROUP_SIZE = 4;

/**
 * redis_bytes_per_group_entry: the same measure for group entries, per person, over real group joins into
 * a draw of their own (a member's entry also holds its group flag; its account record, the group's).
 */
async function groupMemory(ctx: FigureContext) {
  const { sys, sizes } = ctx;
  const redis = sys.deps.redis;
  // As long as the single entries' office id: the id is part of every member's claim and account record.
  const officeId = 'bench-grp';
  const households = Math.round(sizes.memoryEntries / GROUP_SIZE);
  const persons = households * GROUP_SIZE;
  await createOffice(sys.deps, officeId);
  const registered = await registerHouseholds(sys.deps, ctx.ids, households, GROUP_SIZE);
  const sample = registered.slice(0, 25).flat();
  const usageBefore = await perKeyUsage(redis, sample);
  await quiesce(redis);
  const overhead0 = Number(await infoField(redis, 'memory', 'used_memory_overhead'));
  const before = await usedMemory(redis);
  const fill = await timed(() =>
    fillGroups(sys.deps, { officeId, drawDate: DRAW_DATE, targetDate: TARGET_DATE }, registered),
  );
  const perPerson = round(((await usedMemory(redis)) - before) / persons, 1);
  const overhead = Number(await infoField(redis, 'memory', 'used_memory_overhead')) - overhead0;
  const usageAfter = await perKeyUsage(redis, sample);
  const buckets = await bucketUsage(redis, officeId);
  log(
    `memory: ${households} group joins of ${GROUP_SIZE} in ${seconds(fill.ms)} s, ${perPerson} bytes per person`,
  );
  figure(ctx, 'redis_bytes_per_group_entry', perPerson);
  return {
    households,
    groupSize: GROUP_SIZE,
    persons,
    // Redis' own bookkeeping (the keyspace's hash table, client and AOF buffers): a resize of the keyspace
    // table during the fill lands here, and in the figure, in one step.
    overheadPerPerson: round(overhead / persons, 1),
    perPersonBreakdown: breakdownOf(buckets.bytes / persons, usageBefore, usageAfter, sample.length),
  };
}

/** Reads every entry of the draw the way the runner does (DrawStore.scanEntries), and nothing else. */
async function scanAll(ctx: FigureContext, officeId: string): Promise<number> {
  let n = 0;
  for await (const flat of ctx.sys.deps.draws.scanEntries(officeId, DRAW_DATE)) n += flat.length / 2;
  return n;
}

async function runDraw(ctx: FigureContext, officeId: string, opts: { cpu?: boolean } = {}) {
  const steps: Partial<Record<DrawStep, number>> = {};
  const withCpu = opts.cpu ?? true;
  const cpu0 = withCpu ? await cpuSnapshot(undefined, ctx.sys.deps.redis) : null;
  const t0 = performance.now();
  let last = t0;
  const runner = new DrawRunner(
    ctx.sys.deps,
    (step) => {
      const now = performance.now();
      steps[step] = round((now - last) / 1000, 3);
      last = now;
    },
    // As the draw worker runs it (workers/draw.ts): the draw thread reads the entries from Redis itself.
    { redisUrl: ctx.sys.redisUrl },
  );
  const result = await runner.run(officeId, DRAW_DATE);
  const ms = performance.now() - t0;
  const cpu = cpu0 ? cpuPerUnit(cpu0, await cpuSnapshot(undefined, ctx.sys.deps.redis), 1) : null;
  if (result.meta.state !== 'drawn') throw new Error(`draw ${officeId}: state ${result.meta.state}`);
  return { ms, steps, meta: result.meta, cpu };
}

/** Draws of the draw figure, each of its own office of drawEntries entries; the faster counts. */
const DRAW_PASSES = 2;

export async function drawFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const n = sizes.drawEntries;
  // As in a process running the draw worker (workers/index.ts), the draw thread is up before the draw.
  await warmDrawThread();
  // Scan and draw take turns, an office each: a busy moment of a shared machine lands on one pass, and
  // the faster of each side counts (a draw can run only once, so each pass has its own entries).
  const scans: number[] = [];
  const draws: Awaited<ReturnType<typeof runDraw>>[] = [];
  let scanCpu: ReturnType<typeof cpuPerUnit> | null = null;
  for (let pass = 0; pass < DRAW_PASSES; pass++) {
    const officeId = pass === 0 ? 'bench-draw' : `bench-draw-${pass + 1}`;
    await createOffice(sys.deps, officeId);
    const load = await timed(() =>
      bulkLoadDraw(sys.deps, ctx.ids, { officeId, drawDate: DRAW_DATE, targetDate: TARGET_DATE }, n),
    );
    log(`draw: loaded ${n} entries in ${seconds(load.ms)} s`);
    await quiesce(sys.deps.redis);
    const scanCpu0 = await cpuSnapshot(undefined, sys.deps.redis);
    const s = await timed(() => scanAll(ctx, officeId));
    if (s.value !== n) throw new Error(`scan of ${officeId} found ${s.value} entries, expected ${n}`);
    scans.push(s.ms);
    scanCpu ??= cpuPerUnit(scanCpu0, await cpuSnapshot(undefined, sys.deps.redis), 1);
    const profileFile = path.join(ctx.work, 'draw.cpuprofile');
    const draw =
      ctx.profile && pass === 0
        ? await profiled(profileFile, () => runDraw(ctx, officeId))
        : await runDraw(ctx, officeId);
    if (ctx.profile && pass === 0) log(`draw CPU profile ${profileFile}\n${summarizeProfile(profileFile)}`);
    if (draw.meta.entryCount !== n)
      throw new Error(`draw counted ${draw.meta.entryCount} entries, expected ${n}`);
    log(`draw: ${n} entries drawn in ${seconds(draw.ms)} s (scan alone ${seconds(s.ms)} s)`);
    draws.push(draw);
  }
  const scanMs = Math.min(...scans);
  const draw = draws.reduce((a, b) => (b.ms < a.ms ? b : a));
  figure(ctx, 'draw_1m_s', seconds(draw.ms));
  figure(ctx, 'draw_scan_s', seconds(scanMs));
  figure(ctx, 'draw_ratio', round(draw.ms / scanMs, 2));
  detail(ctx, 'draw_1m', {
    entries: n,
    winners: draw.meta.winners,
    stepSeconds: draw.steps,
    // CPU of this process (the runner) and of Redis: the draw's cost independent of other load.
    cpuMs: { draw: draw.cpu, scan: scanCpu },
    scanPassesSeconds: scans.map(seconds),
    drawPassesSeconds: draws.map((d) => seconds(d.ms)),
  });
}

export async function allOfficesFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const ids = Array.from({ length: sizes.offices }, (_, i) => `bench-o-${String(i + 1).padStart(3, '0')}`);
  const load = await timed(async () => {
    for (const officeId of ids) {
      await createOffice(sys.deps, officeId);
      await bulkLoadDraw(
        sys.deps,
        ctx.ids,
        { officeId, drawDate: DRAW_DATE, targetDate: TARGET_DATE },
        sizes.entriesPerOffice,
      );
    }
  });
  log(`all offices: loaded ${ids.length} × ${sizes.entriesPerOffice} entries in ${seconds(load.ms)} s`);
  await warmDrawThread();
  await quiesce(sys.deps.redis);

  const scan = await timed(async () => {
    for (const officeId of ids) await scanAll(ctx, officeId);
  });
  // One office after another, as the draw worker (concurrency 1) would run them.
  const perOffice: number[] = [];
  const stepSums: Partial<Record<DrawStep, number>> = {};
  const stats0 = await commandStats(sys.deps.redis);
  const total = await timed(async () => {
    for (const officeId of ids) {
      // No CPU snapshot around each draw: its INFO round trips would be timed with the draws.
      const draw = await runDraw(ctx, officeId, { cpu: false });
      perOffice.push(draw.ms);
      for (const [step, s] of Object.entries(draw.steps) as [DrawStep, number][])
        stepSums[step] = (stepSums[step] ?? 0) + s;
    }
  });
  // What one office's draw asks of Redis: its HSCANs grow with the entries, the rest is fixed per draw.
  const commands = perUnit(stats0, await commandStats(sys.deps.redis), ids.length);
  log(`all offices: ${ids.length} draws in ${seconds(total.ms)} s (scan alone ${seconds(scan.ms)} s)`);
  figure(ctx, 'draw_all_offices_s', seconds(total.ms));
  figure(ctx, 'draw_all_offices_ratio', round(total.ms / scan.ms, 2));
  detail(ctx, 'draw_all_offices', {
    offices: ids.length,
    entriesPerOffice: sizes.entriesPerOffice,
    scanSeconds: seconds(scan.ms),
    perOfficeSeconds: {
      mean: seconds(perOffice.reduce((a, b) => a + b, 0) / perOffice.length),
      max: seconds(Math.max(...perOffice)),
    },
    meanStepSeconds: Object.fromEntries(
      Object.entries(stepSums).map(([step, sum]) => [step, round(sum / ids.length, 4)]),
    ),
    redisCallsPerOffice: commands.callsPerUnit,
    redisUsecPerOffice: commands.usecPerUnit,
    redisCommandsPerOffice: Object.fromEntries(
      Object.entries(commands.byCommand).map(([name, c]) => [name, c.calls]),
    ),
  });
}
