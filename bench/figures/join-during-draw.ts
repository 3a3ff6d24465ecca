// join_p99_during_draw_ms and its ratio to the idle join p99: joins keep coming while the server's own draw
// worker runs a big draw (started like an admin would, POST /api/admin/draws/:office/run) and then the
// draw's fan-out job. Windows are cut out of one continuous load run by wall-clock time.
import path from 'node:path';
import type { Job, Queue } from 'bullmq';
import { openDraw } from '../../src/services/open-draw.ts';
import { detail, type FigureContext, figure, note } from '../context.ts';
import { bulkLoadDraw, createOffice } from '../fill.ts';
import { joinPlan, writePlan } from '../fixtures.ts';
import { describe, startLoad, summarize } from '../load.ts';
import { quiesce } from '../redis-info.ts';
import { log, round, seconds, sleep, waitFor, withTimeout } from '../stats.ts';
import { JOIN_PATH, loadBudgetMs } from './join.ts';

const nowMs = () => performance.timeOrigin + performance.now();

async function adminToken(ctx: FigureContext): Promise<string> {
  const { users } = ctx.sys.deps;
  await users.create(
    { username: 'bench-admin', role: 'admin', officeId: null },
    'bench admin password, not secret',
  );
  return users.createToken('bench-admin', 'bench');
}

/**
 * Start and end (epoch ms, as the worker recorded them) of a finished job of this office, found by name and
 * data rather than by id so a change of the id scheme does not break the bench.
 */
async function finishedJob(
  queue: Queue,
  name: string,
  officeId: string,
): Promise<{ from: number; to: number } | undefined> {
  const jobs: Job[] = await queue.getJobs(['completed', 'failed'], 0, 200);
  const job = jobs.find((j) => j?.name === name && j.data?.officeId === officeId);
  if (!job) return undefined;
  if (job.failedReason) throw new Error(`${name} job of ${officeId} failed: ${job.failedReason}`);
  return job.finishedOn && job.processedOn ? { from: job.processedOn, to: job.finishedOn } : undefined;
}

