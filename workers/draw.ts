// Draw queue processor. Scheduler ticks (one Job Scheduler per office, cron in the office's zone) add
// the day's draw job under a deterministic id, so a duplicate tick or a manual "run now" for the same
// office and date is the same job; the run itself is idempotent (src/services/draw-runner.ts).
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Deps } from '../src/deps.ts';
import { drawCloseInstant, isDrawDay, localDate } from '../src/domain/calendar.ts';
import { isRealDate } from '../src/domain/calendar-date.ts';
import { withClosedDays } from '../src/domain/closed-days.ts';
import { drawJobId, enqueueDraw, type RunData } from '../src/queues.ts';
import { BeaconPending } from '../src/services/draw-beacon.ts';
import { DayClosedError, DrawRunner } from '../src/services/draw-runner.ts';

export interface TickData {
  officeId: string;
}

/** `redisUrl` is where deps.redis points, for the draw thread to read the entries from (see DrawRunner). */
export function drawProcessor(deps: Deps, redisUrl?: string) {
  const runner = new DrawRunner(deps, undefined, { redisUrl });
  return async (job: Job, token?: string) => {
    if (job.name === 'tick') {
      const { officeId } = job.data as TickData;
      const office = await deps.offices.get(officeId);
      const rules = await deps.offices.rules(officeId);
      if (!office || !rules) return { skipped: 'unknown office' };
      const now = deps.now();
      const today = localDate(office.tz, now);
      const calendar = withClosedDays(rules.rules, await deps.closedDays.dates(officeId));
      if (!isDrawDay(calendar, today)) return { skipped: 'not a draw day' };
      // A tick that fires early (clock skew) must not close a draw before its announced time.
      if (drawCloseInstant(rules.rules, office.tz, today) > now) return { skipped: 'before close' };
      await enqueueDraw(deps.queues!.draw, officeId, today);
      return { enqueued: drawJobId(officeId, today) };
    }
    if (job.name === 'run') {
      const { officeId, drawDate } = job.data as RunData;
      // Retrying cannot make a date real: fail once, loudly, instead of backing off forever.
      if (!isRealDate(drawDate)) throw new UnrecoverableError(`invalid draw date '${drawDate}'`);
      const stop = deps.metrics.drawDuration.startTimer();
      let result: Awaited<ReturnType<DrawRunner['run']>>;
      try {
        result = await runner.run(officeId, drawDate);
      } catch (err) {
        // Closed after the job was queued: nothing to draw, and retrying cannot change that.
        if (err instanceof DayClosedError) return { skipped: 'day closed' };
        // Waiting for the beacon round is not a failure: the job sleeps until the round is due and goes on
        // (the wait and its reason are on the draw's record for the admin console and the public page).
        if (!(err instanceof BeaconPending) || !token) throw err;
        await job.moveToDelayed(Date.now() + Math.max(0, err.retryAtMs - deps.now().getTime()), token);
        throw new DelayedError();
      }
      if (result.committedNow) stop();
      await deps.afterDraw(officeId, drawDate);
      return { state: result.meta.state, winners: result.meta.winners, committedNow: result.committedNow };
    }
    throw new Error(`unknown draw job ${job.name}`);
  };
}
