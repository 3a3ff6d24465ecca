// BullMQ queues. Every queue shares the hash-tagged prefix so its keys stay in one cluster slot.
// Custom job ids use '.' as separator: BullMQ reserves ':' in ids.
import { Queue, type QueueOptions } from 'bullmq';
import type { RedisClient } from './redis/connection.ts';
import { queuePrefix } from './redis/keys.ts';

export const QUEUE = {
  /** Scheduler ticks per office and the deterministic draw jobs they add. */
  draw: 'draw',
  /** Offer deadlines, waitlist offers, no-show marking, sweeps. */
  lifecycle: 'lifecycle',
  /** One job per message to an applicant. */
  notify: 'notify',
  /** Housekeeping: purge unverified accounts. */
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export interface Queues {
  draw: Queue;
  lifecycle: Queue;
  notify: Queue;
  maintenance: Queue;
  close(): Promise<void>;
}

export function createQueues(connection: RedisClient): Queues {
  const opts: QueueOptions = {
    connection,
    prefix: queuePrefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  };
  const draw = new Queue(QUEUE.draw, opts);
  const lifecycle = new Queue(QUEUE.lifecycle, opts);
  const notify = new Queue(QUEUE.notify, opts);
  const maintenance = new Queue(QUEUE.maintenance, opts);
  return {
    draw,
    lifecycle,
    notify,
    maintenance,
    async close() {
      await Promise.all([draw.close(), lifecycle.close(), notify.close(), maintenance.close()]);
    },
  };
}

export const drawJobId = (officeId: string, drawDate: string) => `draw.${officeId}.${drawDate}`;
export const fanoutJobId = (officeId: string, drawDate: string) => `fanout.${officeId}.${drawDate}`;

export interface RunData {
  officeId: string;
  drawDate: string;
}

/**
 * A draw job retries on its own: every step is idempotent, and a failure is most often Redis or the process
 * going away. Ten attempts, 5 s doubling, span about 85 minutes; the watchdog re-queues it after that.
 */
export const DRAW_JOB_ATTEMPTS = 10;
export const DRAW_JOB_BACKOFF_MS = 5_000;

/**
 * The day's draw job of an office; the scheduler's tick, an admin's "run now" and the draw watchdog add
 * the same job.
 */
export async function enqueueDraw(queue: Queue, officeId: string, drawDate: string) {
  return queue.add('run', { officeId, drawDate } satisfies RunData, {
    jobId: drawJobId(officeId, drawDate),
    attempts: DRAW_JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: DRAW_JOB_BACKOFF_MS },
  });
}
