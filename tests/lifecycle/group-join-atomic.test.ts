// A group join is all or nothing, on a single Redis (one script) and in single-slot steps (the Redis
// Cluster path, also run here on a single Redis by forcing it): a refusal leaves no claim, no entry and no
// record in the account's list, and a draw closing while groups join holds each group whole or not at all.
// Runs on a single Redis and on a cluster (TEST_CLUSTER=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../src/domain/rules.ts';
import { entryBucket, keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { EntryStore } from '../../src/store/entries/index.ts';
import { GROUP_PREFIX } from '../../src/store/entry-codec.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const OFFICE = 'jayapura';
const DAY = '2026-12-02';

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.offices.updateRules(OFFICE, defaultRules, 1, 'test');
});
afterAll(() => sys.stop());

const member = (tag: string, i: number, birthDate = '1980-01-01') => ({
  personId: `${tag}-p${i}`,
  nikHash: `${tag}-nik${i}`,
  birthDate,
  category: null,
});
const accountFields = async (accountId: string) =>
  Object.keys(await sys.redis.client.hgetall(keys.account(accountId)));
const entryCount = async (drawDate: string) =>
  Number((await sys.redis.client.hget(keys.draw(OFFICE, drawDate), 'entries')) ?? 0);

async function closeDraw(drawDate: string) {
  await sys.deps.draws.close(
    OFFICE,
    drawDate,
    DAY,
    await sys.deps.opener.opening(OFFICE, drawDate),
    1,
    Date.now(),
  );
}

// The store the system uses (one script on a single Redis, steps on a cluster), and the steps forced.
const paths: [string, () => EntryStore][] = [
  ['as the system joins', () => sys.deps.entries],
  ['in single-slot steps', () => new EntryStore(sys.redis.client, () => sys.clock.now, { wholeJoin: false })],
];

