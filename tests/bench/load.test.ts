// The load generator's parent side: one child serves successive runs, and a stopped run ends early.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, startLoad } from '../../bench/load.ts';

let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/slow') setTimeout(() => res.end('ok'), 50);
    else res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe('load runs', () => {
  it('answers run after run with each run’s own responses', async () => {
    const get = (amount: number) =>
      runLoad({ url, method: 'GET', path: '/', connections: 2, amount, timeoutS: 5 }, 200, 60_000);
    const first = await get(20);
    const second = await get(30);
    expect([first.ok, first.responses]).toEqual([20, 20]);
    expect([second.ok, second.responses]).toEqual([30, 30]);
  }, 90_000);

  it('stops a run early on request and serves the next one', async () => {
    const run = startLoad(
      { url, method: 'GET', path: '/slow', connections: 1, durationS: 30, timeoutS: 5 },
      60_000,
    );
    await run.started;
    await new Promise((r) => setTimeout(r, 300));
    run.stop();
    const raw = await run.done;
    expect(raw.status.length).toBeGreaterThan(0);
    expect(raw.status.length).toBeLessThan(100);
    const next = await runLoad(
      { url, method: 'GET', path: '/', connections: 1, amount: 5, timeoutS: 5 },
      200,
      60_000,
    );
    expect(next.ok).toBe(5);
  }, 90_000);
});
