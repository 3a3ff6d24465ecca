// The notification service: one message per (event, account, template). The idempotency key doubles as
// the BullMQ job id, so enqueueing an event twice adds one job; the send record (send-record.ts) makes
// the delivery itself happen once even when jobs are retried, stalled or re-added after removal.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Queues } from '../queues.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { AccountStore } from '../store/accounts/index.ts';
import { RateLimiter } from '../store/rate-limits.ts';
import { deliver, type NotifyContext, type NotifyJobData } from './deliver.ts';
import { DeliveryLog } from './delivery-log.ts';
import type { NotificationRequest, NotificationSink } from './request.ts';
import type { ChannelRouter } from './router.ts';
import { SendRecords } from './send-record.ts';

export const idKeyFor = (req: Pick<NotificationRequest, 'event' | 'accountId' | 'template'>): string =>
  `${req.event}:${req.accountId}:${req.template}`;

/**
 * BullMQ refuses custom job ids containing ':' (unless they have exactly three parts, a legacy form), and
 * events like 'won:office:date:ticket' contain several. Percent-encoding keeps the id readable and unique.
 */
export const jobIdFor = (idKey: string): string => idKey.replace(/%/g, '%25').replace(/:/g, '%3A');

export interface NotificationsDeps {
  config: Config;
  redis: RedisClient;
  log: Logger;
  now: () => Date;
  accounts: Pick<AccountStore, 'get'>;
  /** Read at each enqueue: a process wires its queues after building its services. */
  queues: () => Queues | undefined;
}

export class Notifications implements NotificationSink {
  readonly context: NotifyContext;

  constructor(
    private readonly deps: NotificationsDeps,
    router: ChannelRouter,
  ) {
    // Rate limits are about wall-clock time, whatever clock the business logic runs on.
    const limiter = new RateLimiter(deps.redis, () => new Date());
    this.context = {
      config: deps.config,
      log: deps.log,
      now: deps.now,
      accounts: deps.accounts,
      router,
      records: new SendRecords(deps.redis),
      deliveries: new DeliveryLog(deps.redis),
      channelLimit: async (channel) => {
        const { NOTIFY_SMS_RATE_MAX, NOTIFY_EMAIL_RATE_MAX, NOTIFY_CHANNEL_WINDOW_S } = deps.config;
        const r = await limiter.hit(
          {
            bucket: 'notify',
            limit: channel === 'sms' ? NOTIFY_SMS_RATE_MAX : NOTIFY_EMAIL_RATE_MAX,
            windowSeconds: NOTIFY_CHANNEL_WINDOW_S,
          },
          channel,
        );
        return { allowed: r.allowed, retryAfterMs: r.retryAfterSeconds * 1000 };
      },
    };
  }

  async enqueue(req: NotificationRequest): Promise<void> {
    if (!req.event || !req.accountId) throw new Error('a notification needs an event and an account');
    const data: NotifyJobData = { ...req, idKey: idKeyFor(req) };
    const queue = this.deps.queues()?.notify;
    if (queue) {
      const { NOTIFY_ATTEMPTS, NOTIFY_BACKOFF_MS } = this.deps.config;
      await queue.add(req.template, data, {
        jobId: jobIdFor(data.idKey),
        attempts: NOTIFY_ATTEMPTS,
        backoff: { type: 'exponential', delay: NOTIFY_BACKOFF_MS },
        // The send record and the delivery log remember a sent message; keeping the job too would hold its
        // variables for a week and make every completion delete an older job (~20 % of the throughput).
        removeOnComplete: true,
      });
      return;
    }
    // No queues (HTTP-only processes and tests): one try now. The event that caused the message has already
    // happened, so a failed send is recorded and logged, not thrown back at it.
    try {
      await deliver(this.context, data, { finalAttempt: true });
    } catch (err) {
      this.deps.log.warn({ idKey: data.idKey, err: (err as Error).message }, 'inline notification failed');
    }
  }
}
