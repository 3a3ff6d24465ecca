// Load generator child process: autocannon against the server, driven over IPC by bench/load.ts. It runs
// in its own process so the load never shares an event loop with the server or with the bench itself.
// Records every response (end time, latency, status) so the parent can cut windows out of a run. One child
// serves run after run (its start-up took seconds on a busy host); it exits when the parent disconnects.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { PlannedRequest } from './fixtures.ts';
import { runPaced } from './paced.ts';

export interface LoadRequest {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  connections: number;
  /** Exactly this many requests (one per plan line when a plan is given). */
  amount?: number;
  durationS?: number;
  timeoutS: number;
  /** JSONL of PlannedRequest: one distinct applicant per request. */
  planFile?: string;
  /**
   * Requests per second over all connections, sent at evenly spaced moments (bench/paced.ts) and needs
   * amount; unset, each connection sends its next request as soon as its last was answered (autocannon).
   */
  overallRate?: number;
}

export interface LoadRaw {
  /** Epoch ms (sub-ms precision) when autocannon started. */
  startedAt: number;
  /** Per response: epoch ms at which it completed, its latency in ms and its HTTP status. */
  endAt: Float64Array;
  latency: Float64Array;
  status: Uint16Array;
  errors: number;
  timeouts: number;
  planUsed: number;
}

const nowMs = () => performance.timeOrigin + performance.now();

function loadPlan(file: string): PlannedRequest[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PlannedRequest);
}

/** Ends the run in progress early; null between runs. */
let stopCurrent: (() => void) | null = null;

process.on('disconnect', () => process.exit(0));
process.on('message', (m: LoadRequest | { stop: true }) => {
  if ('stop' in m) stopCurrent?.();
  else run(m);
});

/** The run's record to the parent; the child then waits for the next request. */
const finish = (raw: LoadRaw) => {
  stopCurrent = null;
  process.send!({ raw });
};

function run(req: LoadRequest): void {
  const plan = req.planFile ? loadPlan(req.planFile) : null;
  let used = 0;
  const endAt: number[] = [];
  const latency: number[] = [];
  const status: number[] = [];
  if (req.overallRate) {
    const amount = req.amount ?? plan?.length ?? 0;
    const startedAt = nowMs();
    process.send!({ started: startedAt });
    runPaced({ ...req, amount, ratePerSecond: req.overallRate, plan }, (r) => {
      endAt.push(nowMs());
      latency.push(r.latencyMs);
      status.push(r.status);
    }).then(
      ({ errors, timeouts }) => {
        const raw: LoadRaw = {
          startedAt,
          endAt: Float64Array.from(endAt),
          latency: Float64Array.from(latency),
          status: Uint16Array.from(status),
          errors,
          timeouts,
          planUsed: plan ? amount : 0,
        };
        finish(raw);
      },
      (err: Error) => process.send!({ error: err.message }, () => process.exit(1)),
    );
    return;
  }
  const requests = plan
    ? [
        {
          method: req.method,
          path: req.path,
          // Called once per request sent; with amount = plan length it never runs past the plan.
          setupRequest: (r: { headers?: Record<string, string> }) => {
            const p = plan[used++];
            if (!p) throw new Error('load plan exhausted');
            return {
              ...r,
              method: req.method,
              path: req.path,
              headers: {
                ...r.headers,
                cookie: p.cookie,
                'x-csrf-token': p.csrf,
                'content-type': 'application/json',
              },
              body: p.body,
            };
          },
        },
      ]
    : [{ method: req.method, path: req.path }];
  const startedAt = nowMs();
  const instance = autocannon(
    {
      url: req.url,
      connections: req.connections,
      ...(req.amount ? { amount: req.amount } : { duration: req.durationS ?? 10 }),
      timeout: req.timeoutS,
      pipelining: 1,
      requests,
    },
    (err, result) => {
      if (err) {
        process.send!({ error: err.message }, () => process.exit(1));
        return;
      }
      const raw: LoadRaw = {
        startedAt,
        endAt: Float64Array.from(endAt),
        latency: Float64Array.from(latency),
        status: Uint16Array.from(status),
        errors: result.errors,
        timeouts: result.timeouts,
        planUsed: used,
      };
      finish(raw);
    },
  );
  // Plan loading and start-up take a while; the parent times its windows from this moment.
  process.send!({ started: startedAt });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    endAt.push(nowMs());
    latency.push(responseTime);
    status.push(statusCode);
  });
  stopCurrent = () => instance.stop();
}
