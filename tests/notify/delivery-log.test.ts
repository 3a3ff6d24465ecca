// The delivery log keeps an applicant's newest messages, trimmed only once it is longer than kept.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DELIVERY_LOG_LENGTH, type Delivery, DeliveryLog } from '../../src/notify/delivery-log.ts';
import { keys } from '../../src/redis/keys.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let log: DeliveryLog;

beforeAll(async () => {
  redis = await startTestRedis();
  log = new DeliveryLog(redis.client);
});
afterAll(() => redis.stop());

const delivery = (i: number): Delivery => ({
  id: `ev-${i}:acc-1:waitlisted`,
  template: 'waitlisted',
  channel: 'outbox',
  state: 'sent',
  at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
});

it('keeps the newest entries, newest first, however many messages an applicant got', async () => {
  for (let i = 0; i < DELIVERY_LOG_LENGTH + 5; i++) await log.add('acc-1', delivery(i));
  expect(await redis.client.llen(keys.accountDeliveries('acc-1'))).toBe(DELIVERY_LOG_LENGTH);
  const list = await log.list('acc-1');
  expect(list[0]).toEqual(delivery(DELIVERY_LOG_LENGTH + 4));
  expect(list.at(-1)).toEqual(delivery(5));
});

it('remove takes back exactly the entry add wrote', async () => {
  await log.add('acc-2', delivery(1));
  await log.add('acc-2', delivery(2));
  await log.remove('acc-2', delivery(1));
  expect(await log.list('acc-2')).toEqual([delivery(2)]);
});
