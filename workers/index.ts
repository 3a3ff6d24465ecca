// Starts the BullMQ workers of this process and keeps schedulers in step with office rules.
import { Worker } from 'bullmq';
import type { Deps } from '../src/deps.ts';
import { QUEUE } from '../src/queues.ts';
import { createRedis } from '../src/redis/connection.ts';
import { queuePrefix } from '../src/redis/keys.ts';
import { closeDrawThread, warmDrawThread } from '../src/services/draw-compute-client.ts';
import { drawProcessor } from './draw.ts';
import { lifecycleProcessor } from './lifecycle.ts';
import { maintenanceProcessor } from './maintenance.ts';
import { createNotifyWorker } from './notify.ts';
import { syncAllSchedulers } from './schedulers.ts';

/**
 * A draw whose worker died is taken up again within DRAW_LOCK.lockDuration + stalledInterval (20 s) by
 * any live worker, or by the restarted one at its start. The lock is renewed every half lockDuration from
 * the main thread, whose event loop never stalls for more than tens of ms (the computation runs in the
 * draw thread). A stall is not a failure: every step of a draw can be repeated, so no stall count fails it.
 */
export const DRAW_LOCK = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 1_000 } as const;

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startWorkers(deps: Deps, redisUrl: string): Promise<RunningWorkers> {
  if (!deps.queues) throw new Error('workers need queues');
  // Schedulers first, then take jobs: once a worker exists a job may start, and the caller installs its
  // SIGTERM handling only when this returns.
  await syncAllSchedulers(deps);
  const connection = createRedis(redisUrl, { forBullmq: true });
  const common = { connection, prefix: queuePrefix };
  const workers = [
    // A draw's CPU-bound part runs in the draw thread (src/services/draw-compute-client.ts), off this event
    // loop, and its reader thread reads the entries; one draw at a time per process keeps them to two cores.
    new Worker(QUEUE.draw, drawProcessor(deps, redisUrl), {
      ...common,
      concurrency: 1,
      ...DRAW_LOCK,
    }),
    new Worker(QUEUE.lifecycle, lifecycleProcessor(deps), { ...common, concurrency: 4 }),
    new Worker(QUEUE.maintenance, maintenanceProcessor(deps), { ...common, concurrency: 1 }),
    createNotifyWorker(deps, connection),
  ];
  for (const w of workers) {
    w.on('failed', (job, err) =>
      deps.log.error({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed'),
    );
    w.on('error', (err) => deps.log.error({ queue: w.name, err: err.message }, 'worker error'));
  }
  void warmDrawThread();
  return {
    workers,
    async close() {
      // Worker.close waits for jobs in flight to finish: SIGTERM never cuts a draw in half.
      await Promise.all(workers.map((w) => w.close()));
      await closeDrawThread();
      connection.disconnect();
    },
  };
}
