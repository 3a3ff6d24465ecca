// A waitlisted group is carried into the office's next draw together (one new group, one more loss each,
// each member's record pointing on), and a seated group checks in per person at the counter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules, type Rules } from '../../src/domain/rules.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { CounterDesk } from '../../src/services/counter-desk.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { parseResults } from '../../src/store/draws.ts';
import { GROUP_PREFIX, unpackEntry } from '../../src/store/entry-codec.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const OFFICE = 'jayapura'; // WIT, UTC+9
const DRAW = '2026-11-30';
const DAY = '2026-12-02';
const NEXT_DRAW = '2026-12-01';
const rules: Rules = {
  ...defaultRules,
  sessions: [{ id: 's1', start: '08:00', end: '10:00', capacity: 2 }],
  priorityCategories: [],
};

async function person(accountId: string, id: string) {
  const p = {
    id,
    nikHash: `nik-${id}`,
    nikMasked: '',
    name: 'Warga',
    birthDate: '1980-01-01',
    category: null,
  };
  await sys.redis.client.hset(
    keys.accountPersons(accountId),
    id,
    JSON.stringify({ ...p, createdAt: sys.clock.now.toISOString() }),
  );
  return { personId: id, nikHash: p.nikHash, birthDate: p.birthDate, category: null };
}
const common = (accountId: string) => ({
  accountId,
  officeId: OFFICE,
  drawDate: DRAW,
  targetDate: DAY,
  prefs: null,
});

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = new Date('2026-11-30T01:00:00Z'); // Monday 10:00 WIT
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.offices.updateRules(OFFICE, rules, 1, 'test');
});
afterAll(() => sys.stop());

describe('a group after the draw', () => {
  const pair: string[] = [];
  const three: string[] = [];

  it('seats the pair and waitlists the group of three, which fits no session', async () => {
    const a = await sys.deps.entries.joinGroup(common('pair'), [
      await person('pair', 'a1'),
      await person('pair', 'a2'),
    ]);
    const b = await sys.deps.entries.joinGroup(common('trio'), [
      await person('trio', 'b1'),
      await person('trio', 'b2'),
      await person('trio', 'b3'),
    ]);
    if (!a.ok || !b.ok) throw new Error('join refused');
    pair.push(...a.entries.map((e) => e.ticket));
    three.push(...b.entries.map((e) => e.ticket));
    await new DrawRunner(sys.deps).run(OFFICE, DRAW);
    await sys.deps.lifecycle.fanout(OFFICE, DRAW);
    const rows = parseResults((await sys.deps.draws.results(OFFICE, DRAW)) ?? '');
    expect(rows.find((r) => r.ticket === pair[0])?.sessionId).toBe('s1');
    expect(rows.find((r) => r.ticket === three[0])?.sessionId).toBeNull();
    // Each member confirms their own place.
    for (const a of (await sys.deps.appointments.forDay(OFFICE, DAY)).filter((x) =>
      pair.includes(x.ticket),
    )) {
      expect((await sys.deps.lifecycle.confirm('pair', a.code)).state).toBe('confirmed');
    }
  });

  it('carries the waitlisted group into the next draw together, one more loss each', async () => {
    sys.clock.now = new Date('2026-12-01T03:00:00Z'); // Tuesday 12:00 WIT, past the offer cut-off
    const r = await sys.deps.lifecycle.closeWaitlist(OFFICE, DAY, DRAW);
    expect(r).toEqual({ carried: 1, lost: 0 });
    const records = await sys.redis.client.hgetall(keys.account('trio'));
    const carried = Object.keys(records).filter((t) => !three.includes(t) && t.length === 12);
    expect(carried).toHaveLength(3);
    // One new group: the tickets share their prefix and are all in the next draw, with one loss each.
    expect(new Set(carried.map((t) => t.slice(0, GROUP_PREFIX))).size).toBe(1);
    expect(await sys.deps.entries.count(OFFICE, NEXT_DRAW)).toBe(3);
    const packed = await sys.deps.entries.packedEntries(OFFICE, NEXT_DRAW, carried);
    const entries = packed.map((p) => unpackEntry(p!));
    expect(entries.map((e) => e.losses)).toEqual([1, 1, 1]);
    expect(entries.every((e) => e.group)).toBe(true);
    expect(new Set(entries.map((e) => e.personId))).toEqual(new Set(['b1', 'b2', 'b3']));
    for (const id of ['b1', 'b2', 'b3']) {
      expect(await sys.deps.entries.activeOf(`nik-${id}`)).toMatch(
        new RegExp(`^${OFFICE}\\|${NEXT_DRAW}\\|`),
      );
    }
  });

  it('checks in per person: one member at the counter, the other still expected', async () => {
    const appts = (await sys.deps.appointments.forDay(OFFICE, DAY)).filter((a) => pair.includes(a.ticket));
    expect(appts).toHaveLength(2);
    sys.clock.now = new Date('2026-12-01T23:30:00Z'); // Wednesday 08:30 WIT, in s1
    const desk = new CounterDesk(sys.deps);
    const officer = { username: 'gc-officer', role: 'officer' as const, officeId: OFFICE };
    const view = await desk.confirm(officer, appts[0]!.code);
    expect(view.state).toBe('checked_in');
    expect((await sys.deps.appointments.byCode(appts[0]!.code))?.state).toBe('checked_in');
    expect((await sys.deps.appointments.byCode(appts[1]!.code))?.state).toBe('confirmed');
  });
});
