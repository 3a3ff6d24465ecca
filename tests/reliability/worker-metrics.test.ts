// A worker-only process (ROLE=worker) has no API, yet its draw durations and notification outcomes
// must be scrapeable: METRICS_PORT serves the probes and /metrics behind an admin token.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/embedded.ts';
import { UserStore } from '../../src/store/users.ts';
import {
  type FairslotProcess,
  httpRequest,
  type RedisProcess,
  startFairslot,
  startRedisProcess,
} from '../support/processes.ts';

let redis: RedisProcess;
let client: Redis;
let worker: FairslotProcess;
let token: string;
let metricsBase: string;

beforeAll(async () => {
  redis = await startRedisProcess();
  client = new Redis(redis.url);
  const users = new UserStore(client as never);
  await users.create({ username: 'scraper', role: 'admin', officeId: null }, 'scraper-password-0001');
  token = await users.createToken('scraper', 'prometheus');
  const port = await freePort();
  metricsBase = `http://127.0.0.1:${port}`;
  worker = await startFairslot(
    { REDIS_URL: redis.url, ROLE: 'worker', METRICS_PORT: String(port) },
    {
      waitReady: async () => (await httpRequest(`${metricsBase}/healthz`).catch(() => null))?.status === 200,
    },
  );
}, 120_000);

afterAll(async () => {
  await worker?.kill('SIGKILL');
  client?.disconnect();
  await redis?.stop();
});

describe('worker metrics port', () => {
  it('serves probes and the worker metrics to an admin token only', async () => {
    expect((await httpRequest(`${metricsBase}/readyz`)).body).toEqual({ ok: true, redis: 'up' });
    expect((await httpRequest(`${metricsBase}/metrics`)).status).toBe(401);
    const res = await httpRequest(`${metricsBase}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('fairslot_draw_duration_seconds_bucket');
    expect(res.text).toMatch(/fairslot_queue_jobs\{queue="notify",state="failed"\} \d+/);
    // Nothing but the probes and metrics lives there.
    expect((await httpRequest(`${metricsBase}/api/offices`)).status).toBe(404);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect((await worker.kill('SIGTERM')).code).toBe(0);
  });
});
