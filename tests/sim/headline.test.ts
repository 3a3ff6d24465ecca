// The claims docs/simulation.md makes, checked on the committed scenarios: first-come shows the old
// system's symptoms, and fairslot's production code does better on the same people.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Comparison, compare } from '../../src/sim/compare.ts';
import { runFcfs } from '../../src/sim/fcfs.ts';
import { summarize } from '../../src/sim/outcome.ts';
import { generatePopulation } from '../../src/sim/population.ts';
import { DEFAULT_SCENARIO_FILE, loadScenario } from '../../src/sim/scenario.ts';
import { smallScenario } from './support.ts';

describe('the default scenario under first-come booking', () => {
  // First-come is pure and fast, so the committed default runs here at full size.
  const s = loadScenario(DEFAULT_SCENARIO_FILE);
  const fcfs = summarize(runFcfs(s, generatePopulation(s)), s.days, s.measure.cohortTailDays);

  it('shows the quota full while fewer than half of the slots are used', () => {
    expect(fcfs.slotsHeldShare).toBeGreaterThan(0.9);
    expect(fcfs.slotsUsedShare).toBeLessThan(0.5);
  });

  it('leaves most slots to brokers and rewards being first', () => {
    expect(fcfs.brokerSlotShare).toBeGreaterThan(0.5);
    expect(fcfs.winRateByArrivalQuartile[0]).toBeGreaterThan(2 * fcfs.winRateByArrivalQuartile[3]!);
    expect(fcfs.flaggedAccounts).toBe(0);
  });
});

describe('first-come vs fairslot on the same people (small scenario)', () => {
  let c: Comparison;
  beforeAll(async () => {
    c = await compare(smallScenario());
  }, 60_000);

  it('first-come reproduces the symptoms', () => {
    expect(c.fcfs.slotsUsedShare).toBeLessThan(0.5);
    expect(c.fcfs.brokerSlotShare).toBeGreaterThan(0.5);
  });

  it('fairslot uses more slots and leaves brokers fewer', () => {
    expect(c.fairslot.slotsUsedShare).toBeGreaterThan(c.fcfs.slotsUsedShare);
    expect(c.fairslot.brokerSlotShare).toBeLessThan(c.fcfs.brokerSlotShare);
    expect(c.fairslot.waitP95Days).toBeLessThanOrEqual(c.fcfs.waitP95Days);
    expect(c.fairslot.servedShare).toBeGreaterThan(c.fcfs.servedShare);
  });

  it('arrival time makes (almost) no difference in the draw, and brokers get flagged', () => {
    expect(c.fairslot.arrivalFairnessGap).toBeLessThan(c.fcfs.arrivalFairnessGap);
    expect(c.fairslot.arrivalFairnessGap).toBeLessThan(0.15);
    expect(c.fairslot.flaggedBrokerAccounts).toBeGreaterThan(0);
    // Nobody genuine shares a connection, a NIK or a household with anyone: no false alarms.
    expect(c.fairslot.flaggedAccounts).toBe(c.fairslot.flaggedBrokerAccounts);
  });

  it('never holds more than the capacity on any day', () => {
    for (const d of c.fairslot.daily) expect(d.held).toBeLessThanOrEqual(d.capacity);
  });
});
