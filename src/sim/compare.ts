// Both policies on the same scenario and the same people: first-come booking as it was, and fairslot's
// production code. The single entry point for the CLI, the tests and the docs.
import { runFairslot } from './fairslot.ts';
import { runFcfs } from './fcfs.ts';
import { type PolicyOutcome, summarize } from './outcome.ts';
import { generatePopulation } from './population.ts';
import type { Scenario } from './scenario.ts';

export interface Comparison {
  fcfs: PolicyOutcome;
  fairslot: PolicyOutcome;
}

export interface CompareOptions {
  /** 'seeded' (default) makes the run reproducible; see entropy.ts for why a server must not use it. */
  entropy?: 'seeded' | 'system';
  redisBin?: string;
  /** Simulate offices in worker threads (the CLI); tests and the server run them in their own thread. */
  threads?: boolean;
  onProgress?: (policy: 'fcfs' | 'fairslot', day: number, days: number) => void;
}

export async function compare(s: Scenario, opts: CompareOptions = {}): Promise<Comparison> {
  const population = generatePopulation(s);
  const { days, measure } = s;
  const realDemand = {
    clients: population.brokers.reduce((n, b) => n + b.clients.length, 0),
    genuine: population.genuine.length,
  };
  opts.onProgress?.('fcfs', 0, days);
  const fcfs = summarize(runFcfs(s, population), days, measure.cohortTailDays, realDemand);
  const fairslot = summarize(
    await runFairslot(s, population, {
      entropy: opts.entropy ?? 'seeded',
      redisBin: opts.redisBin,
      threads: opts.threads,
      onProgress: (day, n) => opts.onProgress?.('fairslot', day, n),
    }),
    days,
    measure.cohortTailDays,
    realDemand,
  );
  return { fcfs, fairslot };
}
