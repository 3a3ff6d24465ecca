// A worker dies while the gateway holds its request. The same event is enqueued ten times around that;
// a fresh worker takes the stalled job over. The gateway deduplicates nothing and must see one request.
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idKeyFor, jobIdFor, type Notifications } from '../../src/notify/notifications.ts';
import type { NotificationRequest } from '../../src/notify/request.ts';
import { createQueues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { createNotifyWorker } from '../../workers/notify.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { sleep, startGateway, type TestGateway, waitFor } from './support.ts';

let sys: TestSystem;
let gw: TestGateway;
const connections: RedisClient[] = [];
const workers: Worker[] = [];

// Short locks so the stalled job is noticed in about a second instead of half a minute.
function startWorker(): Worker {
  const connection = createRedis(sys.redis.url, { forBullmq: true });
  connections.push(connection);
  const w = createNotifyWorker(sys.deps, connection, { lockDuration: 1000, stalledInterval: 300 });
  workers.push(w);
  return w;
}

beforeAll(async () => {
  gw = await startGateway();
  sys = await startTestSystem({
    NOTIFY_CHANNEL: 'live',
    SMS_GATEWAY_URL: gw.url,
    NOTIFY_TIMEOUT_MS: '10000',
    NOTIFY_BACKOFF_MS: '50',
  });
  const queueConnection = createRedis(sys.redis.url, { forBullmq: true });
  connections.push(queueConnection);
  sys.deps.queues = createQueues(queueConnection);
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close(true)));
  await sys.stop();
  for (const c of connections) c.disconnect();
  await gw.stop();
});

describe('worker killed mid-send', () => {
  it('ten enqueues, one force-closed worker, one new worker: exactly one SMS', async () => {
    const accountId = await sys.deps.accounts.ensureAccount('+6281234500001', 'phone', 'en');
    const r: NotificationRequest = {
      event: 'confirmed:K7M2Q9',
      accountId,
      template: 'confirmed',
      vars: {
        office: 'Kanim Makassar',
        slot: { at: '2026-12-02T00:00:00Z', tz: 'Asia/Makassar' },
        code: 'K7M2Q9',
      },
    };
    let release!: (a: { status: number; body?: unknown }) => void;
    const held = new Promise<{ status: number; body?: unknown }>((resolve) => {
      release = resolve;
    });
    gw.script = (n) => (n === 1 ? { hold: held } : { status: 200, body: { messageId: `gw-${n}` } });

    const a = startWorker();
    for (let i = 0; i < 5; i++) await sys.deps.notifications!.enqueue(r);
    await waitFor(() => gw.requests.length === 1, 10_000, 'first request at the gateway');
    for (let i = 0; i < 5; i++) await sys.deps.notifications!.enqueue(r);

    // The worker stops renewing its lock and acknowledges nothing more; its request is still in flight.
    await a.close(true);
    const b = startWorker();
    const completed: unknown[] = [];
    b.on('completed', (_job, result) => completed.push(result));
    // B must find the job stalled and pick it up, and then wait behind A's send lease, not send.
    // Waiting on the state rather than a fixed sleep keeps this robust on a loaded machine.
    const jobNow = () => sys.deps.queues!.notify.getJob(jobIdFor(idKeyFor(r)));
    await waitFor(
      async () => {
        const j = await jobNow();
        return !!j && (await j.getState()) === 'delayed' && j.attemptsStarted >= 2;
      },
      20_000,
      'B parked the job behind the lease',
    );
    const record = () => (sys.deps.notifications as Notifications).context.records.get(idKeyFor(r));
    expect(await record()).toMatchObject({ state: 'sending', attempts: 1 });
    expect(gw.requests).toHaveLength(1);
    const parked = await jobNow();
    expect(parked!.attemptsMade).toBe(0);

    // The provider accepts the first request after all.
    release({ status: 200, body: { messageId: 'gw-held' } });
    await waitFor(async () => (await record())?.state === 'sent', 10_000, 'sent');
    await waitFor(() => completed.length > 0, 10_000, 'job completed by B');
    await sleep(300);

    console.info(
      `kill: ${gw.requests.length} gateway request(s), ${gw.accepted.length} accepted, ` +
        `B results ${JSON.stringify(completed)}`,
    );
    expect(gw.requests).toHaveLength(1);
    expect(gw.accepted).toHaveLength(1);
    expect(await record()).toMatchObject({ state: 'sent', attempts: 1, providerId: 'gw-held' });
    expect(completed).toEqual([{ outcome: 'skipped', reason: 'already_sent' }]);
    expect(
      await sys.deps.queues!.notify.getJobCounts('completed', 'failed', 'wait', 'delayed', 'active'),
    ).toEqual({
      // Completed notify jobs are removed at once; the send record is what remembers the message.
      completed: 0,
      failed: 0,
      wait: 0,
      delayed: 0,
      active: 0,
    });
  });
});
