// The bench's open-loop load generator: requests leave on schedule over a fixed pool of connections, and a
// server slower than the schedule shows up as latency counted from when each request was due, not hidden
// by the generator waiting for it (coordinated omission).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runPaced } from '../../bench/paced.ts';

let server: http.Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

async function serve(delayMs: number) {
  const sockets = new Set<unknown>();
  let hits = 0;
  server = http.createServer((req, res) => {
    sockets.add(req.socket);
    if (req.url === '/healthz') return res.end('ok');
    hits++;
    setTimeout(() => res.end('ok'), delayMs);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, sockets, hits: () => hits };
}

describe('runPaced', () => {
  it('spreads the run over the whole pool at the given rate', async () => {
    const s = await serve(0);
    const latencies: number[] = [];
    const t0 = performance.now();
    const r = await runPaced(
      {
        url: s.url,
        method: 'GET',
        path: '/x',
        connections: 20,
        amount: 200,
        ratePerSecond: 400,
        timeoutS: 5,
        plan: null,
      },
      (x) => latencies.push(x.latencyMs),
    );
    const elapsed = performance.now() - t0;
    expect(r).toEqual({ errors: 0, timeouts: 0 });
    expect(s.hits()).toBe(200);
    expect(latencies).toHaveLength(200);
    expect(s.sockets.size).toBe(20);
    // 200 requests at 400/s take half a second: not sent all at once, not throttled to a crawl.
    expect(elapsed).toBeGreaterThan(450);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('counts the wait for a free connection when the server falls behind the schedule', async () => {
    // 2 connections × 50 ms per answer carry 40/s; 100/s are due, so 40 requests pile up.
    const s = await serve(50);
    const latencies: number[] = [];
    await runPaced(
      {
        url: s.url,
        method: 'GET',
        path: '/x',
        connections: 2,
        amount: 40,
        ratePerSecond: 100,
        timeoutS: 5,
        plan: null,
      },
      (x) => latencies.push(x.latencyMs),
    );
    latencies.sort((a, b) => a - b);
    expect(latencies[0]).toBeGreaterThanOrEqual(45);
    // The last one was due at 390 ms and answered near 1 000 ms: ~600 ms, where a closed loop says 50.
    expect(latencies.at(-1)).toBeGreaterThan(400);
  });
});

describe('runPaced against a misbehaving server', () => {
  it('counts an answer that never comes as a timeout and one cut off as an error, and still finishes', async () => {
    let n = 0;
    server = http.createServer((req, res) => {
      if (req.url === '/healthz') return res.end('ok');
      n++;
      if (n === 3) return; // never answered
      if (n === 5) return req.socket.destroy();
      res.end('ok');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const statuses: number[] = [];
    const r = await runPaced(
      {
        url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`,
        method: 'POST',
        path: '/x',
        connections: 4,
        amount: 20,
        ratePerSecond: 200,
        timeoutS: 1,
        plan: null,
      },
      (x) => statuses.push(x.status),
    );
    expect(r).toEqual({ errors: 1, timeouts: 1 });
    expect(statuses).toHaveLength(18);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
