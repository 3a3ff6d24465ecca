// Worker-thread entry: one office's fairslot run (see fairslot.ts). Posts progress and, at the end, the tally.
import { parentPort, workerData } from 'node:worker_threads';
import { type OfficeRunInput, runFairslotOffice } from './fairslot-office/index.ts';
import type { Tally } from './outcome.ts';
import { generatePopulation } from './population.ts';

export type OfficeJob = Omit<OfficeRunInput, 'population' | 'onProgress'>;
export type WorkerMessage = { type: 'progress'; day: number } | { type: 'done'; tally: Tally };

if (parentPort) {
  const port = parentPort;
  const job = workerData as OfficeJob;
  const tally = await runFairslotOffice({
    ...job,
    population: generatePopulation(job.scenario),
    onProgress: (day) => port.postMessage({ type: 'progress', day } satisfies WorkerMessage),
  });
  port.postMessage({ type: 'done', tally } satisfies WorkerMessage);
}
