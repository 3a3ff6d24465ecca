// Job Schedulers: one per office for its daily draw (cron in the office's own time zone), plus
// housekeeping. They follow the offices: an office created, moved to another zone or given another draw
// time moves its scheduler at once (followOffices), and the reconciler, run at every worker start and
// every few minutes (the maintenance job 'reconcile-schedulers'), makes the draw schedulers match the
// offices exactly: one per office, with the office's pattern and zone, none for an office that is gone.
// Upserting is idempotent, so every process may do it.

import type { Deps } from '../src/deps.ts';
import { drawCron } from '../src/domain/calendar.ts';

const DRAW_SCHEDULER_PREFIX = 'draw:';
export const drawSchedulerId = (officeId: string) => `${DRAW_SCHEDULER_PREFIX}${officeId}`;
export const AOF_REWRITE_SCHEDULER = 'aof-rewrite';
/** How often the reconciler and the draw watchdog run. */
export const RECONCILE_EVERY_MS = 5 * 60_000;
export const WATCHDOG_EVERY_MS = 30_000;

/** '03:00' → the cron pattern for every day at that time. */
export function dailyCron(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  return `${m} ${h} * * *`;
}

export async function syncDrawScheduler(deps: Deps, officeId: string): Promise<void> {
  const queue = deps.queues!.draw;
  const office = await deps.offices.get(officeId);
  const rules = await deps.offices.rules(officeId);
  if (!office || !rules) {
    await queue.removeJobScheduler(drawSchedulerId(officeId));
    return;
  }
  await queue.upsertJobScheduler(
    drawSchedulerId(officeId),
    { pattern: drawCron(rules.rules), tz: office.tz },
    { name: 'tick', data: { officeId }, opts: { attempts: 3 } },
  );
}

/** Every process with queues moves an office's scheduler as soon as the office changes. */
export function followOffices(deps: Deps): void {
  if (!deps.queues) return;
  deps.onOfficeChanged = (officeId) => syncDrawScheduler(deps, officeId);
}

export interface ReconcileReport {
  upserted: number;
  removed: string[];
}

/** Draw schedulers exactly as the offices say: each office's upserted, every other `draw:` one removed. */
export async function reconcileDrawSchedulers(deps: Deps): Promise<ReconcileReport> {
  const queue = deps.queues!.draw;
  const offices = await deps.offices.list();
  const wanted = new Set(offices.map((o) => drawSchedulerId(o.id)));
  const existing = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
  let upserted = 0;
  for (const office of offices) {
    const rules = await deps.offices.rules(office.id);
    const have = existing.get(drawSchedulerId(office.id));
    // An unchanged scheduler is left alone: upserting it would replace its next tick for nothing.
    if (rules && have?.pattern === drawCron(rules.rules) && have.tz === office.tz) continue;
    await syncDrawScheduler(deps, office.id);
    upserted++;
  }
  const removed: string[] = [];
  for (const id of existing.keys()) {
    if (id.startsWith(DRAW_SCHEDULER_PREFIX) && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed.push(id);
    }
  }
  if (upserted || removed.length) deps.log.info({ upserted, removed }, 'draw schedulers reconciled');
  return { upserted, removed };
}

export async function syncAllSchedulers(deps: Deps): Promise<void> {
  await reconcileDrawSchedulers(deps);
  await deps.queues!.maintenance.upsertJobScheduler(
    'reconcile-schedulers',
    { every: RECONCILE_EVERY_MS },
    { name: 'reconcile-schedulers', data: {} },
  );
  // Re-queues draws that are closed but not drawn, or past their close and never started (a missed tick,
  // a job that ran out of attempts), and raises the alert for one stuck too long.
  await deps.queues!.maintenance.upsertJobScheduler(
    'draw-watchdog',
    { every: WATCHDOG_EVERY_MS },
    { name: 'draw-watchdog', data: {} },
  );
  await deps.queues!.maintenance.upsertJobScheduler(
    'purge-unverified',
    { every: 3600_000 },
    { name: 'purge-unverified', data: {} },
  );
  await deps.queues!.maintenance.upsertJobScheduler(
    'prune-penalties',
    { every: 3600_000 },
    { name: 'prune-penalties', data: {} },
  );
  if (deps.config.AOF_REWRITE_AT === 'off') {
    await deps.queues!.maintenance.removeJobScheduler(AOF_REWRITE_SCHEDULER);
  } else {
    await deps.queues!.maintenance.upsertJobScheduler(
      AOF_REWRITE_SCHEDULER,
      { pattern: dailyCron(deps.config.AOF_REWRITE_AT), tz: deps.config.AOF_REWRITE_TZ },
      { name: 'aof-rewrite', data: {} },
    );
  }
  // Backstop for forfeit jobs lost while no worker ran: every offer past its deadline is forfeited.
  await deps.queues!.lifecycle.upsertJobScheduler('sweep', { every: 60_000 }, { name: 'sweep', data: {} });
}
