// Offering a session's places to a waitlisted group is one script (appt-offer-group.lua): under concurrent
// releases a group gets every member's place or none, and a session never holds more than its capacity.
// Runs on a single Redis and on a cluster (TEST_CLUSTER=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/redis/keys.ts';
import type { OfferInput } from '../../src/store/appointments.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const OFFICE = 'jayapura';
const DRAW = '2026-11-30';

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.stop());

const input = (date: string, ticket: string, capacity: number): OfferInput => ({
  officeId: OFFICE,
  date,
  drawDate: DRAW,
  ticket,
  sessionId: 's1',
  capacity,
  deadline: Date.now() + 3_600_000,
  accountId: `acct-${ticket.slice(0, 3)}`,
  personId: `p-${ticket}`,
  nikHash: `nik-${ticket}`,
  source: 'waitlist',
  cause: 'test',
});
const group = (date: string, prefix: string, size: number, capacity: number) =>
  Array.from({ length: size }, (_, i) => input(date, `${prefix}${i}`, capacity));
const held = async (date: string) =>
  Number((await sys.redis.client.hget(keys.dayHeld(OFFICE, date), 's1')) ?? 0);
const offeredOf = async (tickets: string[]) =>
  (await sys.redis.client.hmget(keys.ticketAppointment(OFFICE, DRAW), ...tickets)).filter((c) => c !== null)
    .length;

describe('a group offer', () => {
  it('takes every member place or none while releases race', async () => {
    for (let round = 0; round < 30; round++) {
      const date = `2026-12-${String(1 + (round % 28)).padStart(2, '0')}-r${round}`;
      // 4 places: a group of 3, another group of 3 and one person all want them at once.
      const a = group(date, `A${round}x`, 3, 4);
      const b = group(date, `B${round}x`, 3, 4);
      const c = input(date, `C${round}x0`, 4);
      const [ra, rb, rc] = await Promise.all([
        sys.deps.appointments.offerGroup(a),
        sys.deps.appointments.offerGroup(b),
        sys.deps.appointments.offer(c),
      ]);
      const na = await offeredOf(a.map((m) => m.ticket));
      const nb = await offeredOf(b.map((m) => m.ticket));
      expect([0, 3]).toContain(na);
      expect([0, 3]).toContain(nb);
      expect(na === 3).toBe(ra.status === 'offered');
      expect(nb === 3).toBe(rb.status === 'offered');
      // Only one group of 3 fits 4 places; the person fits beside it.
      expect(na + nb).toBe(3);
      expect(rc.status).not.toBe('full');
      expect(await held(date)).toBe(4);
    }
  });

  it('refuses a group the free places cannot take, writing nothing', async () => {
    const date = '2026-12-29';
    await sys.deps.appointments.offer(input(date, 'Dx0', 3));
    const r = await sys.deps.appointments.offerGroup(group(date, 'Ex', 3, 3));
    expect(r).toEqual({ status: 'full' });
    expect(await held(date)).toBe(1);
    expect(await offeredOf(['Ex0', 'Ex1', 'Ex2'])).toBe(0);
  });

  it('repeated (a retried job), keeps the places it already gave and takes no more', async () => {
    const date = '2026-12-30';
    const g = group(date, 'Fx', 2, 2);
    const first = await sys.deps.appointments.offerGroup(g);
    if (first.status !== 'offered') throw new Error('full');
    expect(first.members.every((m) => m.isNew)).toBe(true);
    const again = await sys.deps.appointments.offerGroup(g);
    if (again.status !== 'offered') throw new Error('full');
    expect(again.members).toEqual(first.members.map((m) => ({ code: m.code, isNew: false })));
    expect(await held(date)).toBe(2);
  });
});
