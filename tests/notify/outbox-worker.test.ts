// Many messages through the queue to the outbox at the configured concurrency, and the corners of a send
// whose account read and record claim go out together: each message once in the outbox, once in its
// applicant's delivery log, and a record that never waits out a lease nobody holds.
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/notify/channel.ts';
import { deliver, type NotifyContext } from '../../src/notify/deliver.ts';
import { DeliveryLog } from '../../src/notify/delivery-log.ts';
import { idKeyFor, type Notifications } from '../../src/notify/notifications.ts';
import type { NotificationRequest } from '../../src/notify/request.ts';
import type { ChannelRouter } from '../../src/notify/router.ts';
import { SendRecords } from '../../src/notify/send-record.ts';
import { createQueues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { AccountStore } from '../../src/store/accounts/index.ts';
import { createNotifyWorker } from '../../workers/notify.ts';
import { outbox, startTestSystem, type TestSystem } from '../support/system.ts';
import { waitFor } from './support.ts';

let sys: TestSystem;
let ctx: NotifyContext;
let worker: Worker | null = null;
const connections: RedisClient[] = [];

beforeAll(async () => {
  sys = await startTestSystem({ NOTIFY_CONCURRENCY: '16' });
  ctx = (sys.deps.notifications as Notifications).context;
});
afterAll(async () => {
  await worker?.close();
  await sys.stop();
  for (const c of connections) c.disconnect();
});

const request = (accountId: string, event: string): NotificationRequest => ({
  event,
  accountId,
  template: 'waitlisted',
  vars: { ticket: 'T7K2M9Q4X8A1', position: 3, targetDate: '2026-12-09' },
});

describe('notify worker to the outbox', () => {
  it('300 messages, each enqueued twice: each once in the outbox and once in its delivery log', async () => {
    const connection = createRedis(sys.redis.url, { forBullmq: true });
    connections.push(connection);
    sys.deps.queues = createQueues(connection);
    worker = createNotifyWorker(sys.deps, connection);
    expect(worker.opts.concurrency).toBe(16);

    const accounts = await Promise.all(
      Array.from({ length: 30 }, (_, a) =>
        sys.deps.accounts.ensureAccount(`+628125550${String(a).padStart(4, '0')}`, 'phone', 'id'),
      ),
    );
    const requests = accounts.flatMap((accountId, a) =>
      Array.from({ length: 10 }, (_, e) => request(accountId, `bulk.${a}.${e}`)),
    );
    await Promise.all(requests.map((r) => sys.deps.notifications!.enqueue(r)));
    await Promise.all(requests.map((r) => sys.deps.notifications!.enqueue(r)));
    await waitFor(() => outbox(sys).length >= 300, 30_000, '300 lines in the outbox');

    const ids = outbox(sys).map((m) => (m as unknown as { id: string }).id);
    expect(ids).toHaveLength(300);
    expect(new Set(ids)).toEqual(new Set(requests.map(idKeyFor)));
    for (const [a, accountId] of accounts.entries()) {
      const log = await ctx.deliveries.list(accountId);
      expect(log).toHaveLength(10);
      expect(new Set(log.map((d) => d.id)).size).toBe(10);
      expect(log.every((d) => d.state === 'sent' && d.channel === 'outbox')).toBe(true);
      expect(log.every((d) => d.id.startsWith(`bulk.${a}.`))).toBe(true);
    }
    const records = await Promise.all(requests.map((r) => ctx.records.get(idKeyFor(r))));
    expect(records.every((r) => r?.state === 'sent' && r.attempts === 1)).toBe(true);
  }, 60_000);
});

describe('account read and claim together', () => {
  it('works on a fresh connection: the first account read and claim share one auto-pipeline', async () => {
    // A worker-only process runs no script before its first message; scripts defined lazily on first
    // use would be missing from the pipeline the account read had already opened, failing both.
    const fresh = createRedis(sys.redis.url);
    connections.push(fresh);
    const accountId = await sys.deps.accounts.ensureAccount('+6281255599900', 'phone', 'id');
    const r = request(accountId, 'fresh.1');
    const freshCtx: NotifyContext = {
      ...ctx,
      accounts: new AccountStore(fresh, sys.deps.config, sys.deps.flags, sys.deps.now),
      records: new SendRecords(fresh),
      deliveries: new DeliveryLog(fresh),
    };
    expect(await deliver(freshCtx, { ...r, idKey: idKeyFor(r) }, { finalAttempt: false })).toMatchObject({
      outcome: 'sent',
    });
  });

  it('an account that is gone: the claim is closed as failed, nothing in any log', async () => {
    const r = request('acc-purged-0000', 'gone.1');
    expect(await deliver(ctx, { ...r, idKey: idKeyFor(r) }, { finalAttempt: false })).toEqual({
      outcome: 'skipped',
      reason: 'no_account',
    });
    expect(await ctx.records.get(idKeyFor(r))).toMatchObject({
      state: 'failed',
      lastError: 'account not found',
    });
    expect(await ctx.deliveries.list('acc-purged-0000')).toEqual([]);
  });

  it('an account read that fails gives the lease back: the retry sends at once, as a first try', async () => {
    const accountId = await sys.deps.accounts.ensureAccount('+6281255599901', 'phone', 'en');
    const r = request(accountId, 'flaky-read.1');
    const data = { ...r, idKey: idKeyFor(r) };
    const failing: NotifyContext = {
      ...ctx,
      accounts: { get: () => Promise.reject(new Error('connection lost')) },
    };
    await expect(deliver(failing, data, { finalAttempt: false })).rejects.toThrow('connection lost');
    expect(await ctx.records.get(data.idKey)).toMatchObject({ state: 'retrying', attempts: 1 });

    const lines = sys.logLines.length;
    expect(await deliver(ctx, data, { finalAttempt: false })).toMatchObject({ outcome: 'sent', attempt: 2 });
    expect(sys.logLines.slice(lines).join('')).not.toContain('unknown outcome');
    expect(await ctx.deliveries.list(accountId)).toHaveLength(1);
  });

  it('a record update that fails takes the log entry back: the retry logs the message once', async () => {
    const accountId = await sys.deps.accounts.ensureAccount('+6281255599903', 'phone', 'id');
    const r = request(accountId, 'lost-update.1');
    const data = { ...r, idKey: idKeyFor(r) };
    const records = Object.create(ctx.records) as typeof ctx.records;
    records.markSent = () => Promise.reject(new Error('connection lost'));
    await expect(deliver({ ...ctx, records }, data, { finalAttempt: false })).rejects.toThrow(
      'connection lost',
    );
    expect(await ctx.deliveries.list(accountId)).toEqual([]);
  });

  it('a send an earlier try recorded meanwhile leaves one entry in the delivery log, not two', async () => {
    const accountId = await sys.deps.accounts.ensureAccount('+6281255599902', 'phone', 'id');
    const r = request(accountId, 'late.1');
    const idKey = idKeyFor(r);
    // The earlier try's provider call returned while this one was sending: it recorded the send and
    // logged it; this try's own entry, written together with its record update, has to go again.
    const racing: Channel = {
      name: 'outbox',
      async send() {
        await ctx.records.markSent(idKey, 'first-try', new Date(), null);
        await ctx.deliveries.add(accountId, {
          id: idKey,
          template: r.template,
          channel: 'outbox',
          state: 'sent',
          at: new Date().toISOString(),
        });
        return { providerId: 'second-try' };
      },
    };
    const router = { sole: racing, for: () => racing } as unknown as ChannelRouter;
    await deliver({ ...ctx, router }, { ...r, idKey }, { finalAttempt: false });
    expect(await ctx.records.get(idKey)).toMatchObject({ state: 'sent', providerId: 'first-try' });
    const log = await ctx.deliveries.list(accountId);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: idKey, state: 'sent' });
  });
});
