// The same-day standby line: formed at the cut-off from the waitlist in rank order (groups whole), told
// once; on the day arrivals are marked by ticket, and from a session's standby moment the free places
// (capacity minus checked in) go to the best-ranked arrived people that fit, their carried entry withdrawn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules, type Rules } from '../../src/domain/rules.ts';
import type { NotificationRequest } from '../../src/notify/request.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { CounterDesk, CounterRefusal } from '../../src/services/counter-desk.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { StandbyDesk } from '../../src/services/standby-desk.ts';
import { parseResults } from '../../src/store/draws.ts';
import { type StandbyRow, StandbyStore } from '../../src/store/standby.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const OFFICE = 'jayapura'; // WIT, UTC+9
const DRAW = '2026-11-30';
const DAY = '2026-12-02';
const NEXT_DRAW = '2026-12-01';
const officer = { username: 'sb-officer', role: 'officer' as const, officeId: OFFICE };
const officer2 = { username: 'sb-officer-2', role: 'officer' as const, officeId: OFFICE };
const medan = { username: 'sb-medan', role: 'officer' as const, officeId: 'medan' };
const rules: Rules = {
  ...defaultRules,
  sessions: [
    { id: 's1', start: '08:00', end: '10:00', capacity: 2 },
    { id: 's2', start: '10:00', end: '12:00', capacity: 1 },
  ],
  priorityCategories: [],
  standbyAfterMinutes: 30,
};
/** Wednesday 2026-12-02 at hh:mm WIT. */
const wit = (hhmm: string) => new Date(`${DAY}T${hhmm}:00+09:00`);
const sent: NotificationRequest[] = [];

async function person(accountId: string, id: string) {
  const p = { id, nikHash: `nik-${id}`, nikMasked: '', name: `Warga ${id}`, birthDate: '1980-01-01' };
  await sys.redis.client.hset(
    keys.accountPersons(accountId),
    id,
    JSON.stringify({ ...p, category: null, createdAt: sys.clock.now.toISOString() }),
  );
  return { personId: id, nikHash: p.nikHash, birthDate: p.birthDate, category: null };
}
const common = { officeId: OFFICE, drawDate: DRAW, targetDate: DAY };
const desk = () => new StandbyDesk(sys.deps);
const store = () => new StandbyStore(sys.redis.client);

/** What seating should do, worked out from the line alone: units in line order, whole, that fit. */
function expectedSeat(line: StandbyRow[], session: string, free: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of line) {
    if (seen.has(r.ticket)) continue;
    const unit = line.filter((x) => r.members.includes(x.ticket));
    for (const u of unit) seen.add(u.ticket);
    const ready = unit.every((u) => u.arrivedAt !== null && u.seatedCode === null);
    const allowed = !r.prefs || r.prefs.includes(session);
    if (ready && allowed && unit.length <= free - out.length) out.push(...unit.map((u) => u.ticket));
  }
  return out;
}

async function refusal(p: Promise<unknown>): Promise<CounterRefusal> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CounterRefusal) return err;
    throw err;
  }
  throw new Error('not refused');
}

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = new Date('2026-11-30T01:00:00Z'); // Monday 10:00 WIT
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.offices.updateRules(OFFICE, rules, 1, 'test');
  sys.deps.notifications = { enqueue: async (r) => void sent.push(r) };
});
afterAll(() => sys.stop());

