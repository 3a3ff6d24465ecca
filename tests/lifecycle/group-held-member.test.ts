// A family member whose identity still awaits the registry is held from the draw (docs/identity.md): the
// draw counts no place for them, so the family's win offers places to the drawn members only, and a
// family carried over keeps that member held in the next draw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules, type Rules } from '../../src/domain/rules.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { openDraw } from '../../src/services/open-draw.ts';
import { unpackEntry } from '../../src/store/entry-codec.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const OFFICE = 'jayapura'; // WIT, UTC+9
const MONDAY_10_WIT = new Date('2026-11-30T01:00:00Z');
const DRAW = '2026-11-30';
const DAY = '2026-12-02';
const rules: Rules = {
  ...defaultRules,
  sessions: [
    { id: 's1', start: '08:00', end: '10:00', capacity: 2 },
    { id: 's2', start: '10:00', end: '12:00', capacity: 1 },
  ],
};

const common = (accountId: string, prefs: string[] | null) => ({
  accountId,
  officeId: OFFICE,
  drawDate: DRAW,
  targetDate: DAY,
  prefs,
});

/** A person of the account (carry-over reads each member's birth date from it) as a group member. */
async function member(accountId: string, i: number, unverified = false) {
  const p = { id: `p${i}`, nikHash: `nik-h${i}`, nikMasked: '', name: 'Warga', birthDate: '1980-01-01' };
  await sys.redis.client.hset(
    keys.accountPersons(accountId),
    p.id,
    JSON.stringify({ ...p, category: null, createdAt: sys.clock.now.toISOString() }),
  );
  return {
    personId: p.id,
    nikHash: p.nikHash,
    birthDate: p.birthDate,
    category: null,
    ...(unverified ? { unverified: true } : {}),
  };
}

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = MONDAY_10_WIT;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.offices.updateRules(OFFICE, rules, 1, 'test');
});
afterAll(() => sys.stop());

describe('a group with a member held from the draw', () => {
  const won: string[] = [];

  it('wins places for its drawn members only; the held member gets no offer and takes no place', async () => {
    // s1 has 2 places: the family's two drawn members fill it exactly.
    const fam = await sys.deps.entries.joinGroup(common('fam-a', ['s1']), [
      await member('fam-a', 1),
      await member('fam-a', 2),
      await member('fam-a', 3, true),
    ]);
    if (!fam.ok) throw new Error(fam.reason);
    won.push(...fam.entries.map((e) => e.ticket));
    // s2 has 1 place: a family of two drawn (and one held) members never fits it and is waitlisted.
    const fam2 = await sys.deps.entries.joinGroup(common('fam-b', ['s2']), [
      await member('fam-b', 4),
      await member('fam-b', 5),
      await member('fam-b', 6, true),
    ]);
    if (!fam2.ok) throw new Error(fam2.reason);

    await new DrawRunner(sys.deps).run(OFFICE, DRAW);
    await sys.deps.lifecycle.fanout(OFFICE, DRAW);
    const appts = await sys.deps.appointments.forDay(OFFICE, DAY);
    expect(appts.map((a) => a.ticket).sort()).toEqual(won.slice(0, 2).sort());
    expect(await sys.deps.appointments.held(OFFICE, DAY)).toEqual({ s1: 2 });
    // The held member's outcome is not the family's: it was not drawn.
    const outcome = await sys.deps.draws.outcome(OFFICE, DRAW, won[2]!);
    expect(outcome?.sessionId ?? null).toBeNull();
  });

  it('is carried over with its held member still held', async () => {
    sys.clock.now = new Date('2026-12-01T03:00:00Z'); // the cut-off: Tuesday 12:00 WIT
    const next = await openDraw(sys.deps, OFFICE, 'Asia/Jayapura', rules, sys.clock.now);
    await sys.deps.lifecycle.closeWaitlist(OFFICE, DAY, DRAW);
    const carried = (await sys.deps.entries.forAccount('fam-b')).filter((e) => e.drawDate === next!.drawDate);
    expect(carried).toHaveLength(3);
    const packed = await sys.deps.entries.packedEntries(
      OFFICE,
      next!.drawDate,
      carried.map((e) => e.ticket),
    );
    const held = packed.map((p) => unpackEntry(p!)).filter((e) => e.unverified);
    expect(held.map((e) => e.personId)).toEqual(['p6']);
  });
});
