import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STANDBY_AFTER_MINUTES, defaultRules, type Rules } from '../../src/domain/rules.ts';
import type { NotificationRequest } from '../../src/notify/request.ts';
import { render } from '../../src/notify/templates.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { jobIds } from '../../src/services/lifecycle/index.ts';
import { unpackEntry } from '../../src/store/entry-codec.ts';
import { lifecycleProcessor } from '../../workers/lifecycle.ts';
import { call, signInApplicant, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

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
  confirmationWindowHours: 12,
  waitlistOfferWindowHours: 3,
  noShow: { penaltyFactor: 0.5, strikeDays: 90, strikesForBan: 2, banDays: 30 },
};

async function join(accountId: string, i: number, prefs: string[] | null, drawDate = DRAW, targetDate = DAY) {
  // The account's person record: carrying an entry over reads the person's birth date from it.
  const person = { id: `p${i}`, nikHash: `nik-${i}`, nikMasked: '', name: 'Warga', birthDate: '1980-01-01' };
  await sys.redis.client.hset(
    keys.accountPersons(accountId),
    person.id,
    JSON.stringify({ ...person, category: null, createdAt: sys.clock.now.toISOString() }),
  );
  const r = await sys.deps.entries.join({
    accountId,
    personId: `p${i}`,
    nikHash: `nik-${i}`,
    birthDate: '1980-01-01',
    category: null,
    officeId: OFFICE,
    drawDate,
    targetDate,
    prefs,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.entry.ticket;
}

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = MONDAY_10_WIT;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.offices.updateRules(OFFICE, rules, 1, 'test');
});
afterAll(() => sys.stop());

interface Scheduled {
  name: string;
  data: object;
  opts: { jobId: string; delay: number };
}