describe('standby', () => {
  let winners: string[] = [];
  let line: StandbyRow[] = [];
  let trio: string[] = [];

  it('at the cut-off the waitlist becomes the day’s standby line in rank order, groups whole, told once', async () => {
    for (let i = 0; i < 8; i++) {
      const prefs = i < 2 ? ['s2'] : null;
      const who = await person(`acct${i}`, `p${i}`);
      const r = await sys.deps.entries.join({ ...common, ...who, accountId: `acct${i}`, prefs });
      if (!r.ok) throw new Error(r.reason);
    }
    // Three people fit no session together (2 and 1 places): always on the line.
    const g = await sys.deps.entries.joinGroup({ ...common, accountId: 'trio', prefs: null }, [
      await person('trio', 't1'),
      await person('trio', 't2'),
      await person('trio', 't3'),
    ]);
    if (!g.ok) throw new Error('group refused');
    trio = g.entries.map((e) => e.ticket);
    await new DrawRunner(sys.deps).run(OFFICE, DRAW);
    await sys.deps.lifecycle.fanout(OFFICE, DRAW);
    const offered = await sys.deps.appointments.forDay(OFFICE, DAY);
    for (const a of offered) await sys.deps.lifecycle.confirm(a.accountId, a.code);
    winners = offered.map((a) => a.ticket);

    sys.clock.now = new Date('2026-12-01T03:00:00Z'); // Tuesday 12:00 WIT: the cut-off
    sent.length = 0;
    await sys.deps.lifecycle.closeWaitlist(OFFICE, DAY, DRAW);
    const losers = parseResults((await sys.deps.draws.results(OFFICE, DRAW)) ?? '')
      .filter((r) => r.sessionId === null)
      .flatMap((r) => (r.ticket === trio[0] ? trio : [r.ticket]));
    line = await store().line(OFFICE, DAY);
    expect(line.map((r) => r.ticket)).toEqual(losers);
    expect(line.filter((r) => trio.includes(r.ticket)).map((r) => r.members)).toEqual([trio, trio, trio]);
    // Each carried entry is in the next draw, named on the line.
    for (const r of line) {
      expect(r.nextDrawDate).toBe(NEXT_DRAW);
      expect(await sys.deps.entries.hasEntry(OFFICE, NEXT_DRAW, r.nextTicket)).toBe(true);
    }
    const told = sent.filter((m) => m.template === 'standby');
    expect(told).toHaveLength(losers.length - 2); // the trio is told once
    expect(told.find((m) => m.accountId === 'trio')?.vars).toMatchObject({ ticket: trio.join(', ') });
    // The first standby moment their preferences allow: s1 08:30, s2-only people 10:30.
    const s2only = told.find((m) => m.accountId === 'acct0' || m.accountId === 'acct1');
    if (s2only) expect(s2only.vars?.until).toMatchObject({ at: wit('10:30').toISOString() });
    // The applicant's entry says so: standby on that day, come before its first standby moment (s1 08:30).
    const mine = await sys.deps.outcomes.resolve(await sys.deps.entries.forAccount('trio'));
    const old = mine.find((e) => e.ticket === trio[0])!;
    expect([old.status, old.standby]).toEqual([
      'carried_over',
      { date: DAY, until: wit('08:30').toISOString() },
    ]);
    expect(mine.find((e) => e.drawDate === NEXT_DRAW)?.standby).toBeUndefined();
    sent.length = 0;
    await sys.deps.lifecycle.closeWaitlist(OFFICE, DAY, DRAW);
    expect(sent.filter((m) => m.template === 'standby')).toHaveLength(0);
    expect((await store().line(OFFICE, DAY)).map((r) => r.ticket)).toEqual(losers);
  });

  it('arrivals are marked by ticket, a group whole; wrong day, office, unknown and winners are refused', async () => {
    sys.clock.now = new Date('2026-12-01T05:00:00Z'); // Tuesday: the line is for Wednesday
    expect((await refusal(desk().arrive(officer, OFFICE, line[0]!.ticket))).code).toBe('wrong_day');
    sys.clock.now = wit('08:05');
    expect((await refusal(desk().arrive(medan, 'medan', line[0]!.ticket))).code).toBe('wrong_office');
    const unknown = await refusal(desk().arrive(officer, OFFICE, '222222222222'));
    expect([unknown.code, unknown.status]).toEqual(['unknown_code', 404]);
    expect((await refusal(desk().arrive(officer, OFFICE, winners[0]!))).code).toBe('not_on_standby');
    expect(await desk().arrive(officer, OFFICE, trio[1]!)).toEqual(trio);
    // Everyone comes except the first single on the line, who must then be passed over.
    const firstSingle = line.find((r) => r.members.length === 1 && !r.prefs)!;
    for (const r of line) {
      if (r.ticket !== firstSingle.ticket && !trio.includes(r.ticket)) {
        await desk().arrive(officer, OFFICE, r.ticket);
      }
    }
    line = await store().line(OFFICE, DAY);
    expect(line.filter((r) => r.arrivedAt !== null)).toHaveLength(line.length - 1);
  });

  it('seats only after the standby moment, up to the free places, in line order, carried entry withdrawn', async () => {
    const appts = await sys.deps.appointments.forDay(OFFICE, DAY);
    const s1 = appts.filter((a) => a.sessionId === 's1');
    expect(s1).toHaveLength(2);
    await new CounterDesk(sys.deps).confirm(officer, s1[0]!.code);
    expect((await refusal(desk().seat(officer, OFFICE, 's1'))).code).toBe('standby_not_yet');

    sys.clock.now = wit('08:31');
    // The absent confirmed person's place is standby's now: arriving late, they are refused.
    expect((await refusal(new CounterDesk(sys.deps).confirm(officer, s1[1]!.code))).code).toBe('too_late');
    const entriesBefore = await sys.deps.entries.count(OFFICE, NEXT_DRAW);
    const want = expectedSeat(line, 's1', 1);
    expect(want).toHaveLength(1);
    const r = await desk().seat(officer, OFFICE, 's1');
    expect(r.freeBefore).toBe(1);
    expect(r.seated.map((s) => s.ticket)).toEqual(want);
    const seated = line.find((x) => x.ticket === want[0])!;
    const a = (await sys.deps.appointments.byCode(r.seated[0]!.code))!;
    expect([a.state, a.source, a.sessionId, a.date]).toEqual(['checked_in', 'standby', 's1', DAY]);
    expect(a.history[0]!.cause).toContain(officer.username);
    expect(await sys.deps.entries.hasEntry(OFFICE, NEXT_DRAW, seated.nextTicket)).toBe(false);
    expect(await sys.deps.entries.count(OFFICE, NEXT_DRAW)).toBe(entriesBefore - 1);
    expect(await sys.deps.entries.activeOf(seated.nikHash)).toBeNull();
    const record = await sys.deps.entries.forAccountByTicket(seated.accountId, seated.nextTicket);
    expect(record?.status).toBe('withdrawn');
    const audit = (await store().log(OFFICE, DAY)) as { by: string; seated: string[] }[];
    expect(audit.at(-1)).toMatchObject({ by: officer.username, seated: want });
    // Full now: seating again gives nothing.
    expect((await desk().seat(officer, OFFICE, 's1')).seated).toEqual([]);
    await expect(new CounterDesk(sys.deps).undo(officer, a.code)).rejects.toThrow(/standby/);
  });

  it('more places (rules changed on the day) go to whole groups that now fit, in line order', async () => {
    await sys.deps.offices.updateRules(
      OFFICE,
      { ...rules, sessions: [{ ...rules.sessions[0]!, capacity: 20 }, rules.sessions[1]!] },
      2,
      'test',
    );
    line = await store().line(OFFICE, DAY);
    const want = expectedSeat(line, 's1', 18); // 20 places, 2 checked in
    expect(want).toEqual(expect.arrayContaining(trio));
    const r = await desk().seat(officer, OFFICE, 's1');
    expect(r.freeBefore).toBe(18);
    expect(r.seated.map((s) => s.ticket)).toEqual(want);
  });

  it('two officers seating at once never exceed the capacity', async () => {
    sys.clock.now = wit('10:31');
    // s2's confirmed person did not come: its one place goes to standby, once.
    const eligible = expectedSeat(await store().line(OFFICE, DAY), 's2', 1);
    const [a, b] = await Promise.all([
      desk().seat(officer, OFFICE, 's2'),
      desk().seat(officer2, OFFICE, 's2'),
    ]);
    const checkedIn = (await sys.deps.appointments.forDay(OFFICE, DAY)).filter(
      (x) => x.sessionId === 's2' && x.state === 'checked_in',
    );
    expect([...a.seated, ...b.seated].map((s) => s.ticket)).toEqual(eligible);
    expect(checkedIn).toHaveLength(eligible.length);
    expect(checkedIn.length).toBeLessThanOrEqual(1);
  });
});
