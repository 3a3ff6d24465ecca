// Several HTTP processes on one port (node:cluster). One Node process tops out near one core of joins
// (docs/performance.md); a surge needs every core. The primary keeps everything that must exist once
// per host — the embedded Redis, demo seeding and, with ROLE=all, the BullMQ workers — and forks
// API_PROCESSES children that only serve HTTP. A draw running in the primary therefore never blocks a
// join, and a child that dies is replaced.
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import {
  AggregatorRegistry,
  type MetricObjectWithValues,
  type MetricValue,
  type Registry,
} from 'prom-client';
import type { Logger } from '../log.ts';
import type { AppMetrics } from '../metrics.ts';

/** A child that dies within this time of starting counts as a crash loop, and is restarted later. */
const FAST_CRASH_MS = 5_000;
const RESTART_DELAY_MS = 1_000;
const METRICS_TIMEOUT_MS = 3_000;

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

interface MetricsRequest {
  type: 'fairslot:metrics-request';
  id: number;
}
interface MetricsReply {
  type: 'fairslot:metrics-reply';
  id: number;
  metrics?: MetricsJson;
  text?: string;
}

export interface ApiClusterOptions {
  processes: number;
  /** --max-semi-space-size of each child in MB; 0 keeps Node's default. */
  semiSpaceMb: number;
  /** Environment of every child on top of this process's own (ROLE=api, the Redis URL, ...). */
  env: Record<string, string>;
  log: Logger;
  /** The primary's own metrics (queue depths, the workers' draw durations and notification outcomes). */
  metrics: Pick<AppMetrics, 'registry' | 'refreshQueueDepths'>;
}

export interface ApiCluster {
  /** Resolves once every child listens. */
  ready: Promise<void>;
  /** SIGTERM to every child (each drains its connections), resolves when all have exited. */
  stop(): Promise<void>;
}

export function startApiCluster(opts: ApiClusterOptions): ApiCluster {
  let stopping = false;
  const started = new Map<ClusterWorker, number>();

  // Children accept their connections themselves. With Node's default on Linux (round robin) the primary
  // accepts each one and passes it over IPC, and the primary is the process that runs the draws and the
  // fan-out at WORKER_NICE: under load a new connection waited for it, up to 0.6 s at the start of a
  // join run and 1.2 s when a draw began (docs/performance.md). The kernel's split is less even (60/40
  // seen with 200 fresh connections), which costs less than that wait. NODE_CLUSTER_SCHED_POLICY=rr
  // brings round robin back.
  if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;

  if (opts.semiSpaceMb > 0) {
    // Only the children: they do the request work; the primary keeps Node's defaults.
    const inherited = process.execArgv.filter((a) => !a.startsWith('--max-semi-space-size'));
    cluster.setupPrimary({ execArgv: [...inherited, `--max-semi-space-size=${opts.semiSpaceMb}`] });
  }

  const fork = () => {
    const child = cluster.fork({ ...opts.env, FAIRSLOT_API_CHILD: '1' });
    started.set(child, Date.now());
    child.on('message', (msg: MetricsRequest) => {
      if (msg?.type === 'fairslot:metrics-request') void answerMetrics(child, msg.id);
    });
    return child;
  };

  // /metrics can land on any child; the answer must cover all of them and the primary's workers.
  let nextId = 0;
  const pending = new Map<number, (m: MetricsJson) => void>();
  cluster.on('message', (_w, msg: MetricsReply) => {
    if (msg?.type === 'fairslot:metrics-reply' && msg.metrics) pending.get(msg.id)?.(msg.metrics);
  });
  const collect = (w: ClusterWorker): Promise<MetricsJson> =>
    new Promise((resolve) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve([]);
      }, METRICS_TIMEOUT_MS);
      pending.set(id, (m) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(m);
      });
      w.send({ type: 'fairslot:metrics-request', id } satisfies MetricsRequest);
    });
  const answerMetrics = async (asker: ClusterWorker, id: number) => {
    await opts.metrics.refreshQueueDepths().catch(() => {});
    const all = await Promise.all([
      opts.metrics.registry.getMetricsAsJSON() as Promise<MetricsJson>,
      ...[...started.keys()].filter((w) => w.isConnected()).map(collect),
    ]);
    const text = await AggregatorRegistry.aggregate(all).metrics();
    if (asker.isConnected()) asker.send({ type: 'fairslot:metrics-reply', id, text } satisfies MetricsReply);
  };

  let listening = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  cluster.on('listening', () => {
    listening += 1;
    if (listening >= opts.processes) markReady();
  });
  cluster.on('exit', (child, code, signal) => {
    const lived = Date.now() - (started.get(child) ?? 0);
    started.delete(child);
    if (stopping) return;
    opts.log.error({ pid: child.process.pid, code, signal }, 'API process exited; starting another');
    setTimeout(fork, lived < FAST_CRASH_MS ? RESTART_DELAY_MS * 5 : RESTART_DELAY_MS).unref();
  });

  for (let i = 0; i < opts.processes; i++) fork();

  return {
    ready,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        const children = [...started.keys()].filter((w) => !w.isDead());
        if (children.length === 0) return resolve();
        let left = children.length;
        for (const w of children) {
          w.once('exit', () => {
            left -= 1;
            if (left === 0) resolve();
          });
          w.process.kill('SIGTERM');
        }
      }),
  };
}

/** In an API child: the cluster-wide metrics text, gathered by the primary. */
export function clusterMetricsText(timeoutMs = METRICS_TIMEOUT_MS * 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = Math.floor(Math.random() * 2 ** 31);
    const onMessage = (msg: MetricsReply) => {
      if (msg?.type !== 'fairslot:metrics-reply' || msg.id !== id || msg.text === undefined) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(msg.text);
    };
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('metrics from the cluster primary timed out'));
    }, timeoutMs);
    process.on('message', onMessage);
    process.send?.({ type: 'fairslot:metrics-request', id } satisfies MetricsRequest);
  });
}

/** In an API child: answer the primary's requests for this process's metrics. */
export function serveMetricsToPrimary(registry: Registry): void {
  process.on('message', (msg: MetricsRequest) => {
    if (msg?.type !== 'fairslot:metrics-request') return;
    void (registry.getMetricsAsJSON() as Promise<MetricsJson>).then((metrics) =>
      process.send?.({ type: 'fairslot:metrics-reply', id: msg.id, metrics } satisfies MetricsReply),
    );
  });
}

export const isApiChild = () => cluster.isWorker && process.env.FAIRSLOT_API_CHILD === '1';
