// The one window the send record cannot close: the process dies after the provider took the request and
// before 'sent' is recorded. Nothing in Redis says whether the SMS went out, so after the send lease the
// message is sent again, with the same provider reference. This test pins that behaviour down: exactly
// one resend, not before the lease ends, carrying the same `id` a deduplicating gateway would drop.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseMs } from '../../src/notify/deliver.ts';
import { idKeyFor, type Notifications } from '../../src/notify/notifications.ts';
import type { NotificationRequest } from '../../src/notify/request.ts';
import { createQueues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { createNotifyWorker } from '../../workers/notify.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { startGateway, type TestGateway, waitFor } from './support.ts';

let sys: TestSystem;
let gw: TestGateway;
let child: ChildProcess | null = null;
let worker: Worker | null = null;
const connections: RedisClient[] = [];
const env = { NOTIFY_CHANNEL: 'live', NOTIFY_TIMEOUT_MS: '1000', NOTIFY_BACKOFF_MS: '50' };

beforeAll(async () => {
  gw = await startGateway();
  sys = await startTestSystem({ ...env, SMS_GATEWAY_URL: gw.url });
  const queueConnection = createRedis(sys.redis.url, { forBullmq: true });
  connections.push(queueConnection);
  sys.deps.queues = createQueues(queueConnection);
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await worker?.close(true);
  await sys.stop();
  for (const c of connections) c.disconnect();
  await gw.stop();
});

function spawnWorker(): Promise<ChildProcess> {
  const p = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./fixtures/notify-worker-child.ts', import.meta.url).pathname],
    {
      env: {
        ...process.env,
        ...env,
        SMS_GATEWAY_URL: gw.url,
        REDIS_URL: sys.redis.url,
        DATA_DIR: sys.redis.dir,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(p);
    });
    p.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

describe('worker process killed after the provider took the request', () => {
  it('resends once, after the lease, with the same provider reference', async () => {
    const accountId = await sys.deps.accounts.ensureAccount('+6281234500002', 'phone', 'id');
    const r: NotificationRequest = {
      event: 'confirmed:P3X8W4',
      accountId,
      template: 'confirmed',
      vars: {
        office: 'Kanim Makassar',
        slot: { at: '2026-12-02T00:00:00Z', tz: 'Asia/Makassar' },
        code: 'P3X8W4',
      },
    };
    // The first request is taken by the provider and never answered: its client will be dead by then.
    gw.script = (n) => (n === 1 ? { hang: true } : { status: 200, body: { messageId: `gw-${n}` } });
    child = await spawnWorker();
    await sys.deps.notifications!.enqueue(r);
    await waitFor(() => gw.requests.length === 1, 15_000, 'first request at the gateway');
    child.kill('SIGKILL');
    const killedAt = Date.now();

    const connection = createRedis(sys.redis.url, { forBullmq: true });
    connections.push(connection);
    worker = createNotifyWorker(sys.deps, connection, { lockDuration: 1000, stalledInterval: 300 });
    const records = (sys.deps.notifications as Notifications).context.records;
    await waitFor(async () => (await records.get(idKeyFor(r)))?.state === 'sent', 20_000, 'resent');
    const resentAfter = Date.now() - killedAt;
    console.info(
      `hard kill: ${gw.requests.length} gateway requests, resent ${resentAfter} ms after the kill`,
    );

    expect(gw.requests).toHaveLength(2);
    expect(gw.requests[1]!.body.id).toBe(gw.requests[0]!.body.id);
    expect(await records.get(idKeyFor(r))).toMatchObject({ state: 'sent', attempts: 2, providerId: 'gw-2' });
    // Not before the first try's lease ran out (claimed just before the first request arrived).
    expect(resentAfter).toBeGreaterThanOrEqual(leaseMs(sys.deps.config, 'sms') - 1500);
    expect(sys.logLines.join('')).toContain('earlier try ended with unknown outcome');
  });
});
