// "What would this rule change do here?" One office's current rules and a proposed set, each run through
// the fairslot simulation on the office's recent demand, at a scale small enough for an admin request.
// Both runs see the same simulated people (same seed); the draws themselves use the system's entropy,
// because this runs inside the server (see entropy.ts), so two calls can differ by a little noise.
import { addDays, localDate } from '../domain/calendar.ts';
import { dailyQuota, type Rules } from '../domain/rules.ts';
import type { Office } from '../store/offices.ts';
import { runFairslot } from './fairslot.ts';
import { type PolicyOutcome, summarize } from './outcome.ts';
import { generatePopulation } from './population.ts';
import { hash32 } from './random.ts';
import { parseScenario, type Scenario } from './scenario.ts';
import defaultScenario from './scenarios/default.json' with { type: 'json' };

export const WHAT_IF_LIMITS = {
  maxDays: 30,
  defaultDays: 14,
  /** Demand above this many entries per draw is simulated scaled down, capacities with it. */
  maxEntriesPerDraw: 150,
  /** Draws whose entry counts make up "recent demand". */
  recentDraws: 14,
} as const;

export interface WhatIfDemand {
  source: 'recent-draws' | 'default';
  /** Draws the median was taken over. */
  draws: number;
  /** Median entries per draw (or the default: 1.2 × the current daily quota). */
  entriesPerDraw: number;
  /** Factor applied to demand and session capacities to stay within the limits (1 = full scale). */
  scale: number;
}

export interface WhatIfResult {
  days: number;
  startDate: string;
  demand: WhatIfDemand;
  current: PolicyOutcome;
  proposed: PolicyOutcome;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function estimateDemand(currentRules: Rules, recentEntryCounts: number[]): WhatIfDemand {
  const counts = recentEntryCounts.filter((n) => Number.isFinite(n) && n > 0);
  const entriesPerDraw =
    counts.length > 0 ? Math.round(median(counts)) : Math.round(1.2 * dailyQuota(currentRules));
  return {
    source: counts.length > 0 ? 'recent-draws' : 'default',
    draws: counts.length,
    entriesPerDraw,
    scale: Math.min(1, WHAT_IF_LIMITS.maxEntriesPerDraw / Math.max(1, entriesPerDraw)),
  };
}

/** Session capacities times the scale; a session with room keeps at least one place. */
export function scaleRules(rules: Rules, scale: number): Rules {
  if (scale >= 1) return rules;
  return {
    ...rules,
    sessions: rules.sessions.map((s) => ({
      ...s,
      capacity: s.capacity === 0 ? 0 : Math.max(1, Math.round(s.capacity * scale)),
    })),
  };
}

/**
 * The default scenario's people (their patience, show-up, brokers in the same proportion), arriving at this
 * office at the rate of its recent demand: the median entries per draw count as new applicants per draw,
 * an upper bound because carried-over entries are counted again.
 */
export function whatIfScenario(
  office: Office,
  rules: Rules,
  demand: WhatIfDemand,
  days: number,
  now: Date,
): Scenario {
  const base = parseScenario(defaultScenario);
  const perCalendarDay = (demand.entriesPerDraw * demand.scale * rules.serviceDays.length) / 7;
  // Brokers shrink or grow with the office, each one's operation rather than their number, so a small office
  // still meets a few small rings instead of one ring the size of the default scenario's.
  const f = perCalendarDay / base.genuine.arrivalsPerDay;
  const size = (n: number) => Math.max(1, Math.round(n * f));
  return parseScenario({
    ...base,
    name: `what-if ${office.id}`,
    description: undefined,
    seed: hash32(office.id) & 0x7fffffff,
    startDate: addDays(localDate(office.tz, now), 1),
    days,
    offices: [
      {
        id: office.id,
        name: office.name,
        tz: office.tz,
        demandScale: 1,
      },
    ],
    rules: {},
    genuine: { ...base.genuine, arrivalsPerDay: perCalendarDay },
    brokers: {
      ...base.brokers,
      accounts: size(base.brokers.accounts),
      ips: Math.min(size(base.brokers.accounts), base.brokers.ips),
      clientsPerDay: base.brokers.clientsPerDay * f,
      fakeIdentities: Math.round(base.brokers.fakeIdentities * f),
    },
    // Only fairslot runs here; a one-day lead keeps the warm-up to the rules' own daysAhead.
    fcfs: { ...base.fcfs, leadDays: 1 },
    measure: { cohortTailDays: Math.min(base.measure.cohortTailDays, Math.floor(days / 3)) },
  });
}

export async function runWhatIf(input: {
  office: Office;
  currentRules: Rules;
  proposedRules: Rules;
  days: number;
  recentEntryCounts: number[];
  now: Date;
  redisBin?: string;
}): Promise<WhatIfResult> {
  const days = Math.min(WHAT_IF_LIMITS.maxDays, Math.max(7, Math.floor(input.days)));
  const demand = estimateDemand(input.currentRules, input.recentEntryCounts);
  const scenario = whatIfScenario(input.office, input.currentRules, demand, days, input.now);
  const population = generatePopulation(scenario);
  const run = async (rules: Rules) =>
    summarize(
      await runFairslot(scenario, population, {
        entropy: 'system',
        redisBin: input.redisBin,
        rulesFor: () => scaleRules(rules, demand.scale),
      }),
      days,
      scenario.measure.cohortTailDays,
    );
  const current = await run(input.currentRules);
  const proposed = await run(input.proposedRules);
  return { days, startDate: scenario.startDate, demand, current, proposed };
}
