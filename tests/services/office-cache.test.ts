// The office cache on the join path: one Redis refresh however many joins find it expired at once, and
// the same rules version keeps the same object, so what is memoised per rules object survives a refresh.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { defaultRules } from '../../src/domain/rules.ts';
import { OfficeStore } from '../../src/store/offices.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let offices: OfficeStore;

beforeAll(async () => {
  redis = await startTestRedis();
  offices = new OfficeStore(redis.client);
  await offices.create(
    { id: 'kupang', name: 'Kupang', address: 'Jl. Timor', tz: 'Asia/Makassar' },
    defaultRules,
    'test',
  );
});
afterAll(() => redis.stop());

it('refreshes once for many concurrent readers and keeps the rules object while the version holds', async () => {
  let clock = Date.now();
  const now = vi.spyOn(Date, 'now').mockImplementation(() => clock);
  try {
    const reads = vi.spyOn(offices, 'rules');
    const first = await offices.cached('kupang');
    expect(reads).toHaveBeenCalledTimes(1);
    clock += 2_500;
    const burst = await Promise.all(Array.from({ length: 50 }, () => offices.cached('kupang')));
    expect(reads).toHaveBeenCalledTimes(2);
    for (const r of burst) expect(r.rules).toBe(first.rules);

    const v1 = first.rules!;
    await offices.updateRules('kupang', { ...v1.rules, householdLimit: 3 }, v1.version, 'test');
    clock += 2_500;
    const after = await offices.cached('kupang');
    expect(after.rules).not.toBe(v1);
    expect(after.rules?.version).toBe(v1.version + 1);
  } finally {
    now.mockRestore();
  }
});
