// The fairslot policy is production code under a simulated clock, not a model of it: the real services are
// called, and changing them (or the rules they read) changes what the simulation reports.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CounterDesk } from '../../src/services/counter-desk.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { Lifecycle } from '../../src/services/lifecycle/index.ts';
import { StandbyDesk } from '../../src/services/standby-desk.ts';
import { runFairslot } from '../../src/sim/fairslot.ts';
import { summarize } from '../../src/sim/outcome.ts';
import { generatePopulation } from '../../src/sim/population.ts';
import { officeRules } from '../../src/sim/scenario.ts';
import { AccountStore } from '../../src/store/accounts/index.ts';
import { EntryStore } from '../../src/store/entries/index.ts';
import { tinyScenario } from './support.ts';

const s = tinyScenario();
const population = generatePopulation(s);
const run = async (opts: Parameters<typeof runFairslot>[2] = { entropy: 'seeded' }) =>
  summarize(await runFairslot(s, population, opts), s.days, s.measure.cohortTailDays);

/** The unmodified run (first test), to compare the others with. */
let full: Awaited<ReturnType<typeof run>>;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('fairslot in the simulation', () => {
  it('runs the real join, draw, fan-out, sweep, carry-over, check-in and no-show code', async () => {
    const spies = {
      addPerson: vi.spyOn(AccountStore.prototype, 'addPerson'),
      join: vi.spyOn(EntryStore.prototype, 'join'),
      draw: vi.spyOn(DrawRunner.prototype, 'run'),
      fanout: vi.spyOn(Lifecycle.prototype, 'fanout'),
      confirm: vi.spyOn(Lifecycle.prototype, 'confirm'),
      cancel: vi.spyOn(Lifecycle.prototype, 'cancel'),
      sweep: vi.spyOn(Lifecycle.prototype, 'sweep'),
      closeWaitlist: vi.spyOn(Lifecycle.prototype, 'closeWaitlist'),
      checkIn: vi.spyOn(CounterDesk.prototype, 'confirm'),
      markNoShows: vi.spyOn(Lifecycle.prototype, 'markNoShows'),
      sendReminders: vi.spyOn(Lifecycle.prototype, 'sendReminders'),
      standbySeat: vi.spyOn(StandbyDesk.prototype, 'seat'),
    };
    const outcome = await run();
    full = outcome;
    for (const [name, spy] of Object.entries(spies)) expect(spy.mock.calls.length, name).toBeGreaterThan(0);
    expect(spies.draw.mock.calls.length).toBe(outcome.counters.draws);
    expect(spies.fanout.mock.calls.length).toBe(outcome.counters.draws);
    // Every place used was checked in at the counter, or seated there from the standby line.
    const seated = outcome.counters.standbySeated ?? 0;
    expect(spies.checkIn.mock.calls.length + seated).toBeGreaterThanOrEqual(outcome.used);
    expect(outcome.used).toBeGreaterThan(0);
    // One reminder job per drawn day; the cancellations it prompts land before the cut-off.
    expect(spies.sendReminders.mock.calls.length).toBe(outcome.counters.draws);
    expect(outcome.counters.cancelled).toBeGreaterThan(0);
    expect(outcome.counters.cancelRefused_after_cutoff ?? 0).toBe(0);
    // Claimants arrive with their document and the officer says so: nobody is turned away for the form.
    expect(outcome.counters.checkInRefused_proof_required ?? 0).toBe(0);
  }, 40_000);

  it('without the reminder nobody gives a seat back: the cancellations come from its messages', async () => {
    vi.spyOn(Lifecycle.prototype, 'sendReminders').mockResolvedValue(0);
    const outcome = await run();
    expect(outcome.counters.cancelled ?? 0).toBe(0);
    expect(outcome.counters.unused_noShow_genuineNotReminded).toBeGreaterThan(0);
  }, 40_000);

  it('a fan-out that offers nothing leaves every slot to the standby line, and empty without it', async () => {
    vi.spyOn(Lifecycle.prototype, 'fanout').mockResolvedValue({ offered: 0, waitlisted: 0 });
    const withStandby = await run();
    expect(withStandby.held).toBeGreaterThan(0);
    expect(withStandby.used).toBe(withStandby.held);
    vi.spyOn(StandbyDesk.prototype, 'seat').mockResolvedValue({ sessionId: '', freeBefore: 0, seated: [] });
    const outcome = await run();
    expect(outcome.capacity).toBeGreaterThan(0);
    expect(outcome.held).toBe(0);
    expect(outcome.used).toBe(0);
  }, 60_000);

  it('halving the session capacities in the rules halves what can be held', async () => {
    const rules = officeRules(s, 0);
    const half = { ...rules, sessions: rules.sessions.map((x) => ({ ...x, capacity: x.capacity / 2 })) };
    const outcome = await run({ entropy: 'seeded', rulesFor: () => half });
    const quota = half.sessions.reduce((n, x) => n + x.capacity, 0);
    expect(quota).toBe(10);
    for (const d of outcome.daily) {
      expect(d.capacity).toBe(quota);
      expect(d.held).toBeLessThanOrEqual(quota);
    }
    expect(outcome.capacity).toBe(full.capacity / 2);
    // Demand exceeds the halved quota: the days fill up, and fewer are served than with the full quota.
    expect(outcome.held).toBeGreaterThan(0.6 * outcome.capacity);
    expect(outcome.held).toBeLessThan(full.held);
    expect(outcome.servedShare).toBeLessThan(full.servedShare);
  }, 40_000);
});
