// join_rps, join_of_floor, healthz_of_floor, join_p99_half_load_ms: signed-in applicants entering a draw over
// HTTP (session, CSRF, rate limits, validation, proof of work, the Lua join), against the floor server
// (bench/floor) measured in the same run with the same requests, and /healthz of both.
import path from 'node:path';
import { detail, type FigureContext, figure, note } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import { createOffice } from '../fill.ts';
import { joinPlan, writePlan } from '../fixtures.ts';
import { measureFloor, startFloorServer } from '../floor/floor.ts';
import { describe, runLoad, startLoad, summarize } from '../load.ts';
import { commandStats, perUnit, quiesce } from '../redis-info.ts';
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
  return { ...run, cpu: cpuPerUnit(before, after, Math.max(1, run.ok)) };
}

export async function joinFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const officeId = 'bench-join';
  await createOffice(sys.deps, officeId);
  const total = sizes.joinWarmup + sizes.joins + sizes.pacedJoins;
  log(`join: creating ${total} applicants and their proofs of work`);
  // The floor server starts while the fixtures are made and idles until its turn, as fairslot's idles
  // during the floor's.
  const floorServer = startFloorServer(sys.redisUrl, apiProcesses());
  floorServer.catch(() => {});
  // One batch for all runs: the proof-of-work children start once.
  const { plan } = await joinPlan(sys.fast, ctx.ids, total, officeId);
  const warmFile = path.join(ctx.work, 'join-warm.jsonl');
  const planFile = path.join(ctx.work, 'join.jsonl');
  const pacedFile = path.join(ctx.work, 'join-paced.jsonl');
  await writePlan(warmFile, plan.slice(0, sizes.joinWarmup));
  await writePlan(planFile, plan.slice(sizes.joinWarmup, sizes.joinWarmup + sizes.joins));
  await writePlan(pacedFile, plan.slice(sizes.joinWarmup + sizes.joins));
  await quiesce(sys.deps.redis);

  // Warm-up: JIT, connection pools and Redis script cache, on both routes.
  await healthzPass(ctx, 2);
  const warmRun = await runLoad(
    {
      url: sys.baseUrl,
      method: 'POST',
      path: JOIN_PATH,
      connections: Math.min(sizes.connections, sizes.joinWarmup),
      amount: sizes.joinWarmup,
      timeoutS: 30,
      planFile: warmFile,
    },
    201,
    loadBudgetMs(sizes.joinWarmup),
  );
  log(`join warm-up: ${describe(warmRun)}`);

  const before = await healthzPass(ctx, sizes.healthzSeconds);
  log(`healthz (before): ${describe(before)}`);
  const entriesBefore = await officeEntryCount(ctx, officeId);
  const statsBefore = await commandStats(sys.deps.redis);
  const cpuBefore = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
  const joinRaw = await startLoad(
    {
      url: sys.baseUrl,
      method: 'POST',
      path: JOIN_PATH,
      connections: sizes.connections,
      amount: sizes.joins,
      timeoutS: 30,
      planFile,
    },
    loadBudgetMs(sizes.joins),
  ).done;
  const join = summarize(joinRaw, 201);
  log(`join: ${describe(join)}`);
  // The first second carries the load generator's connections arriving all at once; the rest is the
  // steady state. Both in details, so a tail can be told from a ramp (the figure stays the whole run).
  const rampEnd = join.firstStart + 1000;
  const ramp = summarize(joinRaw, 201, { from: join.firstStart, to: rampEnd });
  const steady = summarize(joinRaw, 201, { from: rampEnd, to: join.lastEnd });
  const cpuAfter = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
  const statsAfter = await commandStats(sys.deps.redis);
  const joinCpu = cpuPerUnit(cpuBefore, cpuAfter, Math.max(1, join.ok));
  const stored = (await officeEntryCount(ctx, officeId)) - entriesBefore;
  const after = await healthzPass(ctx, sizes.healthzSeconds);
  log(`healthz (after): ${describe(after)}`);

  // The same 200 connections, paced at half the throughput just measured instead of as fast as answers
  // come back. At saturation, with 200 requests always in flight, the mean latency is 200 / throughput
  // whatever the code does (Little's law); at half load it is what an applicant waits while the server
  // has headroom, on this machine whatever its speed.
  const halfRate = Math.max(1, Math.round(join.rps / 2));
  const pacedCpuBefore = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
  const pacedRaw = await startLoad(
    {
      url: sys.baseUrl,
      method: 'POST',
      path: JOIN_PATH,
      connections: sizes.connections,
      amount: sizes.pacedJoins,
      timeoutS: 30,
      planFile: pacedFile,
      overallRate: halfRate,
    },
    loadBudgetMs(sizes.pacedJoins),
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

  // The same requests against the floor server: how far join_ratio could go on the bench's machine at all.
  const floor = await measureFloor(ctx, planFile, sizes.joins, floorServer);
  const floorRatio = round(floor.join.rps / floor.healthzRps, 3);
  figure(ctx, 'join_floor_rps', floor.join.rps);
  figure(ctx, 'join_floor_ratio', floorRatio);
  figure(ctx, 'join_of_floor', round(join.rps / floor.join.rps, 3));

  // Two baseline passes around the join run: on a shared machine one pass alone can land in a busy moment.
  const healthzRps = round((before.rps + after.rps) / 2, 1);
  ctx.shared.healthzRps = healthzRps;
  ctx.shared.idleJoinP99 = join.p99;
  figure(ctx, 'join_rps', join.rps);
  figure(ctx, 'healthz_rps', healthzRps);
  figure(ctx, 'healthz_floor_rps', round(floor.healthzRps, 1));
  figure(ctx, 'healthz_of_floor', round(healthzRps / floor.healthzRps, 3));
  figure(ctx, 'join_ratio', round(join.rps / healthzRps, 3));
  figure(ctx, 'join_p99_ms', join.p99);
  // The throughput ratio a CPU-bound server would reach: CPU per /healthz over CPU per join. Unlike the
  // measured ratio it does not depend on what else the machine was running.
  const healthzCpu =
    before.cpu.serverMs !== null && after.cpu.serverMs !== null
      ? (before.cpu.serverMs + after.cpu.serverMs) / 2
      : null;
  if (healthzCpu !== null && joinCpu.serverMs)
    figure(ctx, 'join_ratio_cpu', round(healthzCpu / joinCpu.serverMs, 3));
  // The same two ratios in server CPU per request (floor ÷ fairslot): what a CPU-bound server reaches,
  // and far steadier than throughput on a machine others are using.
  if (floor.joinCpu.serverMs && joinCpu.serverMs)
    figure(ctx, 'join_of_floor_cpu', round(floor.joinCpu.serverMs / joinCpu.serverMs, 3));
  if (floor.healthzCpu.serverMs && healthzCpu)
    figure(ctx, 'healthz_of_floor_cpu', round(floor.healthzCpu.serverMs / healthzCpu, 3));
  detail(ctx, 'join', {
    connections: sizes.connections,
    requests: sizes.joins,
    created201: join.ok,
    storedEntries: stored,
    statusCounts: join.statusCounts,
    errors: join.errors,
    timeouts: join.timeouts,
    latencyMs: { p50: join.p50, p90: join.p90, p99: join.p99, max: join.max },
    firstSecond: { responses: ramp.responses, p50: ramp.p50, p99: ramp.p99, max: ramp.max },
    afterFirstSecond: { responses: steady.responses, p50: steady.p50, p99: steady.p99, max: steady.max },
    cpuMsPerRequest: { join: joinCpu, healthzBefore: before.cpu, healthzAfter: after.cpu },
    // Everything Redis did during the run per join (BullMQ's idle polling is noise well below 1%).
    redisPerJoin: perUnit(statsBefore, statsAfter, Math.max(1, join.ok)),
    healthz: {
      before: { rps: before.rps, p99: before.p99 },
      after: { rps: after.rps, p99: after.p99 },
    },
    floor: {
      join: { rps: floor.join.rps, p50: floor.join.p50, p99: floor.join.p99, created201: floor.join.ok },
      healthzRps: round(floor.healthzRps, 1),
      cpuMsPerRequest: { join: floor.joinCpu, healthz: floor.healthzCpu },
    },
    paced: {
      // CPU per join at a fixed rate: less disturbed by contention than the saturated run's.
      cpuMsPerRequest: pacedCpu,
      rate: halfRate,
      requests: sizes.pacedJoins,
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
  if (stored !== join.ok) note(ctx, `join: ${join.ok} responses were 201 but ${stored} entries were stored`);
}
