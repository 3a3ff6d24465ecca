// draw_scaling: how a draw's cost grows with its size. The same draw (the real DrawRunner, as in
// bench/figures/draw.ts) at each size of sizes.scalingEntries, each in its own office: wall time, CPU,
// Redis memory of the entries and the peak memory of the drawing process. The figure is the time per entry
// at the largest size ÷ at the smallest: 1 when a draw is linear, more when something in it grows faster
// (a sort, a string built by concatenation, a heap that stops fitting in cache, GC of a larger old space).
// bench/chart.ts draws time and memory against entries from results.json into docs/draw-scaling.svg.
import { warmDrawThread } from '../../src/services/draw-compute-client.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { detail, type FigureContext, figure } from '../context.ts';
import { cpuPerUnit, cpuSnapshot } from '../cpu.ts';
import { bulkLoadDraw, createOffice } from '../fill.ts';
import { quiesce, usedMemory } from '../redis-info.ts';
import { log, round, seconds, timed } from '../stats.ts';

const DRAW_DATE = '2030-01-14';
const TARGET_DATE = '2030-01-16';

export interface ScalingPoint {
  entries: number;
  drawSeconds: number;
  /** µs of wall time per entry. */
  usPerEntry: number;
  cpuMs: { drawProcess: number | null; redis: number | null };
  /** Growth of Redis used_memory while the entries were loaded, in MB. */
  redisMb: number;
  /** Highest resident memory of the drawing process during the draw, and its rise over the start, in MB. */
  peakRssMb: number;
  rssRiseMb: number;
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

/** Samples this process's RSS (the draw thread's heap included) every 20 ms until stopped. */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss());
  };
}

export async function drawScalingFigure(ctx: FigureContext): Promise<void> {
  const { sys, sizes } = ctx;
  const points: ScalingPoint[] = [];
  await warmDrawThread();
  for (const n of sizes.scalingEntries) {
    const officeId = `bench-scale-${n}`;
    await createOffice(sys.deps, officeId);
    await quiesce(sys.deps.redis);
    const memBefore = await usedMemory(sys.deps.redis);
    const load = await timed(() =>
      bulkLoadDraw(sys.deps, ctx.ids, { officeId, drawDate: DRAW_DATE, targetDate: TARGET_DATE }, n),
    );
    const redisBytes = (await usedMemory(sys.deps.redis)) - memBefore;
    await quiesce(sys.deps.redis);
    // A full collection first, where exposed (--expose-gc), so the peak is this draw's and not leftovers.
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage.rss();
    const stopSampler = rssSampler();
    const cpu0 = await cpuSnapshot(undefined, sys.deps.redis);
    const t0 = performance.now();
    const result = await new DrawRunner(sys.deps, undefined, { redisUrl: sys.redisUrl }).run(
      officeId,
      DRAW_DATE,
    );
    const ms = performance.now() - t0;
    const cpu = cpuPerUnit(cpu0, await cpuSnapshot(undefined, sys.deps.redis), 1);
    const peak = stopSampler();
    if (result.meta.state !== 'drawn' || result.meta.entryCount !== n)
      throw new Error(`scaling draw of ${n}: state ${result.meta.state}, ${result.meta.entryCount} entries`);
    const point: ScalingPoint = {
      entries: n,
      drawSeconds: seconds(ms),
      usPerEntry: round((ms * 1000) / n, 3),
      cpuMs: { drawProcess: cpu.benchMs, redis: cpu.redisMs },
      redisMb: mb(redisBytes),
      peakRssMb: mb(peak),
      rssRiseMb: mb(peak - rssBefore),
    };
    points.push(point);
    log(
      `draw scaling: ${n} entries loaded in ${seconds(load.ms)} s, drawn in ${point.drawSeconds} s ` +
        `(${point.usPerEntry} µs/entry); Redis +${point.redisMb} MB, peak RSS ${point.peakRssMb} MB`,
    );
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  figure(ctx, 'draw_scaling', round(last.usPerEntry / first.usPerEntry, 2));
  detail(ctx, 'draw_scaling', { points });
}