export async function joinDuringDrawFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const drawOffice = 'bench-bg';
  const joinOffice = 'bench-live';
  await createOffice(sys.deps, drawOffice);
  await createOffice(sys.deps, joinOffice);
  // The office's open draw: "run now" acts on the current draw only.
  const { office, rules } = await sys.deps.offices.cached(drawOffice);
  const draw =
    office && rules && (await openDraw(sys.deps, office.id, office.tz, rules.rules, sys.deps.now()));
  if (!draw) throw new Error(`${drawOffice} has no open draw`);
  const { drawDate, targetDate } = draw;
  await bulkLoadDraw(sys.deps, ctx.ids, { officeId: drawOffice, drawDate, targetDate }, sizes.bgDrawEntries);
  log(
    `join during draw: ${sizes.bgDrawEntries} entries loaded; creating ${sizes.joinsDuringDraw} applicants`,
  );
  const { plan } = await joinPlan(sys.fast, ctx.ids, sizes.joinsDuringDraw, joinOffice);
  const planFile = path.join(ctx.work, 'join-during-draw.jsonl');
  await writePlan(planFile, plan);
  const token = await adminToken(ctx);
  await quiesce(sys.deps.redis);

  const load = startLoad(
    {
      url: sys.baseUrl,
      method: 'POST',
      path: JOIN_PATH,
      connections: sizes.connections,
      amount: sizes.joinsDuringDraw,
      timeoutS: 30,
      planFile,
    },
    loadBudgetMs(sizes.joinsDuringDraw),
  );
  let loadStart = 0;
  let requestedAt = 0;
  let adminResponse: { status: number; body: string; at: number } | null = null;
  let drawStart = 0;
  let drawEnd = 0;
  let fanoutEnd = 0;
  try {
    loadStart = await load.started;
    // A second of steady load first, so the window before the draw is a same-run comparison.
    await sleep(1000);
    requestedAt = nowMs();
    // As an admin would start it. The route waits a little for the job and answers 202 while a big draw goes
    // on, so the draw's window is taken from the job itself: when the worker picked it up and when it finished.
    const response = fetch(`${sys.baseUrl}/api/admin/draws/${drawOffice}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ drawDate, early: true }),
      signal: AbortSignal.timeout(600_000),
    }).then(async (r) => ({ status: r.status, body: await r.text(), at: nowMs() }));
    response.catch(() => {});
    let refused = '';
    void response.then((r) => {
      if (r.status !== 200 && r.status !== 202) refused = `${r.status} ${r.body.slice(0, 200)}`;
    });
    const drawJob = await waitFor(
      () => {
        // A refused run queues no job: fail now rather than wait for one.
        if (refused) throw new Error(`POST /api/admin/draws/${drawOffice}/run answered ${refused}`);
        return finishedJob(sys.queues.draw, 'run', drawOffice);
      },
      'the draw job',
      600_000,
      200,
    );
    drawStart = drawJob.from;
    drawEnd = drawJob.to;
    const fanoutJob = await waitFor(
      () => finishedJob(sys.queues.lifecycle, 'fanout', drawOffice),
      'the draw fan-out job',
      600_000,
      200,
    );
    fanoutEnd = fanoutJob.to;
    adminResponse = await withTimeout(response, 600_000, 'the admin run request');
    await sleep(1000);
  } finally {
    load.stop();
  }
  const raw = await withTimeout(load.done, 120_000, 'the join load to stop');
  const all = summarize(raw, 201);
  const before = summarize(raw, 201, { from: loadStart + 1000, to: requestedAt });
  const during = summarize(raw, 201, { from: drawStart, to: drawEnd });
  const fanout = summarize(raw, 201, { from: drawEnd, to: fanoutEnd });
  log(`join during draw (whole run): ${describe(all)}`);
  log(`  before the draw: ${describe(before)}`);
  log(`  during the draw (${seconds(drawEnd - drawStart)} s): ${describe(during)}`);
  log(`  during the fan-out (${seconds(fanoutEnd - drawEnd)} s): ${describe(fanout)}`);
  if (adminResponse && adminResponse.status !== 200 && adminResponse.status !== 202) {
    note(
      ctx,
      `join during draw: POST /api/admin/draws/:office/run answered ${adminResponse.status} after ` +
        `${seconds(adminResponse.at - requestedAt)} s (${adminResponse.body.slice(0, 120)}); the draw job itself completed`,
    );
  }
  // The figure needs the load to cover the draw; the fan-out window is extra and may be cut short.
  if (all.lastEnd < drawEnd) {
    note(ctx, 'join during draw: the join plan ran out before the draw finished; raise joinsDuringDraw');
  }

  figure(ctx, 'join_p99_during_draw_ms', during.p99);
  const idle = ctx.shared.idleJoinP99 ?? before.p99;
  figure(ctx, 'join_p99_during_draw_ratio', round(during.p99 / idle, 2));
  detail(ctx, 'join_during_draw', {
    drawEntries: sizes.bgDrawEntries,
    drawSecondsInServer: seconds(drawEnd - drawStart),
    drawQueuedSeconds: seconds(drawStart - requestedAt),
    adminRunStatus: adminResponse?.status ?? null,
    fanoutSeconds: seconds(fanoutEnd - drawEnd),
    loadCoveredFanout: all.lastEnd >= fanoutEnd,
    idleJoinP99Ms: idle,
    windows: Object.fromEntries(
      Object.entries({ before, during, fanout }).map(([k, s]) => [
        k,
        {
          responses: s.responses,
          rps: s.rps,
          p50: s.p50,
          p99: s.p99,
          max: s.max,
          statusCounts: s.statusCounts,
        },
      ]),
    ),
    wholeRun: { errors: all.errors, timeouts: all.timeouts, statusCounts: all.statusCounts },
  });
}