describe('from win to visit', () => {
  const accounts: Record<string, string> = {};
  const added: Scheduled[] = [];
  let codes: string[] = [];

  it('draw winners get offers with a deadline; the rest form the waitlist', async () => {
    for (let i = 0; i < 10; i++) {
      accounts[`a${i}`] = `acct${i}`;
      await join(`acct${i}`, i, i === 5 ? ['s2'] : null);
    }
    await new DrawRunner(sys.deps).run(OFFICE, DRAW);
    // A queue that records the delayed jobs fanout schedules (no workers run in this file).
    sys.deps.queues = {
      lifecycle: {
        add: async (name: string, data: object, opts: Scheduled['opts']) =>
          void added.push({ name, data, opts }),
      },
    } as never;
    const fan = await sys.deps.lifecycle.fanout(OFFICE, DRAW).finally(() => {
      sys.deps.queues = undefined;
    });
    expect(fan).toEqual({ offered: 3, waitlisted: 7 });
    // fan-out again: nothing new
    expect(await sys.deps.lifecycle.fanout(OFFICE, DRAW)).toEqual({ offered: 3, waitlisted: 7 });
    const appts = await sys.deps.appointments.forDay(OFFICE, DAY);
    expect(appts).toHaveLength(3);
    expect(await sys.deps.appointments.held(OFFICE, DAY)).toEqual({ s1: 2, s2: 1 });
    for (const a of appts) {
      expect(a.state).toBe('offered');
      expect(a.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
      // 12 h window, but never past the cut-off (Tue 12:00 WIT = 03:00Z)
      expect(a.deadline).toBe(Date.parse('2026-11-30T13:00:00Z'));
    }
    codes = appts.map((a) => a.code);
    expect(await sys.deps.appointments.waitlist(OFFICE, DAY)).toHaveLength(7);
  });

  it('confirm works once and only before the deadline; cancel releases to the waitlist', async () => {
    const [a, b] = await Promise.all(codes.slice(0, 2).map((c) => sys.deps.appointments.byCode(c)));
    const confirmed = await sys.deps.lifecycle.confirm(a!.accountId, a!.code);
    expect(confirmed.state).toBe('confirmed');
    expect((await sys.deps.lifecycle.confirm(a!.accountId, a!.code)).state).toBe('confirmed');
    await expect(sys.deps.lifecycle.confirm('someone-else', a!.code)).rejects.toThrow(/not found/);

    const waitBefore = await sys.deps.appointments.waitlist(OFFICE, DAY);
    await sys.deps.lifecycle.cancel(b!.accountId, b!.code);
    const after = await sys.deps.appointments.forDay(OFFICE, DAY);
    const fromWaitlist = after.filter((x) => x.source === 'waitlist');
    expect(fromWaitlist).toHaveLength(1);
    expect(fromWaitlist[0]!.sessionId).toBe(b!.sessionId);
    // 3 h waitlist window
    expect(fromWaitlist[0]!.deadline).toBe(MONDAY_10_WIT.getTime() + 3 * 3600_000);
    // the best-ranked waitlisted ticket whose preferences allow that session got it
    const packed = await sys.deps.entries.packedEntries(OFFICE, DRAW, waitBefore);
    const firstCompatible = waitBefore.find((_, i) => {
      const { prefs } = unpackEntry(packed[i]!);
      return prefs === null || prefs.includes(b!.sessionId);
    });
    expect(fromWaitlist[0]!.ticket).toBe(firstCompatible);
    const held = await sys.deps.appointments.held(OFFICE, DAY);
    expect(held.s1! + held.s2!).toBe(3);
    // A retried fan-out does not put the ticket the released place reached back on the waitlist.
    await sys.deps.lifecycle.fanout(OFFICE, DRAW);
    const waitAfter = await sys.deps.appointments.waitlist(OFFICE, DAY);
    expect(waitAfter).toHaveLength(waitBefore.length - 1);
    expect(waitAfter).not.toContain(fromWaitlist[0]!.ticket);
  });

  it('forfeit at the deadline via the sweep, never twice, and the place goes on', async () => {
    sys.clock.now = new Date('2026-11-30T13:00:00Z');
    const offeredBefore = (await sys.deps.appointments.forDay(OFFICE, DAY)).filter(
      (a) => a.state === 'offered',
    );
    expect(offeredBefore.length).toBeGreaterThan(0);
    const n = await sys.deps.lifecycle.sweep();
    expect(n).toBe(offeredBefore.length);
    expect(await sys.deps.lifecycle.sweep()).toBe(0);
    for (const a of offeredBefore) expect(await sys.deps.lifecycle.forfeit(OFFICE, a.code)).toBe(false);
    const all = await sys.deps.appointments.forDay(OFFICE, DAY);
    for (const a of offeredBefore) expect(all.find((x) => x.code === a.code)!.state).toBe('forfeited');
    const held = await sys.deps.appointments.held(OFFICE, DAY);
    const holding = all.filter((a) => ['offered', 'confirmed', 'checked_in'].includes(a.state));
    expect(held.s1! + held.s2!).toBe(holding.length);
    expect(held.s1!).toBeLessThanOrEqual(2);
    expect(held.s2!).toBeLessThanOrEqual(1);
  });

  it('the reminder job runs before the cut-off, says until when, and a cancellation it prompts is re-offered', async () => {
    // Fanout (Mon 10:00 WIT) scheduled it: the cut-off Tue 12:00 WIT (03:00Z) less the default lead,
    // the 3 h offer window plus an hour to answer = Tue 08:00 WIT.
    const reminderAt = Date.parse('2026-11-30T23:00:00Z');
    const original = sys.deps.notifications;
    const sent: NotificationRequest[] = [];
    const job = added.find((j) => j.opts.jobId === jobIds.reminder(OFFICE, DAY));
    expect(job?.name).toBe('reminder');
    expect(job!.opts.delay).toBe(reminderAt - MONDAY_10_WIT.getTime());
    sys.deps.notifications = { enqueue: async (r) => void sent.push(r) };
    sys.clock.now = new Date(reminderAt);
    try {
      // The job as the lifecycle worker runs it.
      expect(await lifecycleProcessor(sys.deps)(job as never)).toEqual({ reminded: 1 });
      const confirmed = (await sys.deps.appointments.forDay(OFFICE, DAY)).filter(
        (a) => a.state === 'confirmed',
      );
      expect(sent.map((r) => `${r.template}:${r.event}`)).toEqual(
        confirmed.map((a) => `reminder:reminder.${a.code}`),
      );
      const text = render('reminder', 'en', sent[0]!.vars).text;
      expect(text).toContain('Cancel before Tuesday 1 December 2026 12:00 WIT');
      // The holder cannot come and answers half an hour later: the seat goes to the waitlist's head,
      // whose offer runs its full 3 h window before the cut-off.
      const holder = confirmed[0]!;
      // The best-ranked waitlisted ticket whose session preferences allow the holder's session.
      const waiting = await sys.deps.appointments.waitlist(OFFICE, DAY);
      const packed = await sys.deps.entries.packedEntries(OFFICE, DRAW, waiting);
      const head = waiting.find((_, i) => {
        const { prefs } = unpackEntry(packed[i]!);
        return prefs === null || prefs.includes(holder.sessionId);
      });
      expect(head).toBeDefined();
      sys.clock.now = new Date(reminderAt + 1800_000);
      await sys.deps.lifecycle.cancel(holder.accountId, holder.code);
      const offer = (await sys.deps.appointments.forDay(OFFICE, DAY)).find(
        (a) => a.source === 'waitlist' && a.state === 'offered' && a.ticket === head,
      );
      expect(offer?.sessionId).toBe(holder.sessionId);
      expect(offer!.deadline).toBe(reminderAt + 1800_000 + 3 * 3600_000);
      expect((await sys.deps.lifecycle.confirm(offer!.accountId, offer!.code)).state).toBe('confirmed');
    } finally {
      sys.deps.notifications = original;
    }
  });

  it('after the cut-off nothing is offered and nothing can be cancelled online', async () => {
    sys.clock.now = new Date('2026-12-01T03:00:00Z');
    const all = await sys.deps.appointments.forDay(OFFICE, DAY);
    const confirmed = all.find((a) => a.state === 'confirmed')!;
    await expect(sys.deps.lifecycle.cancel(confirmed.accountId, confirmed.code)).rejects.toThrow(
      /no longer be cancelled/,
    );
    expect(await sys.deps.lifecycle.offerNext(OFFICE, DAY, 's1', confirmed.code)).toBeNull();
  });

  it('the waitlist closes at the cut-off: remaining entries are carried into the next draw with a bigger weight', async () => {
    const left = await sys.deps.appointments.waitlist(OFFICE, DAY);
    expect(left.length).toBeGreaterThan(0);
    const r = await sys.deps.lifecycle.closeWaitlist(OFFICE, DAY, DRAW);
    expect(r.carried).toBe(left.length);
    expect(await sys.deps.appointments.waitlist(OFFICE, DAY)).toHaveLength(0);
    // Tue 12:00 WIT: the next draw is Tue 2026-12-01 19:00 → Thu 12-03
    const next = await sys.deps.draws.meta(OFFICE, '2026-12-01');
    expect(next?.state).toBe('open');
    expect(await sys.deps.entries.count(OFFICE, '2026-12-01')).toBe(left.length);
    const preview = await new DrawRunner(sys.deps).preview(OFFICE, '2026-12-01');
    expect(preview.entries).toBe(left.length);
  });
});

describe('check-in and no-shows', () => {
  let admin: Record<string, string>;
  let officer: Record<string, string>;
  let stranger: Record<string, string>;
  let confirmedCode: string;
  let cancelledCode: string;

  beforeAll(async () => {
    admin = await signInStaff(sys, { username: 'li-admin', role: 'admin' });
    officer = await signInStaff(sys, { username: 'li-officer', role: 'officer', officeId: OFFICE });
    stranger = await signInStaff(sys, { username: 'li-other', role: 'officer', officeId: 'medan' });
    const all = await sys.deps.appointments.forDay(OFFICE, DAY);
    confirmedCode = all.find((a) => a.state === 'confirmed')!.code;
    cancelledCode = all.find((a) => a.state === 'cancelled')!.code;
  });

  it('refuses the wrong office, the wrong day, bad codes and cancelled appointments', async () => {
    sys.clock.now = new Date('2026-12-01T23:30:00Z'); // Wed 08:30 WIT, but check wrong office first
    const wrongOffice = await call(sys, 'POST', '/api/officer/check-in', { code: confirmedCode }, stranger);
    // The holder of a code may hear which office it is for (so the officer can send them there).
    expect(wrongOffice.status).toBe(409);
    expect(wrongOffice.body.error.code).toBe('wrong_office');
    const bad = await call(sys, 'POST', '/api/officer/check-in', { code: 'hello' }, officer);
    expect(bad.status).toBe(400);
    const unknown = await call(sys, 'POST', '/api/officer/check-in', { code: 'ZZZZZZZZZZ' }, officer);
    expect(unknown.status).toBe(404);
    const cancelled = await call(sys, 'POST', '/api/officer/check-in', { code: cancelledCode }, officer);
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error.code).toBe('not_confirmed');
    sys.clock.now = new Date('2026-11-30T23:30:00Z'); // the day before
    const wrongDay = await call(sys, 'POST', '/api/officer/check-in', { code: confirmedCode }, officer);
    expect(wrongDay.body.error.code).toBe('wrong_day');
    expect((await call(sys, 'POST', '/api/officer/check-in', { code: confirmedCode })).status).toBe(401);
    expect((await sys.deps.appointments.byCode(confirmedCode))!.state).toBe('confirmed');
  });

  it('checks in within the window, shows name and masked NIK field, refuses reuse', async () => {
    const a = (await sys.deps.appointments.byCode(confirmedCode))!;
    const window = a.sessionId === 's1' ? '2026-12-01T23:30:00Z' : '2026-12-02T01:30:00Z';
    sys.clock.now = new Date(window);
    const ok = await call(
      sys,
      'POST',
      '/api/officer/check-in',
      { code: `FAIRSLOT:${confirmedCode}:${OFFICE}:${DAY}` },
      officer,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.appointment).toMatchObject({
      code: confirmedCode,
      state: 'checked_in',
      identity: 'shape',
    });
    expect(ok.body.appointment).toHaveProperty('nikMasked');
    const again = await call(
      sys,
      'POST',
      '/api/officer/check-in',
      { code: confirmedCode.toLowerCase() },
      officer,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_checked_in');
    const sheet = await call(sys, 'GET', `/api/officer/day-sheet?date=${DAY}`, undefined, officer);
    expect(sheet.status).toBe(200);
    const total = sheet.body.sessions.reduce((n: number, s: any) => n + s.checkedIn, 0);
    expect(total).toBe(1);
    const adminSheet = await call(
      sys,
      'GET',
      `/api/officer/day-sheet?office=${OFFICE}&date=${DAY}`,
      undefined,
      admin,
    );
    expect(adminSheet.status).toBe(200);
    expect(
      (await call(sys, 'GET', `/api/officer/day-sheet?office=${OFFICE}`, undefined, stranger)).status,
    ).toBe(403);
  });

  it('no-shows get strikes; strikes lower the weight in the next draw and enough of them ban', async () => {
    // A fresh day with two confirmed appointments for the same person on different days is not possible
    // (one active appointment), so strike twice across two draws.
    const day2Draw = '2026-12-07';
    const day2 = '2026-12-09';
    sys.clock.now = new Date('2026-12-07T01:00:00Z');
    const t = await join('acct-ns', 99, null, day2Draw, day2);
    await new DrawRunner(sys.deps).run(OFFICE, day2Draw);
    await sys.deps.lifecycle.fanout(OFFICE, day2Draw);
    const a = (await sys.deps.appointments.forDay(OFFICE, day2)).find((x) => x.ticket === t)!;
    await sys.deps.lifecycle.confirm('acct-ns', a.code);
    // before the window ends nothing happens
    expect(await sys.deps.lifecycle.markNoShows(OFFICE, day2, a.sessionId)).toBe(0);
    sys.clock.now = new Date('2026-12-09T04:00:00Z'); // 13:00 WIT, after both sessions + 30 min
    expect(await sys.deps.lifecycle.markNoShows(OFFICE, day2, a.sessionId)).toBe(1);
    expect(await sys.deps.lifecycle.markNoShows(OFFICE, day2, a.sessionId)).toBe(0);
    expect((await sys.deps.appointments.byCode(a.code))!.state).toBe('no_show');
    const penalties = await sys.deps.draws.penalties();
    expect(penalties.get('nik-99')).toBeGreaterThan(sys.clock.now.getTime());

    // Next draw: the person may enter again, with the penalty factor applied to the weight.
    sys.clock.now = new Date('2026-12-10T01:00:00Z');
    const t2 = await join('acct-ns', 99, null, '2026-12-10', '2026-12-12');
    await join('acct-other', 100, null, '2026-12-10', '2026-12-12');
    await new DrawRunner(sys.deps).run(OFFICE, '2026-12-10');
    const frozen = (await sys.deps.draws.frozen(OFFICE, '2026-12-10'))!;
    expect(frozen).toContain(`${t2}\t0.5\t*`);
    await sys.deps.lifecycle.fanout(OFFICE, '2026-12-10');
    const a2 = (await sys.deps.appointments.forDay(OFFICE, '2026-12-12')).find((x) => x.ticket === t2)!;
    await sys.deps.lifecycle.confirm('acct-ns', a2.code);
    sys.clock.now = new Date('2026-12-12T04:00:00Z');
    await sys.deps.lifecycle.markNoShows(OFFICE, '2026-12-12', a2.sessionId);
    // second strike within 90 days → banned for 30 days
    const banned = Number(await sys.redis.client.hget(keys.nik('nik-99'), 'bannedUntil'));
    expect(banned).toBe(sys.clock.now.getTime() + 30 * 86_400_000);
    const r = await sys.deps.entries.join({
      accountId: 'acct-ns',
      personId: 'p99',
      nikHash: 'nik-99',
      birthDate: '1980-01-01',
      category: null,
      officeId: OFFICE,
      drawDate: '2026-12-14',
      targetDate: '2026-12-16',
      prefs: null,
    });
    expect(r).toMatchObject({ ok: false, reason: 'banned' });
  });
});

describe('admin figures', () => {
  it('per-day stats: entries, fill, confirmation and show rates, forfeits, waitlist offers', async () => {
    const admin = await signInStaff(sys, { username: 'stats-admin', role: 'admin' });
    const res = await call(sys, 'GET', `/api/admin/draws/${OFFICE}/stats?days=30`, undefined, admin);
    expect(res.status).toBe(200);
    const first = res.body.days.find((d: any) => d.drawDate === DRAW);
    // Two cancellations: one on the day of the draw, one answering the reminder.
    expect(first).toMatchObject({ entries: 10, quota: 3, cancellations: 2, checkedIn: 1 });
    expect(first.forfeits).toBeGreaterThan(0);
    expect(first.waitlistOffers).toBeGreaterThan(0);
    expect(first.showRate).toBe(1);
    const ns = res.body.days.find((d: any) => d.drawDate === '2026-12-07');
    expect(ns).toMatchObject({ noShows: 1, showRate: 0 });
    expect(
      (await call(sys, 'GET', `/api/admin/draws/${OFFICE}/stats?days=abc`, undefined, admin)).status,
    ).toBe(400);
  });
});

describe('through HTTP', () => {
  it('an applicant sees the offer, confirms it and gets the QR payload; bad codes are 404', async () => {
    sys.clock.now = new Date('2026-12-14T01:00:00Z');
    const h = await signInApplicant(sys, 'winner@example.com');
    const { exampleNik } = await import('../../src/domain/nik.ts');
    const p = await call(
      sys,
      'POST',
      '/api/me/persons',
      {
        nik: exampleNik({ birthDate: '1985-01-02', sex: 'F', serial: 9 }),
        name: 'Sari',
        birthDate: '1985-01-02',
      },
      h,
    );
    const { powFor } = await import('../support/system.ts');
    const j = await call(
      sys,
      'POST',
      '/api/me/entries',
      { personId: p.body.person.id, officeId: OFFICE, prefs: ['s2'], pow: await powFor(sys, 'entry') },
      h,
    );
    expect(j.status).toBe(201);
    await new DrawRunner(sys.deps).run(OFFICE, j.body.entry.drawDate);
    await sys.deps.lifecycle.fanout(OFFICE, j.body.entry.drawDate);
    const list = await call(sys, 'GET', '/api/me/appointments', undefined, h);
    expect(list.body.appointments).toHaveLength(1);
    const appt = list.body.appointments[0];
    expect(appt).toMatchObject({
      state: 'offered',
      sessionId: 's2',
      zoneLabel: 'WIT',
      person: { name: 'Sari' },
    });
    expect(appt.qr).toBe(`FAIRSLOT:${appt.code}:${OFFICE}:${appt.date}`);
    // The office keeps a standby line (the default): the page says until when the place waits for them.
    expect(Date.parse(appt.arriveBy) - Date.parse(appt.start)).toBe(DEFAULT_STANDBY_AFTER_MINUTES * 60_000);
    const entries = await call(sys, 'GET', '/api/me/entries', undefined, h);
    expect(entries.body.entries[0]).toMatchObject({ status: 'won', sessionId: 's2' });
    const conf = await call(sys, 'POST', `/api/me/appointments/${appt.code}/confirm`, {}, h);
    expect(conf.status).toBe(200);
    expect(conf.body.appointment.state).toBe('confirmed');
    expect((await call(sys, 'POST', '/api/me/appointments/NOPE/confirm', {}, h)).status).toBe(404);
    const ics = await call(sys, 'GET', `/api/me/appointments/${appt.code}/ics`, undefined, h);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    // s2 is 10:00-12:00 WIT on the appointment day
    expect(ics.body).toContain(`DTSTART;TZID=Asia/Jayapura:${appt.date.replace(/-/g, '')}T100000`);
    const qr = await sys.app.request(`/api/me/appointments/${appt.code}/qr.svg`, { headers: h });
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
    const other = await signInApplicant(sys, 'nosy@example.com');
    expect((await call(sys, 'GET', `/api/me/appointments/${appt.code}/ics`, undefined, other)).status).toBe(
      404,
    );
    expect(
      (await call(sys, 'POST', `/api/me/appointments/${appt.code}/confirm`, {}, { cookie: h.cookie! }))
        .status,
    ).toBe(403);
  });
});
