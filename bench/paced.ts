// An open-loop load generator: requests leave at evenly spaced moments (rate per second over the run),
// each on a free keep-alive connection of a fixed pool, whether or not earlier ones were answered.
// Latency counts from the moment a request was due, so time spent waiting for a free connection is
// counted too (no coordinated omission). autocannon's own rate option is not this: it lets each
// connection send its share of a second back to back at the start of every second, which measures a
// burst at saturation once a second, not a steady rate.
import http from 'node:http';
import type { PlannedRequest } from './fixtures.ts';

export interface PacedOptions {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  connections: number;
  amount: number;
  ratePerSecond: number;
  timeoutS: number;
  plan: PlannedRequest[] | null;
}

export interface PacedResponse {
  /** ms since the run started at which the request was due, and its latency from then. */
  latencyMs: number;
  status: number;
}

const nowMs = () => performance.now();

export function runPaced(
  opts: PacedOptions,
  onResponse: (r: PacedResponse) => void,
): Promise<{ errors: number; timeouts: number }> {
  const target = new URL(opts.url);
  // fifo: the connection idle longest goes next, so the run cycles through the whole pool.
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, scheduling: 'fifo' });
  const intervalMs = 1000 / opts.ratePerSecond;
  let sent = 0;
  let settled = 0;
  let errors = 0;
  let timeouts = 0;
  let started = 0;
  return openPool(agent, target, opts.connections).then(
    () =>
      new Promise((resolve) => {
        started = nowMs();
        const finish = () => {
          if (++settled === opts.amount) {
            agent.destroy();
            resolve({ errors, timeouts });
          }
        };
        const send = (k: number) => {
          const dueAt = started + k * intervalMs;
          const p = opts.plan?.[k];
          const headers: Record<string, string> = p
            ? { cookie: p.cookie, 'x-csrf-token': p.csrf, 'content-type': 'application/json' }
            : {};
          const req = http.request(
            {
              agent,
              host: target.hostname,
              port: target.port,
              method: opts.method,
              path: opts.path,
              headers,
              timeout: opts.timeoutS * 1000,
            },
            (res) => {
              res.resume();
              res.once('end', () => {
                onResponse({ latencyMs: nowMs() - dueAt, status: res.statusCode ?? 0 });
                finish();
              });
            },
          );
          req.once('timeout', () => {
            timeouts++;
            req.destroy(new Error('timeout'));
          });
          req.once('error', () => {
            errors++;
            finish();
          });
          req.end(p?.body);
        };
        // Timers fire late by a millisecond or more; each tick sends every request that has come due, so
        // the schedule holds on average and no request is skipped.
        const tick = () => {
          const due = Math.min(opts.amount, Math.floor((nowMs() - started) / intervalMs) + 1);
          while (sent < due) send(sent++);
          if (sent < opts.amount) setTimeout(tick, Math.max(0, intervalMs - 1));
        };
        tick();
      }),
  );
}

/**
 * Opens every connection of the pool before the run, a few GET /healthz on each, all at once: the run then
 * spreads over as many connections as it is said to use (the agent alone would open only as many as were
 * ever busy at once), and this freshly started process has compiled its request path before the first
 * timed request, so its own warm-up does not show up as the server's latency.
 */
function openPool(agent: http.Agent, target: URL, connections: number, rounds = 5): Promise<void> {
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.get({ agent, host: target.hostname, port: target.port, path: '/healthz' }, (res) => {
        res.resume();
        res.once('end', () => resolve());
      });
      req.once('error', reject);
    });
  const round = () => Promise.all(Array.from({ length: connections }, one));
  let chain = round();
  for (let i = 1; i < rounds; i++) chain = chain.then(round);
  return chain.then(() => {});
}
