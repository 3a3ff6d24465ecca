// "Run now" for admins and the demo: through the queue (same deterministic job id as the scheduler's),
// waiting for the result; inline when this process has no queue (HTTP-only tests).
import { QueueEvents } from 'bullmq';
import { enqueueDraw } from '../../workers/draw.ts';
import type { Deps } from '../deps.ts';
import { QUEUE } from '../queues.ts';
import type { RedisClient } from '../redis/connection.ts';
import { queuePrefix } from '../redis/keys.ts';
import { DrawRunner } from './draw-runner.ts';

export class DrawControl {
  private events: QueueEvents | null = null;

  constructor(private readonly deps: Deps) {}

  async runNow(officeId: string, drawDate: string, timeoutMs = 120_000): Promise<void> {
    const queue = this.deps.queues?.draw;
    if (!queue) {
      await new DrawRunner(this.deps).run(officeId, drawDate);
      await this.deps.afterDraw?.(officeId, drawDate);
      return;
    }
    if (!this.events) {
      // QueueEvents blocks on its connection, so it gets its own.
      const connection = (queue.opts.connection as unknown as { duplicate(): RedisClient }).duplicate();
      this.events = new QueueEvents(QUEUE.draw, { connection, prefix: queuePrefix });
      await this.events.waitUntilReady();
    }
    const job = await enqueueDraw(queue, officeId, drawDate);
    const state = await job.getState();
    if (state === 'completed') return;
    if (state === 'failed') {
      // A failed job keeps its id; retry it rather than adding a twin.
      await job.retry();
    }
    await job.waitUntilFinished(this.events, timeoutMs);
  }

  async close(): Promise<void> {
    await this.events?.close();
  }
}
