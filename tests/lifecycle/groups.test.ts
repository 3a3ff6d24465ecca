// Group entries against real Redis: a family joins as one group, wins or loses as one, is seated together,
// cancels per person, is offered a released place only where it fits, and is carried over together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules, type Rules } from '../../src/domain/rules.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { parseFrozen, parseResults } from '../../src/store/draws.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const OFFICE = 'jayapura'; // WIT, UTC+9
const MONDAY_10_WIT = new Date('2026-11-30T01:00:00Z');
const DRAW = '2026-11-30';
const DAY = '2026-12-02';
const rules: Rules = {
  ...defaultRules,
  sessions: [
    { id: 's1', start: '08:00', end: '10:00', capacity: 3 },
    { id: 's2', start: '10:00', end: '12:00', capacity: 2 },
  ],
  priorityCategories: [{ id: 'lansia', label: 'Lanjut usia (60+)', weight: 2, minAge: 60 }],
};

const common = (accountId: string) => ({
  accountId,
  officeId: OFFICE,
  drawDate: DRAW,
  targetDate: DAY,
  prefs: null,
});
const member = (i: number, category: string | null = null) => ({
  personId: `p${i}`,
  nikHash: `nik-g${i}`,
  birthDate: '1980-01-01',
  category,
});

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = MONDAY_10_WIT;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.offices.updateRules(OFFICE, rules, 1, 'test');
});
afterAll(() => sys.stop());

describe('group entries', () => {
  const family: string[] = [];
  const big: string[] = [];

  it('joins all members or none, each with its own ticket and active slot', async () => {
    // A person already active elsewhere refuses the whole group, and nobody of it stays in.
    const solo = await sys.deps.entries.join({ ...common('acct-x'), ...member(99), prefs: ['s2'] });
    expect(solo.ok).toBe(true);
    const refused = await sys.deps.entries.joinGroup(common('fam'), [member(1), member(99)]);
    expect(refused).toMatchObject({ ok: false, reason: 'duplicate', personId: 'p99' });
    expect(await sys.deps.entries.activeOf('nik-g1')).toBeNull();

    const r = await sys.deps.entries.joinGroup(common('fam'), [member(1, 'lansia'), member(2), member(3)]);
    if (!r.ok) throw new Error(r.reason);
    expect(r.entries).toHaveLength(3);
    family.push(...r.entries.map((e) => e.ticket));
    // Members share the first 11 characters of their tickets.
    expect(new Set(family.map((t) => t.slice(0, 11))).size).toBe(1);
    for (const [i, t] of family.entries()) {
      expect(await sys.deps.entries.activeOf(`nik-g${i + 1}`)).toContain(t);
    }
    // One person still holds one active entry: a member cannot join again, alone or in another group.
    const again = await sys.deps.entries.join({ ...common('fam'), ...member(2) });
    expect(again).toMatchObject({ ok: false, reason: 'duplicate' });
  });

  it('is one line of the frozen list with the mean weight, and is seated together', async () => {
    // s1 (3 places) is the only session a family of 3 fits; the persons alone only accept s2 (2 places),
    // so one of the three is waitlisted, and a family of 4 fits nowhere.
    for (let i = 10; i < 12; i++) {
      const r = await sys.deps.entries.join({ ...common(`acct${i}`), ...member(i), prefs: ['s2'] });
      expect(r.ok).toBe(true);
    }
    const four = await sys.deps.entries.joinGroup(
      common('fam4'),
      [20, 21, 22, 23].map((i) => member(i)),
    );
    if (!four.ok) throw new Error(four.reason);
    big.push(...four.entries.map((e) => e.ticket));
    const run = await new DrawRunner(sys.deps).run(OFFICE, DRAW);
    expect(run.meta.state).toBe('drawn');
    const frozen = parseFrozen((await sys.deps.draws.frozen(OFFICE, DRAW)) ?? '');
    const line = frozen.find((e) => e.ticket === family[0]);
    expect(line?.members).toHaveLength(3);
    expect(line?.weight).toBe(1.333333); // (2 + 1 + 1) / 3
    expect(frozen.some((e) => family.slice(1).includes(e.ticket))).toBe(false);
    // acct-x, two persons alone, the family of 3 and the family of 4
    expect(frozen).toHaveLength(5);
    const rows = parseResults((await sys.deps.draws.results(OFFICE, DRAW)) ?? '');
    expect(rows.find((x) => x.ticket === family[0])?.sessionId).toBe('s1');
    expect(rows.find((x) => x.ticket === big[0])?.sessionId).toBeNull();

    await sys.deps.lifecycle.fanout(OFFICE, DRAW);
    const appts = await sys.deps.appointments.forDay(OFFICE, DAY);
    const ours = appts.filter((a) => family.includes(a.ticket));
    expect(ours.map((a) => a.sessionId)).toEqual(['s1', 's1', 's1']);
    expect(new Set(ours.map((a) => a.personId))).toEqual(new Set(['p1', 'p2', 'p3']));
    expect(await sys.deps.appointments.held(OFFICE, DAY)).toEqual({ s1: 3, s2: 2 });
    // Every member sees the outcome of its own ticket.
    for (const t of family) expect((await sys.deps.draws.outcome(OFFICE, DRAW, t))?.sessionId).toBe('s1');
  });

  it('confirms and cancels per person: one cancelled member releases one place, offered only where it fits', async () => {
    const appts = await sys.deps.appointments.forDay(OFFICE, DAY);
    const [a, b] = appts.filter((x) => family.includes(x.ticket));
    expect((await sys.deps.lifecycle.confirm('fam', a!.code)).state).toBe('confirmed');
    await sys.deps.lifecycle.cancel('fam', b!.code);
    expect(await sys.deps.appointments.held(OFFICE, DAY)).toEqual({ s1: 2, s2: 2 });
    // The family of 4 does not fit one place, and the person waitlisted only accepts s2: nobody is offered.
    const after = await sys.deps.appointments.forDay(OFFICE, DAY);
    expect(after.filter((x) => x.source === 'waitlist')).toHaveLength(0);
    // The other members keep theirs.
    expect((await sys.deps.appointments.byCode(a!.code))?.state).toBe('confirmed');
  });

  it('offers a released place to a waitlisted group only when the whole group fits', async () => {
    // The office adds places to s1: with 4 free, the next release goes to the family of 4, all of it.
    await sys.deps.offices.updateRules(
      OFFICE,
      { ...rules, sessions: [{ ...rules.sessions[0]!, capacity: 6 }, rules.sessions[1]!] },
      2,
      'test',
    );
    const appts = await sys.deps.appointments.forDay(OFFICE, DAY);
    const c = appts.find((x) => family.includes(x.ticket) && x.state === 'offered')!;
    await sys.deps.lifecycle.cancel('fam', c.code);
    const offered = (await sys.deps.appointments.forDay(OFFICE, DAY)).filter((x) => x.source === 'waitlist');
    expect(offered.map((x) => x.ticket).sort()).toEqual([...big].sort());
    expect(new Set(offered.map((x) => x.sessionId))).toEqual(new Set(['s1']));
    expect(await sys.deps.appointments.held(OFFICE, DAY)).toEqual({ s1: 5, s2: 2 });
  });
});
