// DEV_MODE only: moving the virtual clock (src/clock.ts) forward, and with it everything that waits for a
// time. Delayed lifecycle jobs (forfeits at deadlines, no-shows, waitlist closes, reminders) wait in real
// milliseconds, so each comes Δ nearer when the clock moves by Δ: those now due run in the order they were
// due, the others are rescheduled. Each office's draw scheduler is ticked as its cron would be; the tick
// itself decides whether a draw is due (workers/draw.ts). Answers once the queues are idle, so a caller
// sees the state the new time implies.
import type { Queue } from 'bullmq';
import type { Deps } from '../deps.ts';

/** Upper bound on waiting for the jobs one move starts (a large draw takes a few seconds). */
const SETTLE_TIMEOUT_MS = 120_000;

export class ClockError extends Error {}

export interface ClockMove {
  from: string;
  now: string;
  /** Delayed jobs that became due and ran. */
  ran: number;
  /** Offices whose draw scheduler was ticked. */
  ticked: number;
}

async function idle(queue: Queue): Promise<boolean> {
  const c = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
  return Object.values(c).every((n) => n === 0);
}

async function settle(queues: Queue[], deadline: number): Promise<void> {
  // Two idle looks in a row: a finishing job may add the next one (draw → fan-out → forfeits).
  let calm = 0;
  while (calm < 2) {
    if (Date.now() > deadline) throw new ClockError('jobs still running after the clock moved; try again');
    calm = (await Promise.all(queues.map(idle))).every(Boolean) ? calm + 1 : 0;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Real instant each delayed job is due, from BullMQ's delayed set (score = due ms × 4096 + counter). */
async function delayedDue(deps: Deps, queue: Queue): Promise<{ id: string; dueMs: number }[]> {
  const raw = await deps.redis.zrange(queue.keys.delayed!, '0', '-1', 'WITHSCORES');
  const out: { id: string; dueMs: number }[] = [];
  for (let i = 0; i < raw.length; i += 2)
    out.push({ id: raw[i]!, dueMs: Math.floor(Number(raw[i + 1]) / 4096) });
  return out;
}

export async function advanceClock(deps: Deps, to: Date): Promise<ClockMove> {
  const clock = deps.clock?.virtual;
  if (!clock) throw new ClockError('the virtual clock exists only in DEV_MODE');
  const queues = deps.queues;
  if (!queues) throw new ClockError('this process runs no workers');
  const from = deps.now();
  if (to.getTime() < from.getTime())
    throw new ClockError(`the clock never goes back (it is ${from.toISOString()})`);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  const by = await clock.advanceTo(to);
  let ran = 0;
  const realNow = Date.now();
  const pending = (await delayedDue(deps, queues.lifecycle)).sort((a, b) => a.dueMs - b.dueMs);
  // Jobs due at the same instant run together; earlier instants settle first (a forfeit before the
  // waitlist close that follows it).
  const groups = new Map<number, string[]>();
  for (const p of pending) {
    const remaining = p.dueMs - realNow;
    const job = await queues.lifecycle.getJob(p.id);
    if (!job) continue;
    if (remaining > by) {
      await job.changeDelay(remaining - by).catch(() => {});
      continue;
    }
    groups.set(p.dueMs, [...(groups.get(p.dueMs) ?? []), p.id]);
  }
  for (const [, ids] of [...groups].sort((a, b) => a[0] - b[0])) {
    for (const id of ids) {
      const job = await queues.lifecycle.getJob(id);
      if (job && (await job.isDelayed())) {
        await job.promote();
        ran++;
      }
    }
    await settle([queues.lifecycle], deadline);
  }
  const offices = await deps.offices.list();
  for (const o of offices)
    await queues.draw.add('tick', { officeId: o.id }, { jobId: `devtick.${o.id}.${to.getTime()}` });
  await settle([queues.draw, queues.lifecycle], deadline);
  return { from: from.toISOString(), now: deps.now().toISOString(), ran, ticked: offices.length };
}
