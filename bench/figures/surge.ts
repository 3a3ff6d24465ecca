// surge_100k_s, surge_errors: the opening-minute surge. Every applicant is distinct and enters exactly once;
// the time is from the first request sent to the last response, and anything but a 201 is an error.
import path from 'node:path';
import { detail, type FigureContext, figure, note } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import { createOffice } from '../fill.ts';
import { joinPlan, writePlan } from '../fixtures.ts';
import { describe, runLoad } from '../load.ts';
import { quiesce } from '../redis-info.ts';
import { log, round } from '../stats.ts';
import { JOIN_PATH, loadBudgetMs, officeEntryCount } from './join.ts';

export async function surgeFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const officeId = 'bench-surge';
  await createOffice(sys.deps, officeId);
  log(`surge: creating ${sizes.surge} applicants and their proofs of work`);
  const { applicants, plan } = await joinPlan(sys.fast, ctx.ids, sizes.surge, officeId);
  // Signed-in accounts with a verified phone: the notification figure sends to them.
  ctx.shared.accountIds = applicants.map((a) => a.accountId);
  const planFile = path.join(ctx.work, 'surge.jsonl');
  await writePlan(planFile, plan);
  await quiesce(sys.deps.redis);

  const cpuBefore = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
  const run = await runLoad(
    {
      url: sys.baseUrl,
      method: 'POST',
      path: JOIN_PATH,
      connections: sizes.surgeConnections,
      amount: sizes.surge,
      timeoutS: 30,
      planFile,
    },
    201,
    loadBudgetMs(sizes.surge),
  );
  const cpuAfter = await cpuSnapshot(sys.server.child.pid, sys.deps.redis);
  log(`surge: ${describe(run)}`);
  const stored = await officeEntryCount(ctx, officeId);
  const seconds = round(run.elapsedMs / 1000, 2);
  // Not-201 responses, plus requests that never got a response (socket errors, timeouts).
  const errors = sizes.surge - run.ok;
  figure(ctx, 'surge_100k_s', seconds);
  figure(ctx, 'surge_errors', errors);
  figure(ctx, 'surge_rps', run.rps);
  if (ctx.shared.healthzRps) figure(ctx, 'surge_ratio', round(run.rps / ctx.shared.healthzRps, 3));
  detail(ctx, 'surge', {
    applicants: sizes.surge,
    connections: sizes.surgeConnections,
    created201: run.ok,
    storedEntries: stored,
    statusCounts: run.statusCounts,
    socketErrors: run.errors,
    timeouts: run.timeouts,
    latencyMs: { p50: run.p50, p90: run.p90, p99: run.p99, max: run.max },
    cpuMsPerJoin: cpuPerUnit(cpuBefore, cpuAfter, Math.max(1, run.ok)),
  });
  // A request that timed out at the client may still have been stored; say so rather than hide it.
  if (stored !== run.ok) note(ctx, `surge: ${run.ok} responses were 201 but ${stored} entries were stored`);
}
