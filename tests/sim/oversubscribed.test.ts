// The oversubscribed scenario (docs/simulation.md): demand above the quota at every office, families with
// children. First-come runs here at full size (pure and fast); fairslot runs the production code on a
// one-office cut of the same kind, where families enter as group entries.
import { describe, expect, it } from 'vitest';
import { isServiceDay } from '../../src/domain/calendar.ts';
import { dailyQuota } from '../../src/domain/rules.ts';
import { compare } from '../../src/sim/compare.ts';
import { runFcfs } from '../../src/sim/fcfs.ts';
import { summarize } from '../../src/sim/outcome.ts';
import { generatePopulation } from '../../src/sim/population.ts';
import { loadScenario, officeRules, parseScenario } from '../../src/sim/scenario.ts';
import { tinyScenario } from './support.ts';

const FILE = new URL('../../src/sim/scenarios/oversubscribed.json', import.meta.url).pathname;

describe('the oversubscribed scenario', () => {
  const s = loadScenario(FILE);
  const pop = generatePopulation(s);

  it('has genuine demand of at least 1.3 times the quota at every office, and families with children', () => {
    s.offices.forEach((_, o) => {
      const rules = officeRules(s, o);
      let serviceDays = 0;
      for (let d = 0; d < s.days; d++) {
        const date = new Date(Date.parse(`${s.startDate}T00:00:00Z`) + d * 86_400_000)
          .toISOString()
          .slice(0, 10);
        if (isServiceDay(rules, date)) serviceDays++;
      }
      const persons = pop.genuine.filter((g) => g.office === o).length;
      expect(persons / (serviceDays * dailyQuota(rules))).toBeGreaterThanOrEqual(1.3);
    });
    const families = new Set(pop.genuine.filter((g) => g.group !== g.key).map((g) => g.group));
    expect(families.size).toBeGreaterThan(1000);
    expect(pop.genuine.filter((g) => g.minor).length).toBeGreaterThan(500);
  });

  it('under first-come shows the quota full while fewer than half of the slots are used', () => {
    const fcfs = summarize(runFcfs(s, pop), s.days, s.measure.cohortTailDays);
    expect(fcfs.slotsHeldShare).toBeGreaterThan(0.95);
    expect(fcfs.slotsUsedShare).toBeLessThan(0.5);
    // Families booking one person at a time are split, and children's places go unused.
    expect(fcfs.familiesServedTogetherShare).toBeLessThan(0.5);
    expect(fcfs.childSeatsWastedShare).toBeGreaterThan(0.3);
  });
});

describe('families under fairslot (production code, one office)', () => {
  it('seats families together and wastes no child seat; the same people split under first-come', async () => {
    const base = tinyScenario();
    const s = parseScenario({
      ...base,
      days: 12,
      genuine: {
        ...base.genuine,
        arrivalsPerDay: 16,
        families: { share: 0.3, size: { min: 2, max: 4 }, childShare: 0.4 },
      },
      measure: { cohortTailDays: 3 },
    });
    const c = await compare(s);
    expect(c.fairslot.families.served).toBeGreaterThan(10);
    expect(c.fairslot.familiesServedTogetherShare).toBeGreaterThanOrEqual(0.95);
    expect(c.fairslot.childSeatsWastedShare).toBe(0);
    expect(c.fcfs.familiesServedTogetherShare).toBeLessThan(c.fairslot.familiesServedTogetherShare);
    for (const d of c.fairslot.daily) expect(d.held).toBeLessThanOrEqual(d.capacity);
  }, 180_000);
});
