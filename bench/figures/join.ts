// join_rps, join_of_floor, healthz_of_floor, join_p99_half_load_ms: signed-in applicants entering a draw over
// HTTP (session, CSRF, rate limits, validation, proof of work, the Lua join), against the floor server
// (bench/floor) measured in the same run with the same requests, and /healthz of both.
import path from 'node:path';
import type { LoadRaw } from '../cannon.ts';
import { detail, type FigureContext, figure, note } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import { createOffice } from '../fill.ts';
import { joinPlan, writePlan } from '../fixtures.ts';
import { floorSide, type ServerSide, startFloorServer } from '../floor/floor.ts';
import { describe, type LoadSummary, runLoad, startLoad, summarize } from '../load.ts';
import { type CommandStats, commandStats, perUnit, quiesce } from '../redis-info.ts';
import { apiProcesses } from '../server.ts';
import { log, round } from '../stats.ts';

export const JOIN_PATH = '/api/me/entries';

/** Bound for one load run: the plan at a pessimistic 200 joins/s, plus start-up. */
export const loadBudgetMs = (requests: number) => 60_000 + requests * 5;

/** Entries in every draw of an office (a run that crosses a draw date still counts all of them). */
export async function officeEntryCount(ctx: FigureContext, officeId: string): Promise<number> {
  const { deps } = ctx.sys;
  let n = 0;
  for (const date of await deps.draws.list(officeId)) n += await deps.entries.count(officeId, date);
  return n;
}

export async function healthzPass(ctx: FigureContext, seconds: number) {
  const before = await cpuSnapshot(ctx.sys.server.child.pid, ctx.sys.deps.redis);
  const run = await runLoad(
    {
      url: ctx.sys.baseUrl,
      method: 'GET',
      path: '/healthz',
      connections: ctx.sizes.connections,
      durationS: seconds,
      timeoutS: 10,
    },
    200,
    seconds * 1000 + 60_000,
  );
  const after = await cpuSnapshot(ctx.sys.server.child.pid, ctx.sys.deps.redis);
  return { run, cpu: cpuPerUnit(before, after, Math.max(1, run.ok)) };
}

/** fairslot's server under the join figure's load (the floor's is bench/floor/floor.ts). */
function fairslotSide(ctx: FigureContext): ServerSide {
  const { sys, sizes } = ctx;
  return {
    name: 'fairslot',
    healthz: (seconds) => healthzPass(ctx, seconds),
    join: async (planFile, amount) => {
      const before = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
      const raw = await startLoad(
        {
          url: sys.baseUrl,
          method: 'POST',
          path: JOIN_PATH,
          connections: sizes.connections,
          amount,
          timeoutS: 30,
          planFile,
        },
        loadBudgetMs(amount),
      ).done;
      const after = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
      const run = summarize(raw, 201);
      return { run, raw, cpu: cpuPerUnit(before, after, Math.max(1, run.ok)) };
    },
    stop: async () => {},
  };
}

type Measured = Awaited<ReturnType<ServerSide['join']>>;
type HealthzMeasured = Awaited<ReturnType<ServerSide['healthz']>>;

