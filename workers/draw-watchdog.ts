// The draw watchdog (maintenance job 'draw-watchdog', every WATCHDOG_EVERY_MS): no draw waits for a person.
// Every draw that should be drawn by now and is not (closed but not drawn, or past its close with entries
// and never started: src/services/current-draw.ts) gets its job back: added if missing, retried if it ran
// out of attempts. A draw due for longer than DRAW_STUCK_AFTER_MS is stuck: an error in the log, the
// fairslot_draws_stuck gauge, and a notice on the admin console (GET /api/admin/draws/:office, `current`).
import type { Deps } from '../src/deps.ts';
import { drawJobId, enqueueDraw } from '../src/queues.ts';
import { dueDraws } from '../src/services/current-draw.ts';

/**
 * How long a due draw may be without a job in hand before the watchdog adds one. A crashed run is taken up
 * again by the stalled check within 20 s; this covers jobs that are missing or failed, and leaves a run
 * driven outside the queue (a maintenance script, a fault test stepping through a draw) its moment.
 */
export const WATCHDOG_GRACE_MS = 60_000;

/** States in which the job is already in hand: the queue will run it without help. */
const IN_HAND = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

export interface WatchdogReport {
  requeued: string[];
  stuck: string[];
}

export async function drawWatchdog(deps: Deps): Promise<WatchdogReport> {
  const queue = deps.queues!.draw;
  const now = deps.now();
  const report: WatchdogReport = { requeued: [], stuck: [] };
  for (const office of await deps.offices.list()) {
    const rules = await deps.offices.rules(office.id);
    if (!rules) continue;
    for (const d of await dueDraws(deps, office, rules.rules, now)) {
      const id = drawJobId(office.id, d.drawDate);
      if (d.stuck) {
        report.stuck.push(id);
        deps.log.error(
          { officeId: office.id, drawDate: d.drawDate, state: d.state, dueSince: d.dueSince },
          'draw stuck: due and not drawn',
        );
      }
      if (now.getTime() - Date.parse(d.dueSince!) < WATCHDOG_GRACE_MS) continue;
      const job = await queue.getJob(id);
      const state = job ? await job.getState() : 'missing';
      if (IN_HAND.has(state)) continue;
      if (job && state === 'failed') {
        await job.retry('failed');
      } else {
        // Missing, or completed while the draw is not drawn (its record was reset by hand): a fresh job.
        if (job) await job.remove().catch(() => {});
        await enqueueDraw(queue, office.id, d.drawDate);
      }
      report.requeued.push(id);
      deps.log.warn(
        { officeId: office.id, drawDate: d.drawDate, was: state },
        'draw re-queued by the watchdog',
      );
    }
  }
  deps.metrics.setStuckDraws(report.stuck);
  return report;
}
