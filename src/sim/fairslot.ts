// fairslot for a whole scenario: each office simulated by its own run of the production code
// (fairslot-office/), side by side in worker threads or one after another in this thread, then added up.
// Offices share no people, and each run has its own Redis and its own seeded entropy stream, so both ways
// give the same result; threads only overlap the runs' round trips to Redis.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Rules } from '../domain/rules.ts';
import { type OfficeRunInput, runFairslotOffice } from './fairslot-office/index.ts';
import type { OfficeJob, WorkerMessage } from './office-worker.ts';
import { mergeTallies, type Tally } from './outcome.ts';
import type { Population } from './population.ts';
import { officeRules, type Scenario, warmupDays } from './scenario.ts';

export interface FairslotOptions {
  /** 'seeded' makes production code's own randomness reproducible (CLI, tests); never in a server. */
  entropy: 'seeded' | 'system';
  redisBin?: string;
  /** Rules per office index; default: the scenario's (the what-if passes current or proposed rules). */
  rulesFor?: (office: number) => Rules;
  /** Run offices in worker threads (needs the tsx loader, so not under vitest); default: in this thread. */
  threads?: boolean;
  /** Day reached by the slowest office. */
  onProgress?: (day: number, days: number) => void;
}

export async function runFairslot(
  s: Scenario,
  population: Population,
  opts: FairslotOptions,
): Promise<Tally> {
  const rulesFor = opts.rulesFor ?? ((o: number) => officeRules(s, o));
  const rules = s.offices.map((_, o) => rulesFor(o));
  const householdLimit = Math.max(...rules.map((r) => r.householdLimit));
  const warmup = warmupDays(s, rulesFor);
  const progress = s.offices.map(() => 0);
  const report = (o: number, day: number) => {
    progress[o] = day;
    opts.onProgress?.(Math.min(...progress), s.days);
  };
  const job = (o: number): Omit<OfficeRunInput, 'population' | 'onProgress'> => ({
    scenario: s,
    office: o,
    rules: rules[o]!,
    householdLimit,
    warmup,
    entropy: opts.entropy,
    redisBin: opts.redisBin,
  });
  const tallies: Tally[] = [];
  if (opts.threads && s.offices.length > 1) {
    const limit = Math.max(2, Math.min(s.offices.length, 2 * availableParallelism()));
    let next = 0;
    const lane = async () => {
      while (next < s.offices.length) {
        const o = next++;
        tallies[o] = await inWorker(job(o), (day) => report(o, day));
      }
    };
    await Promise.all(Array.from({ length: limit }, lane));
  } else {
    for (let o = 0; o < s.offices.length; o++) {
      tallies[o] = await runFairslotOffice({ ...job(o), population, onProgress: (day) => report(o, day) });
    }
  }
  return mergeTallies(tallies);
}

/** The worker regenerates the population from the scenario (cheap, deterministic) instead of copying it. */
function inWorker(job: OfficeJob, onProgress: (day: number) => void): Promise<Tally> {
  const entry = new URL('./office-worker.ts', import.meta.url).href;
  // TypeScript sources run under tsx; a worker does not inherit its loader, so the worker registers it.
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: job });
    let done = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.day);
      else {
        done = true;
        resolve(m.tally);
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!done)
        reject(new Error(`office worker for ${job.scenario.offices[job.office]!.id} exited with ${code}`));
    });
  });
}
