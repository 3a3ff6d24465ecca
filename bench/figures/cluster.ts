// cluster_join_ratio (join throughput on the cluster ÷ on single Redis) and cluster_draw_all_offices_ratio
// (125-office draw time on the cluster ÷ on single Redis): the cost of scaling out. A second fairslot
// server runs on a local three-master Redis Cluster (every key of an office under one hash tag, so the same
// code runs there); the join and the 125-office draw are measured on it and, in the same figure with the
// same sizes, on the single Redis of the run. On one machine the three masters share its cores, so this is
// the client-side cost of the cluster (per-node connections and pipelines, slot routing); across machines
// the masters would add cores instead.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { warmDrawThread } from '../../src/services/draw-compute-client.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { startTestCluster } from '../../tests/support/cluster.ts';
import { detail, type FigureContext, figure } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import { bulkLoadDraw, createOffice } from '../fill.ts';
import type { Identities } from '../fixtures.ts';
import { joinPlan, writePlan } from '../fixtures.ts';
import { describe, runLoad } from '../load.ts';
import { type BenchSystem, startBenchSystem } from '../server.ts';
import { log, round, seconds, timed } from '../stats.ts';
import { JOIN_PATH, loadBudgetMs } from './join.ts';

const DRAW_DATE = '2030-01-21';
const TARGET_DATE = '2030-01-23';

async function measure(ctx: FigureContext, sys: BenchSystem, ids: Identities, tag: string) {
  const { sizes } = ctx;
  const officeId = `bench-cl-join-${tag}`;
  await createOffice(sys.deps, officeId);
  const warm = Math.min(300, sizes.clusterJoins);
  const { plan } = await joinPlan(sys.fast, ids, warm + sizes.clusterJoins, officeId);
  const warmFile = path.join(ctx.work, `cluster-${tag}-warm.jsonl`);
  const planFile = path.join(ctx.work, `cluster-${tag}.jsonl`);
  await writePlan(warmFile, plan.slice(0, warm));
  await writePlan(planFile, plan.slice(warm));
  const load = (file: string, amount: number) =>
    runLoad(
      {
        url: sys.baseUrl,
        method: 'POST',
        path: JOIN_PATH,
        connections: Math.min(ctx.sizes.connections, amount),
        amount,
        timeoutS: 30,
        planFile: file,
      },
      201,
      loadBudgetMs(amount),
    );
  await load(warmFile, warm);
  const cpu0 = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
  const join = await load(planFile, sizes.clusterJoins);
  const joinCpu = cpuPerUnit(
    cpu0,
    await cpuSnapshot(sys.server.child.pid, sys.deps.redis),
    Math.max(1, join.ok),
  );
  log(`cluster figure, ${tag}: join ${describe(join)}`);

  const offices = Array.from(
    { length: sizes.clusterOffices },
    (_, i) => `bench-cl-${tag}-${String(i + 1).padStart(3, '0')}`,
  );
  for (const officeId of offices) {
    await createOffice(sys.deps, officeId);
    await bulkLoadDraw(
      sys.deps,
      ids,
      { officeId, drawDate: DRAW_DATE, targetDate: TARGET_DATE },
      sizes.entriesPerOffice,
    );
  }
  const draws = await timed(async () => {
    for (const officeId of offices) {
      const r = await new DrawRunner(sys.deps, undefined, { redisUrl: sys.redisUrl }).run(
        officeId,
        DRAW_DATE,
      );
      if (r.meta.state !== 'drawn') throw new Error(`cluster figure: draw ${officeId} is ${r.meta.state}`);
    }
  });
  log(`cluster figure, ${tag}: ${offices.length} draws in ${seconds(draws.ms)} s`);
  return { join, joinCpu, drawMs: draws.ms };
}

export async function clusterFigure(ctx: FigureContext): Promise<void> {
  const dir = path.join(ctx.work, 'cluster');
  mkdirSync(dir, { recursive: true });
  await warmDrawThread();
  const single = await measure(ctx, ctx.sys, ctx.ids, 'single');
  const cluster = await startTestCluster(dir);
  let sys: BenchSystem | null = null;
  try {
    sys = await startBenchSystem({ redisUrl: cluster.url, redisVersion: ctx.sys.redisVersion });
    const onCluster = await measure(ctx, sys, ctx.ids, 'cluster');
    figure(ctx, 'cluster_join_ratio', round(onCluster.join.rps / single.join.rps, 3));
    figure(ctx, 'cluster_draw_all_offices_ratio', round(onCluster.drawMs / single.drawMs, 3));
    detail(ctx, 'cluster', {
      masters: cluster.nodes.length,
      joins: ctx.sizes.clusterJoins,
      offices: ctx.sizes.clusterOffices,
      entriesPerOffice: ctx.sizes.entriesPerOffice,
      single: {
        joinRps: single.join.rps,
        joinP99: single.join.p99,
        serverCpuMsPerJoin: single.joinCpu.serverMs,
        drawAllOfficesSeconds: seconds(single.drawMs),
      },
      cluster: {
        joinRps: onCluster.join.rps,
        joinP99: onCluster.join.p99,
        serverCpuMsPerJoin: onCluster.joinCpu.serverMs,
        drawAllOfficesSeconds: seconds(onCluster.drawMs),
      },
    });
  } finally {
    await sys?.stop();
    await cluster.stop();
  }
}
