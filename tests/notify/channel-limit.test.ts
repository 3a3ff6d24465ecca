// Each channel keeps to its provider's contract: with an SMS limit of 2 per second, a burst of six
// messages is granted at most two in any one second, and every one of them still goes out once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { startGateway, type TestGateway, waitFor } from './support.ts';

let sys: TestSystem;
let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway();
  sys = await startTestSystem(
    {
      NOTIFY_CHANNEL: 'live',
      SMS_GATEWAY_URL: gw.url,
      SMS_GATEWAY_TOKEN: 'gw-secret-token',
      NOTIFY_SMS_RATE_MAX: '2',
      NOTIFY_CHANNEL_WINDOW_S: '1',
    },
    { workers: true },
  );
});
afterAll(async () => {
  await sys.stop();
  await gw.stop();
});

it('an SMS burst is spread over windows of the configured size, each message sent once', async () => {
  const arrivals: number[] = [];
  gw.script = (n) => {
    arrivals.push(Date.now());
    return { status: 200, body: { messageId: `gw-${n}` } };
  };
  for (let i = 0; i < 6; i++) {
    const accountId = await sys.deps.accounts.ensureAccount(`+62812555000${i}`, 'phone', 'id');
    await sys.deps.notifications!.enqueue({
      event: `limit-test.${i}`,
      accountId,
      template: 'forfeited',
      vars: { code: `CODE${i}` },
    });
  }
  await waitFor(() => gw.accepted.length === 6, 30_000, 'six accepted');
  const perSecond = new Map<number, number>();
  for (const t of arrivals)
    perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  // The limiter grants two per wall-clock second (a fixed window). Arrivals trail their grants: on a
  // loaded machine both grants of one second can land just after it, beside the next second's two, so
  // a second of arrivals holds at most two windows' worth. Unlimited, all six arrive within a fraction
  // of a second.
  expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(4);
  // Five grants need three windows, so any five consecutive arrivals are more than a window apart, less
  // the delivery delay.
  const sorted = [...arrivals].sort((a, b) => a - b);
  for (let k = 0; k + 4 < sorted.length; k++) expect(sorted[k + 4]! - sorted[k]!).toBeGreaterThanOrEqual(800);
  expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(1000);
  expect(gw.requests).toHaveLength(6);
  expect(new Set(gw.accepted.map((r) => JSON.stringify(r.body))).size).toBe(6);
}, 60_000);
