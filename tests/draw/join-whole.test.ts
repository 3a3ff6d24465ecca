// A join on one Redis server runs as one script (entry-join-whole.lua) built from the step scripts the
// Cluster path runs one by one. The two must agree: the same refusals, the same entries, claims, account
// records and used markers, for any sequence of joins, closes, bans, blocks, withdrawals and crashed
// half-joins. Checked against two private Redis servers, one per mode, fed the same random sequences.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/redis/keys.ts';
import { scriptSource } from '../../src/redis/scripts.ts';
import { EntryStore, type JoinInput, type JoinResult } from '../../src/store/entries/index.ts';
import { onCluster, startTestRedis, type TestRedis } from '../support/redis.ts';

const clock = { now: new Date('2026-11-30T01:00:00Z') };
const DRAWS = [
  { officeId: 'medan', drawDate: '2026-11-30', targetDate: '2026-12-02' },
  { officeId: 'medan', drawDate: '2026-12-01', targetDate: '2026-12-03' },
  { officeId: 'ambon', drawDate: '2026-11-30', targetDate: '2026-12-02' },
];
const PERSONS = 4;
const ACCOUNTS = 3;

const account = (p: number) => `acct${p % ACCOUNTS}`;
const nikHash = (p: number) => `nh-${p}`;
const marker = (m: number) => ({ key: keys.powUsed(`marker${m}`.padEnd(32, '0')), ttlSeconds: 300 });

function input(p: number, d: number, m: number | null): JoinInput {
  const draw = DRAWS[d]!;
  return {
    accountId: account(p),
    personId: `p${p}`,
    nikHash: nikHash(p),
    birthDate: '1980-01-01',
    category: null,
    officeId: draw.officeId,
    drawDate: draw.drawDate,
    targetDate: draw.targetDate,
    prefs: p % 2 ? null : ['pagi'],
    ...(m === null ? {} : { singleUse: marker(m) }),
  };
}

/** What a result says, without the random ticket. */
function outcome(r: JoinResult): unknown {
  if (r.ok) return { ok: true, entryCount: r.entryCount, draw: `${r.entry.officeId}|${r.entry.drawDate}` };
  if (r.reason === 'duplicate') return { reason: r.reason };
  return r;
}

type Op =
  | { op: 'join'; person: number; draw: number; marker: number | null }
  | { op: 'close'; draw: number }
  | { op: 'ban'; person: number; minutes: number }
  | { op: 'block'; account: number; blocked: boolean }
  | { op: 'orphan'; person: number; draw: number; ageSeconds: number }
  | { op: 'withdraw'; person: number }
  | { op: 'tick'; seconds: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('join' as const),
      person: fc.nat(PERSONS - 1),
      draw: fc.nat(DRAWS.length - 1),
      marker: fc.option(fc.nat(3)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), draw: fc.nat(DRAWS.length - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('ban' as const),
      person: fc.nat(PERSONS - 1),
      minutes: fc.integer({ min: -5, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('block' as const),
      account: fc.nat(ACCOUNTS - 1),
      blocked: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('orphan' as const),
      person: fc.nat(PERSONS - 1),
      draw: fc.nat(DRAWS.length - 1),
      ageSeconds: fc.constantFrom(10, 90),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('withdraw' as const), person: fc.nat(PERSONS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), seconds: fc.constantFrom(1, 45) }) },
);

interface Side {
  redis: TestRedis;
  entries: EntryStore;
}

async function apply(side: Side, op: Op): Promise<unknown> {
  const { client } = side.redis;
  const day = (d: number) => Date.parse(`${DRAWS[d]!.drawDate}T00:00:00Z`) / 86_400_000;
  switch (op.op) {
    case 'join':
      return outcome(await side.entries.join(input(op.person, op.draw, op.marker)));
    case 'close': {
      const d = DRAWS[op.draw]!;
      return client.hset(keys.draw(d.officeId, d.drawDate), 'state', 'closed');
    }
    case 'ban':
      return client.hset(
        keys.nik(nikHash(op.person)),
        'bannedUntil',
        clock.now.getTime() + op.minutes * 60_000,
      );
    case 'block':
      return client.hset(keys.account(account(op.account)), 'blocked', op.blocked ? '1' : '0');
    case 'orphan': {
      // A claim a crashed join left behind (no entry behind it), unless the person holds a real one.
      const at = clock.now.getTime() - op.ageSeconds * 1000;
      const orphan = `${DRAWS[op.draw]!.officeId}|${day(op.draw)}|ORPHAN${op.person}TKT@${at}`;
      return client.hsetnx(keys.nik(nikHash(op.person)), 'active', orphan);
    }
    case 'withdraw': {
      const mine = (await side.entries.forAccount(account(op.person))).find(
        (e) => e.personId === `p${op.person}` && e.status === 'pending',
      );
      if (!mine) return 'none';
      return side.entries.withdraw(account(op.person), { ...mine, nikHash: nikHash(op.person) }, 'withdrawn');
    }
    case 'tick':
      clock.now = new Date(clock.now.getTime() + op.seconds * 1000);
      return 'tick';
  }
}

