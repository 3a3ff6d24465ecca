// Proves which topology the suite ran on, and that every aggregate's keys share one cluster slot.
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keys, queuePrefix } from '../../src/redis/keys.ts';
import { onCluster, startTestRedis, type TestRedis } from '../support/redis.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis.stop());

const slotOf = async (key: string) => Number(await (redis.client as any).cluster('KEYSLOT', key));

it(onCluster ? 'runs on a three-master Redis Cluster' : 'runs on a single Redis', async () => {
  expect(redis.client instanceof Cluster).toBe(onCluster);
  if (!onCluster) return;
  expect((redis.client as Cluster).nodes('master')).toHaveLength(3);
  const office = [
    keys.office('medan'),
    keys.draw('medan', '2026-12-01'),
    keys.drawEntries('medan', '2026-12-01', '22'),
    keys.drawEntries('medan', '2026-12-01', 'ZZ'),
    keys.appointment('medan', 'ABCDEFGHJK'),
    keys.dayHeld('medan', '2026-12-03'),
  ];
  const account = [keys.account('a1'), keys.accountPersons('a1')];
  const person = [keys.nik('h1'), keys.nikStrikes('h1')];
  for (const group of [office, account, person, [`${queuePrefix}:draw:wait`, `${queuePrefix}:notify:wait`]]) {
    const slots = new Set(await Promise.all(group.map(slotOf)));
    expect(slots.size).toBe(1);
  }
});
