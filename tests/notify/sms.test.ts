// SMS through a real HTTP gateway that misbehaves: 5xx and a timeout are retried with backoff until one
// request is accepted; a 4xx is final after one request.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { idKeyFor, jobIdFor, type Notifications } from '../../src/notify/notifications.ts';
import type { NotificationRequest } from '../../src/notify/request.ts';
import { call, powFor, startTestSystem, type TestSystem } from '../support/system.ts';
import {
  type Completion,
  recordCompletions,
  sleep,
  startGateway,
  type TestGateway,
  waitFor,
} from './support.ts';

let sys: TestSystem;
let gw: TestGateway;
let service: Notifications;
let completions: Map<string, Completion>;
const TIMEOUT_MS = 300;

const req = (accountId: string, ticket: string): NotificationRequest => ({
  event: `won:makassar:2026-11-30:${ticket}`,
  accountId,
  template: 'won',
  vars: {
    office: 'Kanim Makassar',
    slot: { at: '2026-12-02T00:00:00.000Z', tz: 'Asia/Makassar' },
    code: 'K7M2Q9',
    deadline: { at: '2026-12-01T10:00:00.000Z', tz: 'Asia/Makassar' },
  },
});

beforeAll(async () => {
  gw = await startGateway();
  sys = await startTestSystem(
    {
      NOTIFY_CHANNEL: 'live',
      SMS_GATEWAY_URL: gw.url,
      SMS_GATEWAY_TOKEN: 'gw-secret-token',
      NOTIFY_TIMEOUT_MS: String(TIMEOUT_MS),
      NOTIFY_BACKOFF_MS: '20',
    },
    { workers: true },
  );
  service = sys.deps.notifications as Notifications;
  completions = recordCompletions(sys.workers);
});
afterAll(async () => {
  await sys.stop();
  await gw.stop();
});
beforeEach(() => {
  gw.requests.length = 0;
  gw.accepted.length = 0;
});

const record = (r: NotificationRequest) => service.context.records.get(idKeyFor(r));
const job = (r: NotificationRequest) => sys.deps.queues!.notify.getJob(jobIdFor(idKeyFor(r)));

