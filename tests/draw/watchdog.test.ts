// Draws recover without a person: the watchdog re-queues a draw that is closed but not drawn (its job
// failed for good) and one past its close that never started (a missed tick), and a draw due for more than
// five minutes is reported stuck in the log, the metric and the admin console until it is drawn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawCloseInstant } from '../../src/domain/calendar.ts';
import { drawJobId } from '../../src/queues.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { drawWatchdog } from '../../workers/draw-watchdog.ts';
import { fillDraw } from '../support/entries.ts';
import { waitFor } from '../support/processes.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let admin: Record<string, string>;
const OFFICE = 'medan';
const DAY = '2026-11-30';

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  admin = await signInStaff(sys, { username: 'watch-admin', role: 'admin' });
});
afterAll(() => sys.stop());

const state = async (d: string) => (await sys.deps.draws.meta(OFFICE, d))?.state ?? null;
const closes = async (d: string) =>
  drawCloseInstant((await sys.deps.offices.rules(OFFICE))!.rules, 'Asia/Jakarta', d).getTime();

describe('the draw watchdog', () => {
  it('runs a draw whose tick was missed, once it is past its close', async () => {
    await fillDraw(sys.deps, OFFICE, DAY, '2026-12-02', 30);
    // Before the close: nothing to do.
    expect(await drawWatchdog(sys.deps)).toEqual({ requeued: [], stuck: [] });
    sys.clock.now = new Date((await closes(DAY)) + 60_000);
    expect(await drawWatchdog(sys.deps)).toEqual({ requeued: [drawJobId(OFFICE, DAY)], stuck: [] });
    await waitFor(async () => (await state(DAY)) === 'drawn', 'the overdue draw', 30_000, 50);
    expect(await drawWatchdog(sys.deps)).toEqual({ requeued: [], stuck: [] });
  });

  it('retries a closed draw whose job failed for good, and reports it stuck until it is drawn', async () => {
    const day = '2026-12-01';
    await fillDraw(sys.deps, OFFICE, day, '2026-12-03', 20, { prefix: 'wd' });
    const rules = (await sys.deps.offices.rules(OFFICE))!;
    // Closed at its time by a run whose job then failed for good: 20 minutes later nobody has pressed a thing.
    const closeAt = await closes(day);
    sys.clock.now = new Date(closeAt);
    await sys.deps.draws.close(
      OFFICE,
      day,
      '2026-12-03',
      { seed: 'ab'.repeat(32), commitment: 'x', anchor: '' },
      rules.version,
      closeAt,
    );
    const job = await sys.deps.queues!.draw.add(
      'run',
      { officeId: OFFICE, drawDate: '2026-13-45' },
      { jobId: drawJobId(OFFICE, day), attempts: 1 },
    );
    await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail', 15_000, 50);
    sys.clock.now = new Date(closeAt + 20 * 60_000);

    const view = await call(sys, 'GET', `/api/admin/draws/${OFFICE}`, undefined, admin);
    expect(view.body.current).toMatchObject({ drawDate: day, state: 'closed', stuck: true });

    // The retried job is the same failed one (same bad data) and fails again: still stuck, still visible.
    const first = await drawWatchdog(sys.deps);
    expect(first).toEqual({ requeued: [drawJobId(OFFICE, day)], stuck: [drawJobId(OFFICE, day)] });
    expect(sys.logLines.join('')).toContain('draw stuck: due and not drawn');
    expect(await sys.deps.metrics.render()).toMatch(/^fairslot_draws_stuck 1$/m);
    await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail again', 15_000, 50);

    // Fixed (here: the job's data; in life, Redis back or a bug fixed): the next pass brings it home.
    await job.remove();
    const second = await drawWatchdog(sys.deps);
    expect(second.requeued).toEqual([drawJobId(OFFICE, day)]);
    await waitFor(async () => (await state(day)) === 'drawn', 'the retried draw', 30_000, 50);
    expect(await drawWatchdog(sys.deps)).toEqual({ requeued: [], stuck: [] });
    expect(await sys.deps.metrics.render()).toMatch(/^fairslot_draws_stuck 0$/m);
    const after = await call(sys, 'GET', `/api/admin/draws/${OFFICE}`, undefined, admin);
    expect(after.body.current.stuck).toBe(false);
  });
});
