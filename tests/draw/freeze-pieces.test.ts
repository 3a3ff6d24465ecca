// The frozen list is written to Redis in pieces and renamed into place once: big texts never hold Redis
// in one command, and the once-only rule of the freeze is unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/redis/keys.ts';
import { DrawStore } from '../../src/store/draws.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let draws: DrawStore;
beforeAll(async () => {
  redis = await startTestRedis();
  draws = new DrawStore(redis.client);
});
afterAll(() => redis.stop());

const OFFICE = 'ambon';
const closed = (date: string) => redis.client.hset(keys.draw(OFFICE, date), { state: 'closed' });

describe('freeze in pieces', () => {
  it('stores a multi-megabyte list byte for byte, once, and leaves no staging key', async () => {
    await closed('2026-12-01');
    // 2.5 MB of multi-byte text: three pieces, with piece borders inside characters.
    const text = Buffer.from('ticket-Ä€😀\n'.repeat(160_000), 'utf8');
    expect(text.length).toBeGreaterThan(2 * (1 << 20));
    const first = await draws.freeze(OFFICE, '2026-12-01', text, 'digest-1', 160_000);
    expect(first).toEqual({ status: 'stored', digest: 'digest-1' });
    const stored = await redis.client.getBuffer(keys.drawFrozen(OFFICE, '2026-12-01'));
    expect(stored?.equals(text)).toBe(true);
    expect(await redis.client.exists(keys.drawFrozenStaging(OFFICE, '2026-12-01'))).toBe(0);

    // A rerun (after a crash) with other bytes keeps the first list.
    const again = await draws.freeze(OFFICE, '2026-12-01', Buffer.from('other'), 'digest-2', 1);
    expect(again).toEqual({ status: 'existing', digest: 'digest-1' });
    expect((await redis.client.getBuffer(keys.drawFrozen(OFFICE, '2026-12-01')))?.equals(text)).toBe(true);
    expect(await redis.client.exists(keys.drawFrozenStaging(OFFICE, '2026-12-01'))).toBe(0);
  });

  it('refuses a draw that is not closed and cleans up after itself', async () => {
    await redis.client.hset(keys.draw(OFFICE, '2026-12-02'), { state: 'open' });
    expect((await draws.freeze(OFFICE, '2026-12-02', 'a\n', 'd', 1)).status).toBe('not_closed');
    expect(await redis.client.exists(keys.drawFrozen(OFFICE, '2026-12-02'))).toBe(0);
    expect(await redis.client.exists(keys.drawFrozenStaging(OFFICE, '2026-12-02'))).toBe(0);
  });

  it('freezes an empty list', async () => {
    await closed('2026-12-03');
    expect(await draws.freeze(OFFICE, '2026-12-03', '', 'empty', 0)).toEqual({
      status: 'stored',
      digest: 'empty',
    });
    expect(await draws.frozen(OFFICE, '2026-12-03')).toBe('');
    expect(await redis.client.hget(keys.draw(OFFICE, '2026-12-03'), 'entryCount')).toBe('0');
  });
});