describe('sms gateway', () => {
  it('500, 500, a timeout, then 200: delivered exactly once, after backoff', async () => {
    const phone = '+6281234567890';
    const accountId = await sys.deps.accounts.ensureAccount(phone, 'phone', 'id');
    gw.script = (n) =>
      n <= 2 ? { status: 500 } : n === 3 ? { hang: true } : { status: 200, body: { messageId: 'gw-42' } };
    const r = req(accountId, 'T1');
    const started = Date.now();
    await sys.deps.notifications!.enqueue(r);
    await waitFor(async () => (await record(r))?.state === 'sent', 15_000, 'sent');
    const elapsed = Date.now() - started;
    await sleep(500);

    expect(gw.requests).toHaveLength(4);
    expect(gw.accepted).toHaveLength(1);
    // The same provider reference on every try, so a deduplicating gateway could drop a resend; it does
    // not carry the account id in clear.
    const ids = new Set(gw.requests.map((q) => q.body.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).not.toContain(accountId);
    for (const q of gw.requests) {
      expect(q.authorization).toBe('Bearer gw-secret-token');
      expect(q.body.to).toBe(phone);
    }
    expect(gw.accepted[0]!.body.text).toBe(
      'Selamat! Kanim Makassar, Rabu, 2 Desember 2026 08.00 WITA. Kode K7M2Q9. ' +
        'Konfirmasi sebelum Selasa, 1 Desember 2026 18.00 WITA atau jadwal dilepas.',
    );
    // 2 × 500, one timeout (≥ TIMEOUT_MS), three backoffs of 20/40/80 ms.
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS + 140);
    console.info(`sms retry: ${gw.requests.length} requests, ${gw.accepted.length} accepted, ${elapsed} ms`);

    // Exactly one acceptance is the point. A job whose lock lapses on a loaded machine is taken over and
    // claims once more before it waits behind the lease, so the claim count may exceed the requests.
    expect(await record(r)).toMatchObject({ state: 'sent', providerId: 'gw-42', channel: 'sms' });
    expect((await record(r))!.attempts).toBeGreaterThanOrEqual(4);
    expect((await record(r))!.segments).toBe(1);
    const id = jobIdFor(idKeyFor(r));
    await waitFor(() => completions.has(id), 5_000, 'job completed');
    // BullMQ counts the successful try too.
    expect(completions.get(id)!.attemptsMade).toBeGreaterThanOrEqual(4);
    expect(completions.get(id)!.result).toMatchObject({ outcome: 'sent', providerId: 'gw-42' });
    expect(await job(r)).toBeUndefined();
    expect(await service.context.deliveries.list(accountId)).toEqual([
      expect.objectContaining({ id: idKeyFor(r), template: 'won', channel: 'sms', state: 'sent' }),
    ]);
  });

  it('400: recorded as failed after exactly one request, never retried', async () => {
    const accountId = await sys.deps.accounts.ensureAccount('+6281200000400', 'phone', 'en');
    gw.script = () => ({ status: 400, body: { error: 'invalid number' } });
    const r = req(accountId, 'T2');
    await sys.deps.notifications!.enqueue(r);
    await waitFor(async () => (await record(r))?.state === 'failed', 10_000, 'failed');
    // Ten backoff periods: a retry would have happened by now.
    await sleep(500);
    expect(gw.requests).toHaveLength(1);
    expect(gw.accepted).toHaveLength(0);
    expect(await record(r)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'sms gateway answered 400',
    });
    const j = await job(r);
    expect(await j!.getState()).toBe('failed');
    expect(j!.attemptsMade).toBe(1);
    expect(await service.context.deliveries.list(accountId)).toEqual([
      expect.objectContaining({ state: 'failed', channel: 'sms', error: 'sms gateway answered 400' }),
    ]);
  });

  it('5xx on every try: failed after NOTIFY_ATTEMPTS requests, logged once', async () => {
    const accountId = await sys.deps.accounts.ensureAccount('+6281200000503', 'phone', 'id');
    gw.script = () => ({ status: 503 });
    // Read at enqueue time; restored below so the other tests keep the default.
    const before = sys.deps.config.NOTIFY_ATTEMPTS;
    sys.deps.config.NOTIFY_ATTEMPTS = 3;
    const r = req(accountId, 'T4');
    try {
      await sys.deps.notifications!.enqueue(r);
    } finally {
      sys.deps.config.NOTIFY_ATTEMPTS = before;
    }
    await waitFor(async () => (await record(r))?.state === 'failed', 10_000, 'failed');
    await sleep(300);
    expect(gw.requests).toHaveLength(3);
    expect(await record(r)).toMatchObject({
      state: 'failed',
      attempts: 3,
      lastError: 'sms gateway answered 503',
    });
    expect(await (await job(r))!.getState()).toBe('failed');
    expect(await service.context.deliveries.list(accountId)).toEqual([
      expect.objectContaining({ state: 'failed', error: 'sms gateway answered 503' }),
    ]);
  });

  it('429 is the gateway asking to come back later: retried, then delivered once', async () => {
    const accountId = await sys.deps.accounts.ensureAccount('+6281200000429', 'phone', 'en');
    gw.script = (n) => (n === 1 ? { status: 429 } : { status: 202, body: {} });
    const r = req(accountId, 'T3');
    await sys.deps.notifications!.enqueue(r);
    await waitFor(async () => (await record(r))?.state === 'sent', 10_000, 'sent');
    await sleep(200);
    expect(gw.requests).toHaveLength(2);
    expect(gw.accepted).toHaveLength(1);
    expect(gw.accepted[0]!.body.text).toMatch(
      /^You won: Kanim Makassar, Wednesday 2 December 2026 08:00 WITA\./,
    );
    expect(await record(r)).toMatchObject({ state: 'sent', providerId: null });
  });

  it('sign-in codes go out directly through the live channel, before the 202', async () => {
    gw.script = () => ({ status: 200, body: { messageId: 'gw-code' } });
    const res = await call(
      sys,
      'POST',
      '/api/auth/code',
      { contact: '0812-0000-7777', pow: await powFor(sys, 'code') },
      { 'x-test-ip': '10.0.0.9' },
    );
    expect(res.status).toBe(202);
    expect(gw.requests).toHaveLength(1);
    expect(gw.requests[0]!.body.to).toBe('+6281200007777');
    const code = /Kode masuk fairslot Anda: (\d{6})\./.exec(gw.requests[0]!.body.text)?.[1];
    expect(code).toBeTruthy();
    const accountId = (await sys.deps.accounts.accountIdForContact('+6281200007777'))!;
    expect(await service.context.deliveries.list(accountId)).toEqual([
      expect.objectContaining({ template: 'signin_code', channel: 'sms', state: 'sent' }),
    ]);
    expect(sys.logLines.join('')).not.toContain(code);
  });

  it('a sign-in code whose send failed is not stored: asking again at once is served', async () => {
    gw.requests.length = 0;
    gw.script = (n) => (n === 1 ? { status: 503 } : { status: 200, body: { messageId: 'gw-code-2' } });
    const ask = async () =>
      call(
        sys,
        'POST',
        '/api/auth/code',
        { contact: '0812-0000-8888', pow: await powFor(sys, 'code') },
        { 'x-test-ip': '10.0.0.10' },
      );
    const failed = await ask();
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('delivery_failed');
    const again = await ask();
    expect(again.status).toBe(202);
    // Within the resend interval after a send that succeeded, the next request is refused as before.
    expect((await ask()).status).toBe(429);
    expect(gw.requests).toHaveLength(2);
    // Each try carries its message reference as the Idempotency-Key header too.
    for (const r of gw.requests) expect(r.idempotencyKey).toBe(r.body.id);
    const codeOf = (i: number) => /(\d{6})/.exec(gw.requests[i]!.body.text)?.[1] ?? '';
    // The code of the failed send never reached anyone and is worth nothing; the one that went out works.
    if (codeOf(0) !== codeOf(1)) {
      expect((await sys.deps.accounts.verifyCode('+6281200008888', codeOf(0))).ok).toBe(false);
    }
    expect((await sys.deps.accounts.verifyCode('+6281200008888', codeOf(1))).ok).toBe(true);
  });

  it('never logs a phone number, the gateway token or the message text', () => {
    const log = sys.logLines.join('');
    for (const s of ['+6281234567890', '6281200000400', 'gw-secret-token', 'Selamat', 'K7M2Q9']) {
      expect(log).not.toContain(s);
    }
  });
});
