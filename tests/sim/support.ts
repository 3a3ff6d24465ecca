// Small scenarios for the simulation tests: the committed small scenario, optionally cut down further.

import { parseScenario, type Scenario } from '../../src/sim/scenario.ts';
import smallJson from '../../src/sim/scenarios/small.json' with { type: 'json' };

export function smallScenario(overrides: Partial<Scenario> = {}): Scenario {
  return parseScenario({ ...smallJson, ...overrides });
}

/** One office, nine days, quota 20: enough for every lifecycle step, quick enough to run several times. */
export function tinyScenario(overrides: Partial<Scenario> = {}): Scenario {
  const base = smallScenario();
  return parseScenario({
    ...base,
    days: 9,
    offices: [base.offices[0]!],
    rules: {
      sessions: [
        { id: 'pagi', start: '08:00', end: '12:00', capacity: 10 },
        { id: 'siang', start: '13:00', end: '16:00', capacity: 10 },
      ],
    },
    genuine: { ...base.genuine, arrivalsPerDay: 10 },
    brokers: {
      ...base.brokers,
      perOffice: 1,
      accounts: 6,
      clientsPerDay: 2,
      fakeIdentities: 10,
      bookingsPerDate: 7,
    },
    measure: { cohortTailDays: 3 },
    ...overrides,
  });
}
