// Redis goes away under a running API process (ROLE=api): refused connections (redis-server killed) and a
// hung server (SIGSTOP: the socket stays open, nothing answers, as in a network partition). Either way the
// API must answer 503 {error: {code: 'unavailable'}} quickly rather than hang, say so on /readyz while
// /healthz stays up, and recover by itself once Redis is back on the same port.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAIL_FAST_COMMAND_TIMEOUT_MS } from '../../src/redis/connection.ts';
import {
  type FairslotProcess,
  httpRequest,
  type RedisProcess,
  sleep,
  startFairslot,
  startRedisProcess,
  waitFor,
} from '../support/processes.ts';

let redis: RedisProcess;
let api: FairslotProcess;

beforeAll(async () => {
  redis = await startRedisProcess({ appendfsync: 'always' });
  api = await startFairslot({ ROLE: 'api', REDIS_URL: redis.url, DATA_DIR: redis.dir });
}, 120_000);

afterAll(async () => {
  await api?.kill('SIGKILL');
  await redis?.stop();
  if (redis) rmSync(redis.dir, { recursive: true, force: true });
});

async function timedGet(path: string, headers: Record<string, string> = {}) {
  const t = Date.now();
  const res = await httpRequest(`${api.base}${path}`, { headers, timeoutMs: 20_000 });
  return { ...res, ms: Date.now() - t };
}

/** A join attempt: a cookie that must be looked up, so it reaches Redis before anything else. */
const joinAttempt = () =>
  httpRequest(`${api.base}/api/me/entries`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: 'fs_app=23456789abcd.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'x-csrf-token': 'x',
    },
    body: '{"personId":"p","officeId":"medan","prefs":"any"}',
    timeoutMs: 20_000,
  });

async function expectUnavailable(bound: number) {
  // A bearer token has to be looked up, so the admin route reaches Redis too.
  const token = { authorization: 'Bearer fst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
  const paths = ['/api/offices', '/api/offices/medan', '/api/draws/medan', '/api/admin/offices', '/readyz'];
  const [answers, join, health] = await Promise.all([
    Promise.all(paths.map((p) => timedGet(p, token))),
    joinAttempt(),
    timedGet('/healthz'),
  ]);
  answers.forEach((res, i) => {
    const path = paths[i]!;
    expect(res.status, path).toBe(503);
    expect(res.body.error.code, path).toBe('unavailable');
    expect(res.ms, `${path} answered in ${res.ms} ms`).toBeLessThan(bound);
    if (path !== '/readyz') expect(res.headers['retry-after'], path).toBeTruthy();
  });
  expect(join.status).toBe(503);
  // Liveness is about the process, not its dependencies: an orchestrator must not restart it for this.
  expect(health.status).toBe(200);
}

async function expectRecovered() {
  const t = Date.now();
  await waitFor(async () => (await timedGet('/readyz')).status === 200, 'readyz back to 200', 20_000, 100);
  const res = await timedGet('/api/offices');
  expect(res.status).toBe(200);
  expect(res.body.offices.length).toBeGreaterThan(0);
  return Date.now() - t;
}

describe('Redis unreachable', () => {
  it('answers normally first', async () => {
    expect((await timedGet('/readyz')).body).toEqual({ ok: true, redis: 'up' });
    expect((await timedGet('/api/offices')).status).toBe(200);
  });

  it('redis-server killed: 503 unavailable at once, then recovers on the same port by itself', async () => {
    await redis.signal('SIGKILL');
    try {
      await expectUnavailable(1_000);
    } finally {
      redis = await startRedisProcess({ dir: redis.dir, port: redis.port, appendfsync: 'always' });
    }
    const recoveredMs = await expectRecovered();
    console.info(`redis-outage: recovered ${recoveredMs} ms after redis-server restarted`);
  }, 60_000);

  it('redis-server down for 12 s: the API answers again within a second of its return', async () => {
    await expectRecovered();
    await redis.signal('SIGKILL');
    try {
      await expectUnavailable(1_000);
      // Long enough for the client's reconnect delay to reach its cap.
      await sleep(12_000);
    } finally {
      redis = await startRedisProcess({ dir: redis.dir, port: redis.port, appendfsync: 'always' });
    }
    const recoveredMs = await expectRecovered();
    console.info(`redis-outage: recovered ${recoveredMs} ms after a 12 s outage`);
    expect(recoveredMs).toBeLessThan(1_500);
  }, 60_000);

  it('redis-server hung (SIGSTOP): 503 within seconds, not a hang; recovers on SIGCONT', async () => {
    // Let the connection settle on the restarted server first.
    await expectRecovered();
    await redis.signal('SIGSTOP');
    try {
      await sleep(100);
      // Each command gives up after FAIL_FAST_COMMAND_TIMEOUT_MS. With auto-pipelining, commands issued
      // while a batch is outstanding go out in the next batch, only after it: at worst two timeouts.
      await expectUnavailable(2 * FAIL_FAST_COMMAND_TIMEOUT_MS + 2_000);
    } finally {
      await redis.signal('SIGCONT');
    }
    const recoveredMs = await expectRecovered();
    console.info(`redis-outage: recovered ${recoveredMs} ms after SIGCONT`);
    // Nothing of the outage leaks as a 500 into the log.
    expect(api.lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
  }, 90_000);
});
