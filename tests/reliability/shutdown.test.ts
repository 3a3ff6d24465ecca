// SIGTERM to a process (ROLE=all) that is serving HTTP load and running a draw job: it must stop accepting
// connections at once, let the draw finish (BullMQ Worker.close waits for jobs in flight), answer nothing
// with a 5xx, and exit 0 well before its 30 s force-exit.

import { rmSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { addDays, localDate, targetDateFor } from '../../src/domain/calendar.ts';
import { createLogger } from '../../src/log.ts';
import { createQueues, drawJobId, enqueueDraw, fanoutJobId, type Queues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { bulkFillDraw } from '../support/bulk-entries.ts';
import {
  type FairslotProcess,
  httpRequest,
  keepAlive,
  type RedisProcess,
  startFairslot,
  startRedisProcess,
  TEST_SECRETS,
  waitFor,
} from '../support/processes.ts';

const OFFICE = 'surabaya';
// Big enough that the draw is still running when SIGTERM arrives, small enough to keep the test short.
const ENTRIES = 100_000;
let redis: RedisProcess;
let app: FairslotProcess;
let deps: Deps;
let queues: Queues;
let drawDate: string;
const clients: RedisClient[] = [];

beforeAll(async () => {
  redis = await startRedisProcess();
  const client = createRedis(redis.url);
  clients.push(client);
  deps = createDeps(
    loadConfig({ ...TEST_SECRETS, REDIS_URL: redis.url, DATA_DIR: redis.dir, LOG_LEVEL: 'silent' }),
    client,
    createLogger('silent'),
  );
  await seedDemoOffices(client, deps.offices);
  const office = (await deps.offices.get(OFFICE))!;
  const rules = (await deps.offices.rules(OFFICE))!.rules;
  drawDate = addDays(localDate(office.tz, new Date()), 30);
  await bulkFillDraw(deps, OFFICE, drawDate, targetDateFor(rules, drawDate), ENTRIES);
  const queueConnection = createRedis(redis.url, { forBullmq: true });
  clients.push(queueConnection);
  queues = createQueues(queueConnection);
  app = await startFairslot({ ROLE: 'all', REDIS_URL: redis.url, DATA_DIR: redis.dir });
}, 120_000);

afterAll(async () => {
  await app?.kill('SIGKILL');
  await queues?.close();
  for (const c of clients) c.disconnect();
  await redis?.stop();
  if (redis) rmSync(redis.dir, { recursive: true, force: true });
});

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

describe('SIGTERM under load with a draw in progress', () => {
  it('refuses new connections, finishes the draw, answers no 5xx and exits 0 in time', async () => {
    // Steady HTTP load on keep-alive connections, as a load balancer would send.
    const agent = keepAlive(16);
    let stop = false;
    const statuses: Record<string, number> = {};
    const errors: Record<string, number> = {};
    const load = Array.from({ length: 16 }, async () => {
      while (!stop) {
        try {
          const res = await httpRequest(`${app.base}/api/offices/${OFFICE}`, { agent, timeoutMs: 30_000 });
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
          errors[code] = (errors[code] ?? 0) + 1;
          // Refused: the server is gone or no longer listening; a client would go elsewhere.
          if (code === 'ECONNREFUSED') return;
        }
      }
    });
    await waitFor(() => (statuses['200'] ?? 0) > 50, 'load to be served');

    await enqueueDraw(queues.draw, OFFICE, drawDate);
    // In progress: closed (so the worker holds the job) but not drawn yet.
    await waitFor(
      async () => (await deps.draws.meta(OFFICE, drawDate))?.state === 'closed',
      'the draw to start',
      60_000,
      20,
    );
    const sentAt = Date.now();
    app.proc.kill('SIGTERM');

    await waitFor(async () => !(await connects(app.port)), 'the listener to close', 5_000, 20);
    const refusedAfterMs = Date.now() - sentAt;
    const stillRunning = app.proc.exitCode === null;
    const stateWhenRefused = (await deps.draws.meta(OFFICE, drawDate))?.state;

    const exit = await app.exited;
    const exitedAfterMs = Date.now() - sentAt;
    stop = true;
    await Promise.all(load);
    agent.destroy();
    console.info(
      `shutdown ${JSON.stringify({ refusedAfterMs, stillRunning, stateWhenRefused, exitedAfterMs, statuses, errors })}`,
    );

    expect(exit).toEqual({ code: 0, signal: null });
    // main.ts forces exit(1) after 30 s; a clean exit well inside that shows nothing hung.
    expect(exitedAfterMs).toBeLessThan(30_000);
    expect(refusedAfterMs).toBeLessThan(2_000);
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    // Every request that reached the server was answered: busy connections were told Connection: close,
    // and no connection was reset under a request (clients then found the port closed: ECONNREFUSED).
    expect(errors.ECONNRESET ?? 0).toBe(0);

    // The draw that was in flight completed, and its fan-out is queued for the next worker.
    const meta = (await deps.draws.meta(OFFICE, drawDate))!;
    expect(meta.state).toBe('drawn');
    expect(meta.entryCount).toBe(ENTRIES);
    expect(await (await queues.draw.getJob(drawJobId(OFFICE, drawDate)))!.getState()).toBe('completed');
    expect(await queues.lifecycle.getJob(fanoutJobId(OFFICE, drawDate))).toBeTruthy();
    expect(app.lines.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  }, 120_000);
});
