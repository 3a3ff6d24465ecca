// Prometheus metrics (prom-client): what an operator watches during the evening draws and a surge.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Queues } from './queues.ts';

export class AppMetrics {
  readonly registry = new Registry();
  readonly joins = new Counter({
    name: 'fairslot_joins_total',
    help: 'Draw entry attempts by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly rejects = new Counter({
    name: 'fairslot_rejects_total',
    help: 'Requests refused with a 4xx, by error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly drawDuration = new Histogram({
    name: 'fairslot_draw_duration_seconds',
    help: 'Time to run one office draw end to end',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly notifications = new Counter({
    name: 'fairslot_notifications_total',
    help: 'Notification outcomes by channel',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'fairslot_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
    // Every process reads the same shared queues: summing over a cluster's processes would multiply.
    aggregator: 'max',
  });
  readonly responses = new Counter({
    name: 'fairslot_http_responses_total',
    help: 'HTTP responses by status class (2xx, 4xx, 5xx); alert on 5xx',
    labelNames: ['class'],
    registers: [this.registry],
  });
  // One child per status class, resolved once: label lookup per request is measurable at 20 000 req/s.
  readonly #responseClasses = ['1xx', '2xx', '3xx', '4xx', '5xx'].map((c) => this.responses.labels(c));

  /** The response counter of a status code's class. */
  responseOf(status: number) {
    return this.#responseClasses[Math.min(Math.max(Math.floor(status / 100), 1), 5) - 1]!;
  }

  readonly serverErrors = new Counter({
    name: 'fairslot_server_errors_total',
    help: 'Requests answered 5xx, by cause (internal = a bug, unavailable = Redis unreachable)',
    labelNames: ['cause'],
    registers: [this.registry],
  });

  readonly drawsStuck = new Gauge({
    name: 'fairslot_draws_stuck',
    help: 'Draws due for more than 5 minutes and still not drawn (alert on > 0)',
    registers: [this.registry],
    aggregator: 'max',
  });

  /** What the watchdog found, or what a scrape finds: the number of stuck draws. */
  setStuckDraws(ids: readonly string[]): void {
    this.drawsStuck.set(ids.length);
  }

  /** Work done at each scrape before the text is rendered (the composition root adds it). */
  readonly beforeScrape: (() => Promise<void>)[] = [];

  constructor(private readonly queues: () => Queues | undefined = () => undefined) {
    // The event-loop lag histogram samples with a timer: prom-client's default 10 ms wakes an idle process
    // 100 times a second (~3 ms of CPU a second per process, most of an idle server's CPU). A blocked loop
    // shows the same at 100 ms; only lags under 100 ms are seen more coarsely.
    collectDefaultMetrics({
      register: this.registry,
      prefix: 'fairslot_',
      eventLoopMonitoringPrecision: 100,
    });
  }

  async refreshQueueDepths(): Promise<void> {
    const queues = this.queues();
    if (!queues) return;
    for (const q of [queues.draw, queues.lifecycle, queues.notify, queues.maintenance]) {
      const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, n] of Object.entries(counts)) this.queueDepth.set({ queue: q.name, state }, n);
    }
  }

  async render(): Promise<string> {
    await this.refreshQueueDepths();
    for (const f of this.beforeScrape) await f();
    return this.registry.metrics();
  }
}