describe.each(paths)('a group join %s', (name, store) => {
  const tag = name.startsWith('as') ? 'w' : 's';
  const common = (accountId: string, drawDate: string) => ({
    accountId,
    officeId: OFFICE,
    drawDate,
    targetDate: DAY,
    prefs: null,
  });

  it('refused by its last member leaves no claim, no entry and no account record', async () => {
    const draw = `2026-11-0${tag === 'w' ? 1 : 2}`;
    const busy = await store().join({ ...common(`${tag}-other`, draw), ...member(tag, 3) });
    expect(busy.ok).toBe(true);
    const before = await accountFields(`${tag}-fam`);
    const count = await entryCount(draw);
    const r = await store().joinGroup(common(`${tag}-fam`, draw), [
      member(tag, 1),
      member(tag, 2),
      member(tag, 3),
    ]);
    expect(r).toMatchObject({ ok: false, reason: 'duplicate', personId: `${tag}-p3` });
    expect(await accountFields(`${tag}-fam`)).toEqual(before);
    expect(await entryCount(draw)).toBe(count);
    expect(await store().activeOf(`${tag}-nik1`)).toBeNull();
    expect(await store().activeOf(`${tag}-nik2`)).toBeNull();
    // The same group without the busy member joins whole, and its records are all pending.
    const ok = await store().joinGroup(common(`${tag}-fam`, draw), [member(tag, 1), member(tag, 2)]);
    if (!ok.ok) throw new Error(ok.reason);
    expect(await entryCount(draw)).toBe(count + 2);
    const records = await sys.redis.client.hmget(
      keys.account(`${tag}-fam`),
      ...ok.entries.map((e) => e.ticket),
    );
    expect(records.every((v) => v !== null)).toBe(true);
  });

  it('refused for a blocked account writes nothing', async () => {
    const draw = `2026-11-1${tag === 'w' ? 1 : 2}`;
    await sys.redis.client.hset(keys.account(`${tag}-blocked`), 'blocked', '1');
    const r = await store().joinGroup(common(`${tag}-blocked`, draw), [member(tag, 21), member(tag, 22)]);
    expect(r).toMatchObject({ ok: false, reason: 'blocked' });
    expect(await accountFields(`${tag}-blocked`)).toEqual(['blocked']);
    expect(await entryCount(draw)).toBe(0);
    expect(await store().activeOf(`${tag}-nik21`)).toBeNull();
  });

  it('a closed draw takes no member, and nothing is left in the account list', async () => {
    const draw = `2026-11-2${tag === 'w' ? 1 : 2}`;
    const opener = await store().join({ ...common(`${tag}-first`, draw), ...member(tag, 30) });
    expect(opener.ok).toBe(true);
    await closeDraw(draw);
    const r = await store().joinGroup(common(`${tag}-late`, draw), [member(tag, 31), member(tag, 32)]);
    expect(r).toMatchObject({ ok: false, reason: 'draw_closed' });
    expect(await accountFields(`${tag}-late`)).toEqual([]);
    expect(await store().activeOf(`${tag}-nik31`)).toBeNull();
  });

  it('refuses minors without an adult, alone or as a group, for every caller', async () => {
    const draw = `2026-10-2${tag === 'w' ? 1 : 2}`;
    // Under 17 on the service day (2 December 2026); 17 the day before it counts as an adult.
    const child = '2015-06-01';
    const alone = await store().join({ ...common(`${tag}-kids`, draw), ...member(tag, 40, child) });
    expect(alone).toMatchObject({ ok: false, reason: 'minor_without_adult', personIds: [`${tag}-p40`] });
    const kids = await store().joinGroup(common(`${tag}-kids`, draw), [
      member(tag, 41, child),
      member(tag, 42, child),
    ]);
    expect(kids).toMatchObject({ ok: false, reason: 'minor_without_adult' });
    expect(await accountFields(`${tag}-kids`)).toEqual([]);
    expect(await store().activeOf(`${tag}-nik41`)).toBeNull();
    const withAdult = await store().joinGroup(common(`${tag}-kids`, draw), [
      member(tag, 41, child),
      member(tag, 43, '2009-12-01'),
    ]);
    expect(withAdult.ok).toBe(true);
  });

  it('racing the close, every group is in the draw whole or not at all', async () => {
    const draw = `2026-10-1${tag === 'w' ? 1 : 2}`;
    const groups = 40;
    const size = 4;
    const joins = Array.from({ length: groups }, (_, g) =>
      store().joinGroup(
        common(`${tag}-race${g}`, draw),
        Array.from({ length: size }, (_, i) => member(`${tag}-r${g}`, i)),
      ),
    );
    // Close once a few groups are in, while the rest are still on their way.
    const closing = (async () => {
      while ((await entryCount(draw)) < size * 3) await new Promise((r) => setTimeout(r, 1));
      await closeDraw(draw);
    })();
    const results = await Promise.all(joins);
    await closing;
    const joinedCount = results.filter((r) => r.ok).length;
    expect(joinedCount).toBeGreaterThanOrEqual(3);
    const perGroup = new Map<string, number>();
    for await (const flat of sys.deps.draws.scanEntries(OFFICE, draw)) {
      for (let i = 0; i < flat.length; i += 2) {
        const p = flat[i]!.slice(0, GROUP_PREFIX);
        perGroup.set(p, (perGroup.get(p) ?? 0) + 1);
      }
    }
    expect([...perGroup.values()].every((n) => n === size)).toBe(true);
    expect(perGroup.size).toBe(joinedCount);
    expect(await entryCount(draw)).toBe(joinedCount * size);
    for (const [g, r] of results.entries()) {
      const fields = await accountFields(`${tag}-race${g}`);
      expect(fields.length).toBe(r.ok ? size : 0);
      if (r.ok) expect(entryBucket(r.entries[0]!.ticket)).toBe(entryBucket(r.entries[size - 1]!.ticket));
      for (let i = 0; i < size; i++) {
        const active = await store().activeOf(`${tag}-r${g}-nik${i}`);
        expect(active !== null).toBe(r.ok);
      }
    }
  });
});
