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
  });

  constructor(private readonly queues: () => Queues | undefined = () => undefined) {
    collectDefaultMetrics({ register: this.registry, prefix: 'fairslot_' });
  }

  async render(): Promise<string> {
    const queues = this.queues();
    if (queues) {
      for (const q of [queues.draw, queues.lifecycle, queues.notify, queues.maintenance]) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
        for (const [state, n] of Object.entries(counts)) this.queueDepth.set({ queue: q.name, state }, n);
      }
    }
    return this.registry.metrics();
  }
}