/** Everything a join can change, without tickets and claim times (random and clock-dependent). */
async function stateOf(side: Side): Promise<unknown> {
  const { client } = side.redis;
  const persons = [];
  for (let p = 0; p < PERSONS; p++) {
    const active = await client.hget(keys.nik(nikHash(p)), 'active');
    persons.push(active ? active.split('|').slice(0, 2).join('|') : null);
  }
  const draws = [];
  for (const d of DRAWS) {
    const [state, count] = await client.hmget(keys.draw(d.officeId, d.drawDate), 'state', 'entries');
    draws.push({ state, count: count ?? '0', stored: await side.entries.count(d.officeId, d.drawDate) });
  }
  const accounts = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const list = await side.entries.forAccount(`acct${a}`);
    accounts.push(list.map((e) => `${e.personId}|${e.officeId}|${e.drawDate}|${e.status}`).sort());
  }
  const markers = [];
  for (let m = 0; m < 4; m++) {
    const ttl = await client.ttl(marker(m).key);
    markers.push(ttl > 0 ? 'set' : ttl === -1 ? 'no-expiry' : 'absent');
  }
  return { persons, draws, accounts, markers };
}

describe.skipIf(onCluster)('a join in one script against the same join in steps', () => {
  let whole: Side;
  let steps: Side;

  beforeAll(async () => {
    const [a, b] = await Promise.all([startTestRedis(), startTestRedis()]);
    whole = { redis: a, entries: new EntryStore(a.client, () => clock.now, { wholeJoin: true }) };
    steps = { redis: b, entries: new EntryStore(b.client, () => clock.now, { wholeJoin: false }) };
  });
  afterAll(async () => {
    await whole?.redis.stop();
    await steps?.redis.stop();
  });

  it('runs the step scripts themselves, included as functions', () => {
    const lua = scriptSource('entryJoinWhole');
    expect(lua).not.toContain('@include');
    for (const step of ['personClaim', 'personRelease', 'entryJoin', 'accountEntryAdd'] as const) {
      const fn = step.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      expect(lua).toContain(`local function ${fn}(KEYS, ARGV)\n${scriptSource(step)}\nend`);
    }
  });

  it('agrees on every outcome and on everything stored, for random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        await Promise.all([whole.redis.client.flushall(), steps.redis.client.flushall()]);
        clock.now = new Date('2026-11-30T01:00:00Z');
        for (const op of ops) {
          const [a, b] = [await apply(whole, op), await apply(steps, op)];
          expect(a, JSON.stringify(op)).toEqual(b);
        }
        expect(await stateOf(whole)).toEqual(await stateOf(steps));
      }),
      { numRuns: 120, seed: 20261128 },
    );
  });

  it('a used marker refuses the join and writes nothing; a refused join still uses its marker', async () => {
    await whole.redis.client.flushall();
    clock.now = new Date('2026-11-30T01:00:00Z');
    const { client } = whole.redis;
    expect((await whole.entries.join(input(0, 0, 0))).ok).toBe(true);
    expect(await client.ttl(marker(0).key)).toBeGreaterThan(290);
    const before = await client.dbsize();
    expect(await whole.entries.join(input(1, 0, 0))).toEqual({ ok: false, reason: 'single_use_taken' });
    expect(await client.dbsize()).toBe(before);
    expect(await client.hget(keys.nik(nikHash(1)), 'active')).toBeNull();
    // Closed draw: refused after the marker was set; the person's claim is released within the script.
    await client.hset(keys.draw(DRAWS[1]!.officeId, DRAWS[1]!.drawDate), 'state', 'closed');
    expect(await whole.entries.join(input(2, 1, 1))).toEqual({ ok: false, reason: 'draw_closed' });
    expect(await client.exists(marker(1).key)).toBe(1);
    expect(await client.hget(keys.nik(nikHash(2)), 'active')).toBeNull();
    // A blocked account is refused before anything is written, its marker included.
    await client.hset(keys.account(account(3)), 'blocked', '1');
    expect(await whole.entries.join(input(3, 0, 2))).toEqual({ ok: false, reason: 'blocked' });
    expect(await client.exists(marker(2).key)).toBe(0);
  });
});
