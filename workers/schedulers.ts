// Job Schedulers: one per office for its daily draw (cron in the office's own time zone), plus
// housekeeping. Upserting is idempotent, so every process may call this at start-up.

import type { Deps } from '../src/deps.ts';
import { drawCron } from '../src/domain/calendar.ts';

export const drawSchedulerId = (officeId: string) => `draw:${officeId}`;
export const AOF_REWRITE_SCHEDULER = 'aof-rewrite';

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

export async function syncAllSchedulers(deps: Deps): Promise<void> {
  for (const office of await deps.offices.list()) await syncDrawScheduler(deps, office.id);
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
