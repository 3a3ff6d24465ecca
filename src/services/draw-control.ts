// "Run now" for admins and the demo: through the queue (same deterministic job id as the scheduler's),
// waiting a little for the result; inline when this process has no queue (HTTP-only tests).
import { QueueEvents } from 'bullmq';
import { enqueueDraw, QUEUE, type Queues } from '../queues.ts';
import type { RedisClient } from '../redis/connection.ts';
import { queuePrefix } from '../redis/keys.ts';
import { BeaconPending } from './draw-beacon.ts';
import { DrawRunner, type DrawRunnerDeps } from './draw-runner.ts';

/**
 * How long "run now" waits before answering that the draw is still running. Small draws finish well within
 * it; a million entries take longer than an HTTP request should be held open (a proxy or the browser may
 * give up first, and the admin would see an error while the job goes on).
 */
export const RUN_NOW_WAIT_MS = 10_000;

export type RunNowResult = { done: true } | { done: false; jobId: string };

export interface DrawControlDeps extends DrawRunnerDeps {
  /** Read at each run: a process wires its queues after building its services. */
  queues: () => Queues | undefined;
  /** Downstream work after a draw commits (appointments, messages, carry-over); idempotent. */
  afterDraw: (officeId: string, drawDate: string) => Promise<void>;
}

export class DrawControl {
  private events: QueueEvents | null = null;

  constructor(private readonly deps: DrawControlDeps) {}

  async runNow(officeId: string, drawDate: string, waitMs = RUN_NOW_WAIT_MS): Promise<RunNowResult> {
    const queue = this.deps.queues()?.draw;
    if (!queue) {
      try {
        await new DrawRunner(this.deps).run(officeId, drawDate);
      } catch (err) {
        // Without a queue nothing would come back for it: the draw stays closed, waiting, and the next
        // run (or the scheduler's) completes it once the beacon round is out.
        if (err instanceof BeaconPending) return { done: false, jobId: '' };
        throw err;
      }
      await this.deps.afterDraw(officeId, drawDate);
      return { done: true };
    }
    if (!this.events) {
      // QueueEvents blocks on its connection, so it gets its own.
      const connection = (queue.opts.connection as unknown as { duplicate(): RedisClient }).duplicate();
      this.events = new QueueEvents(QUEUE.draw, { connection, prefix: queuePrefix });
      await this.events.waitUntilReady();
    }
    const job = await enqueueDraw(queue, officeId, drawDate);
    const state = await job.getState();
    if (state === 'completed') return { done: true };
    if (state === 'failed') {
      // A failed job keeps its id; retry it rather than adding a twin.
      await job.retry();
    }
    // A draw waiting for its beacon round sleeps as a delayed job: "run now" looks again at once.
    if (state === 'delayed') await job.promote().catch(() => {});
    // No ttl on the wait itself: a timeout there is indistinguishable from a failed job.
    const finished = job.waitUntilFinished(this.events).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
    });
    try {
      if (await Promise.race([finished, waited])) return { done: true };
    } finally {
      clearTimeout(timer);
    }
    // The job goes on; its outcome is the draw's state, and a failure is logged by the worker.
    finished.catch(() => {});
    return { done: false, jobId: job.id! };
  }

  async close(): Promise<void> {
    await this.events?.close();
  }
}
