// DEV_MODE only: moving the virtual clock (src/clock.ts) forward, and with it everything that waits for a
// time. Delayed lifecycle jobs (forfeits at deadlines, no-shows, waitlist closes, reminders) wait in real
// milliseconds, so each comes Δ nearer when the clock moves by Δ: those now due run in the order they were
// due, the others are rescheduled. Each office's draw scheduler is ticked as its cron would be; the tick
// itself decides whether a draw is due (workers/draw.ts). Answers once the queues are idle, so a caller
// sees the state the new time implies.
import type { Queue } from 'bullmq';
import { nextDraw } from '../domain/calendar.ts';
import type { Queues } from '../queues.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { OfficeStore } from '../store/offices.ts';

/** What moving the clock needs; `clock` is src/clock.ts's virtual clock (absent outside DEV_MODE). */
export interface DevClockDeps {
  redis: RedisClient;
  offices: OfficeStore;
  queues?: Queues;
  now: () => Date;
  clock?: { virtual: { advanceTo(at: Date): Promise<number> } | null };
}

/** Upper bound on the instants one move stops at (jobs due, draws closing). */
const MAX_STEPS = 5_000;

/** Events this close together are one stop of the clock. */
const COALESCE_MS = 1_000;

/** Upper bound on waiting for the jobs one move starts (a large draw takes a few seconds). */
const SETTLE_TIMEOUT_MS = 120_000;

export class ClockError extends Error {}

export interface ClockMove {
  from: string;
  now: string;
  /** Delayed jobs that became due and ran. */
  ran: number;
  /** Draw scheduler ticks (one per office at each instant the move stopped at). */
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
async function delayedDue(deps: DevClockDeps, queue: Queue): Promise<{ id: string; dueMs: number }[]> {
  const raw = await deps.redis.zrange(queue.keys.delayed!, '0', '-1', 'WITHSCORES');
  const out: { id: string; dueMs: number }[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    // Job Schedulers' next runs (the periodic sweep) are backstops on real time: moving them would only
    // make a move stop every virtual minute.
    if (raw[i]!.startsWith('repeat:')) continue;
    out.push({ id: raw[i]!, dueMs: Math.floor(Number(raw[i + 1]) / 4096) });
  }
  return out;
}

/** The next instant (virtual, ms) at which something waits: a delayed job or a draw's close. */
async function nextEvent(deps: DevClockDeps, queue: Queue, after: number): Promise<number> {
  const realNow = Date.now();
  const vNow = deps.now().getTime();
  let next = Number.POSITIVE_INFINITY;
  // Between moves a delayed job's virtual due is its real due plus the clock's offset.
  for (const p of await delayedDue(deps, queue)) next = Math.min(next, vNow + (p.dueMs - realNow));
  for (const o of await deps.offices.list()) {
    const rules = await deps.offices.rules(o.id);
    const d = rules ? nextDraw(rules.rules, o.tz, new Date(after)) : null;
    if (d) next = Math.min(next, Date.parse(d.closesAt));
  }
  // Jobs due within a second of the first run with it: a fan-out's deadlines differ by milliseconds.
  return Math.max(next + COALESCE_MS, after);
}

/**
 * Moves the clock to `to` through every instant on the way at which something is due, so each step
 * happens at its own time: a forfeit at its deadline and the waitlist offer it makes expiring three hours
 * later within the same move, a draw at its close before the morning's deadlines of its winners.
 */
export async function advanceClock(deps: DevClockDeps, to: Date): Promise<ClockMove> {
  const clock = deps.clock?.virtual;
  if (!clock) throw new ClockError('the virtual clock exists only in DEV_MODE');
  const queues = deps.queues;
  if (!queues) throw new ClockError('this process runs no workers');
  const from = deps.now();
  if (to.getTime() < from.getTime())
    throw new ClockError(`the clock never goes back (it is ${from.toISOString()})`);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  const target = to.getTime();
  let ran = 0;
  let ticked = 0;
  for (let step = 0; ; step++) {
    if (step > MAX_STEPS) throw new ClockError('too many events on the way; move in shorter steps');
    const vNow = deps.now().getTime();
    const stepTo = Math.min(await nextEvent(deps, queues.lifecycle, vNow), target);
    const by = await clock.advanceTo(new Date(stepTo));
    // Every delayed job comes `by` nearer; those now due run, earliest first.
    const realNow = Date.now();
    const pending = (await delayedDue(deps, queues.lifecycle)).sort((a, b) => a.dueMs - b.dueMs);
    for (const p of pending) {
      const job = await queues.lifecycle.getJob(p.id);
      if (!job || !(await job.isDelayed())) continue;
      const remaining = p.dueMs - realNow;
      if (remaining > by) await job.changeDelay(remaining - by).catch(() => {});
      else {
        await job.promote().catch(() => {});
        ran++;
      }
    }
    await settle([queues.lifecycle], deadline);
    // Each office's draw scheduler fires as its cron would; the tick runs a draw whose close has passed.
    for (const o of await deps.offices.list()) {
      await queues.draw.add('tick', { officeId: o.id }, { jobId: `devtick.${o.id}.${stepTo}` });
      ticked++;
    }
    await settle([queues.draw, queues.lifecycle], deadline);
    if (stepTo >= target) break;
  }
  return { from: from.toISOString(), now: deps.now().toISOString(), ran, ticked };
}