/** Adds what Redis did between two snapshots to `acc`. */
function addStats(acc: CommandStats, before: CommandStats, after: CommandStats): void {
  acc.calls += after.calls - before.calls;
  acc.usec += after.usec - before.usec;
  for (const [name, a] of Object.entries(after.byCommand)) {
    const b = before.byCommand[name] ?? { calls: 0, usec: 0 };
    const c = acc.byCommand[name] ?? { calls: 0, usec: 0 };
    c.calls += a.calls - b.calls;
    c.usec += a.usec - b.usec;
    acc.byCommand[name] = c;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** CPU ms per unit over several runs: their CPU summed over their units summed. */
function pooledCpu(runs: { run: { ok: number }; cpu: Measured['cpu'] }[]) {
  const units = runs.reduce((n, r) => n + Math.max(1, r.run.ok), 0);
  const pool = (k: keyof Measured['cpu']) =>
    runs.some((r) => r.cpu[k] === null)
      ? null
      : round(runs.reduce((t, r) => t + r.cpu[k]! * Math.max(1, r.run.ok), 0) / units, 3);
  return { serverMs: pool('serverMs'), redisMs: pool('redisMs'), benchMs: pool('benchMs') };
}

/** All responses of several runs as one run, for percentiles over all of them. */
function mergeRaw(raws: LoadRaw[]): LoadRaw {
  const cat = <T extends Float64Array | Uint16Array>(make: (n: number) => T, pick: (r: LoadRaw) => T) => {
    const out = make(raws.reduce((n, r) => n + pick(r).length, 0));
    let at = 0;
    for (const r of raws) {
      out.set(pick(r), at);
      at += pick(r).length;
    }
    return out;
  };
  return {
    startedAt: Math.min(...raws.map((r) => r.startedAt)),
    endAt: cat(
      (n) => new Float64Array(n),
      (r) => r.endAt,
    ),
    latency: cat(
      (n) => new Float64Array(n),
      (r) => r.latency,
    ),
    status: cat(
      (n) => new Uint16Array(n),
      (r) => r.status,
    ),
    errors: raws.reduce((n, r) => n + r.errors, 0),
    timeouts: raws.reduce((n, r) => n + r.timeouts, 0),
    planUsed: raws.reduce((n, r) => n + r.planUsed, 0),
  };
}

export async function joinFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const officeId = 'bench-join';
  await createOffice(sys.deps, officeId);
  const rounds = Math.max(1, sizes.joinRounds);
  const perRound = Math.floor(sizes.joins / rounds);
  const total = sizes.joinWarmup + perRound * rounds + sizes.pacedJoins;
  log(`join: creating ${total} applicants and their proofs of work`);
  // The floor server starts while the fixtures are made and idles until its turn, as fairslot's idles
  // during the floor's.
  const floorServer = startFloorServer(sys.redisUrl, apiProcesses());
  floorServer.catch(() => {});
  // One batch for all runs: the proof-of-work children start once.
  const { plan } = await joinPlan(sys.fast, ctx.ids, total, officeId);
  const warmFile = path.join(ctx.work, 'join-warm.jsonl');
  const roundFiles = Array.from({ length: rounds }, (_, r) => path.join(ctx.work, `join-${r}.jsonl`));
  const pacedFile = path.join(ctx.work, 'join-paced.jsonl');
  await writePlan(warmFile, plan.slice(0, sizes.joinWarmup));
  for (const [r, file] of roundFiles.entries()) {
    const from = sizes.joinWarmup + r * perRound;
    await writePlan(file, plan.slice(from, from + perRound));
  }
  await writePlan(pacedFile, plan.slice(sizes.joinWarmup + perRound * rounds));
  const fairslot = fairslotSide(ctx);
  const floor = floorSide(ctx, await floorServer);
  try {
    // Warm-up of both: JIT, connection pools and Redis script cache, on both routes.
    for (const side of [fairslot, floor]) {
      await side.healthz(2);
      const warm = await side.join(warmFile, sizes.joinWarmup);
      log(`${side.name} join warm-up: ${describe(warm.run)}`);
    }
    await quiesce(sys.deps.redis);

    // Rounds alternate which server goes first (ABBA): load on a shared machine drifts over minutes, and
    // each round's ratio compares two runs seconds apart. Each server answers the same requests (the floor
    // reads their bodies only) and its own /healthz; a figure is the median of the rounds' ratios.
    const entriesBefore = await officeEntryCount(ctx, officeId);
    // Redis commands of fairslot's joins only (the floor's run between them).
    const fsStats: CommandStats = { calls: 0, usec: 0, byCommand: {} };
    const results = { fairslot: [] as Measured[], floor: [] as Measured[] };
    const healthz = { fairslot: [] as HealthzMeasured[], floor: [] as HealthzMeasured[] };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [fairslot, floor] : [floor, fairslot];
      for (const side of order) {
        const key = side.name as 'fairslot' | 'floor';
        const h = await side.healthz(sizes.healthzSeconds);
        const statsBefore = await commandStats(sys.deps.redis);
        const j = await side.join(roundFiles[r]!, perRound);
        if (side === fairslot) addStats(fsStats, statsBefore, await commandStats(sys.deps.redis));
        log(`round ${r + 1} ${side.name}: healthz ${describe(h.run)}`);
        log(`round ${r + 1} ${side.name}: join ${describe(j.run)}`);
        healthz[key].push(h);
        results[key].push(j);
      }
    }
    const fsJoins = results.fairslot;
    const ok = fsJoins.reduce((n, j) => n + j.run.ok, 0);
    const stored = (await officeEntryCount(ctx, officeId)) - entriesBefore;
    const join = summarize(mergeRaw(fsJoins.map((j) => j.raw)), 201);
    const ratios = (a: { run: LoadSummary }[], b: { run: LoadSummary }[]) =>
      a.map((x, i) => round(x.run.rps / b[i]!.run.rps, 3));
    const joinOfFloor = ratios(results.fairslot, results.floor);
    const healthzOfFloor = ratios(healthz.fairslot, healthz.floor);
    const rps = (xs: { run: LoadSummary }[]) => round(mean(xs.map((x) => x.run.rps)), 1);
    const joinRps = rps(results.fairslot);
    const joinCpu = pooledCpu(results.fairslot);
    const floorJoinCpu = pooledCpu(results.floor);
    const healthzCpu = pooledCpu(healthz.fairslot);
    const floorHealthzCpu = pooledCpu(healthz.floor);

    // The same 200 connections, paced at half the throughput just measured instead of as fast as answers
    // come back. At saturation, with 200 requests always in flight, the mean latency is 200 / throughput
    // whatever the code does (Little's law); at half load it is what an applicant waits while the server
    // has headroom, on this machine whatever its speed.
    const halfRate = Math.max(1, Math.round(joinRps / 2));
    const pacedAmount = Math.min(
      sizes.pacedJoins,
      Math.max(200, Math.round(halfRate * sizes.pacedMaxSeconds)),
    );
    const pacedCpuBefore = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
    const pacedRaw = await startLoad(
      {
        url: sys.baseUrl,
        method: 'POST',
        path: JOIN_PATH,
        connections: sizes.connections,
        amount: pacedAmount,
        timeoutS: 30,
        planFile: pacedFile,
        overallRate: halfRate,
      },
      loadBudgetMs(pacedAmount),
    ).done;
    const paced = summarize(pacedRaw, 201);
    const pacedCpu = cpuPerUnit(
      pacedCpuBefore,
      await cpuSnapshot(sys.server.child.pid, sys.deps.redis),
      Math.max(1, paced.ok),
    );
    // The pool's connections open during the first second; the rest is the steady state.
    const pacedSteady = summarize(pacedRaw, 201, { from: paced.firstStart + 1000, to: paced.lastEnd });
    log(
      `join paced at ${halfRate}/s (half load): ${describe(paced)}; after the first second p50 ${pacedSteady.p50} ms, p99 ${pacedSteady.p99} ms`,
    );
    figure(ctx, 'join_p99_half_load_ms', paced.p99);

    const healthzRps = rps(healthz.fairslot);
    const floorHealthzRps = rps(healthz.floor);
    ctx.shared.healthzRps = healthzRps;
    ctx.shared.idleJoinP99 = join.p99;
    figure(ctx, 'join_floor_rps', rps(results.floor));
    figure(ctx, 'join_floor_ratio', round(rps(results.floor) / floorHealthzRps, 3));
    figure(ctx, 'join_of_floor', round(median(joinOfFloor), 3));
    figure(ctx, 'join_rps', joinRps);
    figure(ctx, 'healthz_rps', healthzRps);
    figure(ctx, 'healthz_floor_rps', floorHealthzRps);
    figure(ctx, 'healthz_of_floor', round(median(healthzOfFloor), 3));
    figure(ctx, 'join_ratio', round(joinRps / healthzRps, 3));
    figure(ctx, 'join_p99_ms', join.p99);
    // The throughput ratio a CPU-bound server would reach: CPU per /healthz over CPU per join. Unlike the
    // measured ratio it does not depend on what else the machine was running.
    if (healthzCpu.serverMs && joinCpu.serverMs)
      figure(ctx, 'join_ratio_cpu', round(healthzCpu.serverMs / joinCpu.serverMs, 3));
    // The same two ratios in server CPU per request (floor ÷ fairslot): what a CPU-bound server reaches,
    // and far steadier than throughput on a machine others are using.
    if (floorJoinCpu.serverMs && joinCpu.serverMs)
      figure(ctx, 'join_of_floor_cpu', round(floorJoinCpu.serverMs / joinCpu.serverMs, 3));
    if (floorHealthzCpu.serverMs && healthzCpu.serverMs)
      figure(ctx, 'healthz_of_floor_cpu', round(floorHealthzCpu.serverMs / healthzCpu.serverMs, 3));
    const perRoundDetail = (xs: { run: LoadSummary }[]) =>
      xs.map((x) => ({ rps: x.run.rps, p50: x.run.p50, p99: x.run.p99, ok: x.run.ok }));
    detail(ctx, 'join', {
      connections: sizes.connections,
      rounds,
      requestsPerRound: perRound,
      created201: ok,
      storedEntries: stored,
      statusCounts: join.statusCounts,
      errors: join.errors,
      timeouts: join.timeouts,
      latencyMs: { p50: join.p50, p90: join.p90, p99: join.p99, max: join.max },
      ratiosPerRound: { joinOfFloor, healthzOfFloor },
      cpuMsPerRequest: { join: joinCpu, healthz: healthzCpu },
      // Everything Redis did during fairslot's join runs per join (BullMQ's idle polling is noise well
      // below 1%).
      redisPerJoin: perUnit({ calls: 0, usec: 0, byCommand: {} }, fsStats, Math.max(1, ok)),
      rounds_: {
        fairslot: { join: perRoundDetail(results.fairslot), healthz: perRoundDetail(healthz.fairslot) },
        floor: { join: perRoundDetail(results.floor), healthz: perRoundDetail(healthz.floor) },
      },
      floor: {
        join: { rps: rps(results.floor), created201: results.floor.reduce((n, j) => n + j.run.ok, 0) },
        healthzRps: floorHealthzRps,
        cpuMsPerRequest: { join: floorJoinCpu, healthz: floorHealthzCpu },
      },
      paced: {
        // CPU per join at a fixed rate: less disturbed by contention than the saturated run's.
        cpuMsPerRequest: pacedCpu,
        rate: halfRate,
        requests: pacedAmount,
        created201: paced.ok,
        statusCounts: paced.statusCounts,
        errors: paced.errors,
        latencyMs: { p50: paced.p50, p90: paced.p90, p99: paced.p99, max: paced.max },
        afterFirstSecond: {
          responses: pacedSteady.responses,
          p50: pacedSteady.p50,
          p99: pacedSteady.p99,
          max: pacedSteady.max,
        },
      },
    });
    // A request that timed out at the client may still have been stored; say so rather than hide it.
    if (stored !== ok) note(ctx, `join: ${ok} responses were 201 but ${stored} entries were stored`);
  } finally {
    await floor.stop();
  }
}
