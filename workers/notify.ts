// Notify queue worker: one job per message (job id = idempotency key). Transient provider errors are
// thrown for BullMQ's exponential backoff; a permanent refusal becomes UnrecoverableError so it is not
// retried. A job that finds another try still holding the send lease is parked as delayed, which costs
// no attempt, and looks again once that try must have ended.
import { DelayedError, type Job, UnrecoverableError, Worker, type WorkerOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import type { Config } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { coalesceWrites } from '../src/notify/coalesce-writes.ts';
import { deliver, type NotifyJobData, PermanentDeliveryError } from '../src/notify/deliver.ts';
import { Notifications } from '../src/notify/notifications.ts';
import { ChannelRouter } from '../src/notify/router.ts';
import { QUEUE } from '../src/queues.ts';
import type { RedisClient } from '../src/redis/connection.ts';
import { queuePrefix } from '../src/redis/keys.ts';

function notificationService(deps: Deps): Notifications {
  return deps.notifications instanceof Notifications
    ? deps.notifications
    : new Notifications(
        { ...deps, queues: () => deps.queues },
        new ChannelRouter(deps.config, deps.log, deps.now),
      );
}

export function notifyProcessor(deps: Deps, service = notificationService(deps)) {
  return async (job: Job<NotifyJobData>, token?: string) => {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let result: Awaited<ReturnType<typeof deliver>>;
    try {
      result = await deliver(service.context, job.data, { finalAttempt, rateLimited: true });
    } catch (err) {
      if (err instanceof PermanentDeliveryError) throw new UnrecoverableError(err.message);
      throw err;
    }
    if (result.outcome === 'busy') {
      await job.moveToDelayed(result.retryAt, token);
      throw new DelayedError();
    }
    return result;
  };
}

export function createNotifyWorker(
  deps: Deps,
  connection: RedisClient,
  overrides: Partial<WorkerOptions> = {},
): Worker<NotifyJobData> {
  const service = notificationService(deps);
  // Its own connection, so that coalescing its writes (one socket write per tick, see coalesce-writes.ts)
  // changes nothing for the other workers sharing `connection`. Redis#duplicate and Cluster#duplicate
  // differ in their arguments, so TypeScript cannot call the union directly.
  const own: RedisClient = connection instanceof Cluster ? connection.duplicate() : connection.duplicate();
  own.on('error', () => {});
  coalesceWrites(own);
  const worker = new Worker<NotifyJobData>(QUEUE.notify, notifyProcessor(deps, service), {
    connection: own,
    prefix: queuePrefix,
    concurrency: notifyConcurrency(deps.config),
    // Restarting a stalled job is safe (the send record decides whether anything is sent), so a job is
    // not failed just because two workers died under it.
    maxStalledCount: 5,
    // Jobs of a worker that died go back to the queue within 20 s (lock 15 s, checked every 5 s) rather
    // than BullMQ's 30 + 30 s; an outbox write or a provider call (NOTIFY_TIMEOUT_MS) is far shorter.
    lockDuration: 15_000,
    stalledInterval: 5_000,
    // BullMQ's limiter counts jobs of this queue across every worker process, so it caps what all of
    // fairslot sends per window, whichever channel a message takes. Appending to the outbox needs no cap.
    ...(deps.config.NOTIFY_CHANNEL === 'live'
      ? { limiter: { max: deps.config.NOTIFY_RATE_MAX, duration: deps.config.NOTIFY_RATE_DURATION_MS } }
      : {}),
    ...overrides,
  });
  // Every line is written before its job completes; this only gives the file descriptor back.
  worker.on('closed', () => {
    void service.context.router.outbox.close();
    own.disconnect();
  });
  return worker;
}

/** How many notify jobs one worker process runs at once (the bench measures its baseline with it too). */
export function notifyConcurrency(config: Pick<Config, 'NOTIFY_CONCURRENCY'>): number {
  return config.NOTIFY_CONCURRENCY;
}
