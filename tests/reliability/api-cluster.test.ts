// API_PROCESSES=2: two HTTP processes share the port, a killed one is replaced without the service
// going away, /metrics answers for the whole cluster, and SIGTERM stops every process.
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../src/store/users.ts';
import {
  type FairslotProcess,
  httpRequest,
  type RedisProcess,
  startFairslot,
  startRedisProcess,
  waitFor,
} from '../support/processes.ts';

let redis: RedisProcess;
let client: Redis;
let app: FairslotProcess;
let token: string;

const prefixOf = (id: unknown) => String(id).split('-')[0] ?? '';

/** Request-id prefixes seen over n requests on fresh connections: one prefix per serving process. */
async function servingProcesses(n: number): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const r = await httpRequest(`${app.base}/healthz`, { headers: { connection: 'close' } });
    expect(r.status).toBe(200);
    seen.add(prefixOf(r.headers['x-request-id']));
  }
  return seen;
}

function childPids(): number[] {
  // The primary logs nothing per child, so ask the OS. Only its main.ts children are API processes:
  // tsx also runs an esbuild service as a child of the primary.
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(app.proc.pid)]).toString();
  return out
    .split('\n')
    .filter((line) => line.includes('main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((n) => n > 0);
}

beforeAll(async () => {
  redis = await startRedisProcess();
  client = new Redis(redis.url);
  const users = new UserStore(client as never);
  await users.create(
    { username: 'cluster-admin', role: 'admin', officeId: null },
    'cluster-admin-password-1',
  );
  token = await users.createToken('cluster-admin', 'test');
  app = await startFairslot({ REDIS_URL: redis.url, ROLE: 'api', API_PROCESSES: '2', SEED_DEMO: 'false' });
}, 120_000);

afterAll(async () => {
  await app?.kill('SIGKILL');
  client?.disconnect();
  await redis?.stop();
});

describe('several API processes', () => {
  it('serves from two processes on one port', async () => {
    await waitFor(
      async () => (await servingProcesses(10)).size === 2,
      'both API processes to answer',
      30_000,
    );
    // Each child runs with the larger young generation (API_SEMI_SPACE_MB, default 64).
    for (const pid of childPids()) {
      const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)]).toString();
      expect(args).toContain('--max-semi-space-size=64');
    }
  });

  it('answers /metrics for every process, not just the one asked', async () => {
    // The primary hands each connection to a free process: on a busy machine one process can take a
    // dozen in a row, so wait until both have answered (the aggregation is what this test is about).
    await waitFor(
      async () => (await servingProcesses(12)).size === 2,
      'both API processes to answer',
      30_000,
    );
    const text = (await httpRequest(`${app.base}/metrics`, { headers: { authorization: `Bearer ${token}` } }))
      .text;
    const ok = Number(/fairslot_http_responses_total\{class="2xx"\} (\d+)/.exec(text)?.[1]);
    // At least the 12 health checks above plus those of the first test, spread over both processes:
    // a single process's counter would hold roughly half.
    expect(ok).toBeGreaterThanOrEqual(12 + 10);
    expect(text).toMatch(/fairslot_queue_jobs\{queue="draw",state="waiting"\} 0/);
  });

  it('replaces a killed API process and keeps serving meanwhile', async () => {
    const [victim] = childPids();
    expect(victim).toBeGreaterThan(0);
    process.kill(victim!, 'SIGKILL');
    // A connection the primary handed to the victim just before it died is lost with it (clients retry
    // that, as after any crash). Once the primary has seen the exit, every request goes to the survivor:
    // none may fail while the replacement starts.
    await waitFor(
      async () => app.lines.some((l) => l.includes('API process exited')),
      'the primary to notice the exit',
      30_000,
    );
    for (let i = 0; i < 20; i++) {
      expect((await httpRequest(`${app.base}/healthz`, { headers: { connection: 'close' } })).status).toBe(
        200,
      );
    }
    await waitFor(
      async () => childPids().length === 2 && !childPids().includes(victim!),
      'a replacement API process',
      60_000,
    );
    await waitFor(async () => (await servingProcesses(10)).size === 2, 'the replacement to answer', 60_000);
  }, 150_000);

  it('stops every process on SIGTERM', async () => {
    const children = childPids();
    expect(children).toHaveLength(2);
    const exit = await app.kill('SIGTERM');
    expect(exit.code).toBe(0);
    for (const pid of children) {
      expect(() => process.kill(pid, 0)).toThrow();
    }
  });
});
