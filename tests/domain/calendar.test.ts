import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  DRAW_SEARCH_HORIZON_DAYS,
  drawCloseInstant,
  drawCron,
  isDrawDay,
  isServiceDay,
  localDate,
  localDateTime,
  nextDraw,
  offerCutoffInstant,
  reminderInstant,
  sessionWindow,
  targetDateFor,
  zoneLabel,
} from '../../src/domain/calendar.ts';
import { defaultRules, type Rules, rulesSchema } from '../../src/domain/rules.ts';

// defaultRules: draw 19:00, daysAhead 2, Monday-Friday, cutoff 12:00, grace 30 minutes.
const rules = (over: Partial<Rules> = {}): Rules => ({ ...defaultRules, ...over });
const at = (iso: string) => new Date(iso);

// 2026-12-01 is a Tuesday, 2026-12-04 a Friday, 2027-01-01 a Friday.
const WIB = 'Asia/Jakarta';
const WITA = 'Asia/Makassar';
const WIT = 'Asia/Jayapura';

describe('zoneLabel', () => {
  it('uses the Indonesian names', () => {
    expect(zoneLabel(WIB)).toBe('WIB');
    expect(zoneLabel('Asia/Pontianak')).toBe('WIB');
    expect(zoneLabel(WITA)).toBe('WITA');
    expect(zoneLabel(WIT)).toBe('WIT');
  });

  it('falls back to the UTC offset', () => {
    expect(zoneLabel('Asia/Bangkok')).toBe('UTC+7');
    expect(zoneLabel('Asia/Kolkata')).toBe('UTC+5:30');
    expect(zoneLabel('UTC')).toBe('UTC');
    expect(zoneLabel('Europe/Berlin', at('2026-01-15T00:00:00Z'))).toBe('UTC+1');
    expect(zoneLabel('Europe/Berlin', at('2026-07-15T00:00:00Z'))).toBe('UTC+2');
  });

  it('throws on an unknown zone', () => {
    expect(() => zoneLabel('Mars/Olympus')).toThrow(RangeError);
  });
});

describe('service days and draw days', () => {
  it('a service day is a configured weekday that is not a holiday', () => {
    const r = rules({ holidays: ['2026-12-25'] });
    expect(isServiceDay(r, '2026-12-01')).toBe(true); // Tuesday
    expect(isServiceDay(r, '2026-12-05')).toBe(false); // Saturday
    expect(isServiceDay(r, '2026-12-06')).toBe(false); // Sunday
    expect(isServiceDay(r, '2026-12-25')).toBe(false); // Friday, Christmas
    expect(isServiceDay(rules({ serviceDays: [6] }), '2026-12-05')).toBe(true);
    expect(isServiceDay(rules({ serviceDays: [7] }), '2026-12-06')).toBe(true);
  });

  it('the target is drawDate + daysAhead calendar days', () => {
    expect(targetDateFor(rules(), '2026-12-01')).toBe('2026-12-03');
    expect(targetDateFor(rules({ daysAhead: 3 }), '2026-12-04')).toBe('2026-12-07');
    expect(targetDateFor(rules({ daysAhead: 30 }), '2026-12-15')).toBe('2027-01-14');
  });

  it('a Friday draw with daysAhead 3 fills Monday', () => {
    const r = rules({ daysAhead: 3 });
    expect(targetDateFor(r, '2026-12-04')).toBe('2026-12-07');
    expect(isDrawDay(r, '2026-12-04')).toBe(true);
    // Wednesday and Thursday would fill Saturday and Sunday.
    expect(isDrawDay(r, '2026-12-02')).toBe(false);
    expect(isDrawDay(r, '2026-12-03')).toBe(false);
    // Weekend draws fill Tuesday and Wednesday.
    expect(isDrawDay(r, '2026-12-05')).toBe(true);
    expect(isDrawDay(r, '2026-12-06')).toBe(true);
  });

  it('a date whose target is a weekend or holiday is not a draw day', () => {
    const r = rules({ holidays: ['2026-12-25'] });
    expect(isDrawDay(r, '2026-12-01')).toBe(true); // → Thursday
    expect(isDrawDay(r, '2026-12-03')).toBe(false); // → Saturday
    expect(isDrawDay(r, '2026-12-04')).toBe(false); // → Sunday
    expect(isDrawDay(r, '2026-12-05')).toBe(true); // Saturday → Monday
    expect(isDrawDay(r, '2026-12-23')).toBe(false); // → Christmas
    expect(isDrawDay(rules(), '2026-12-23')).toBe(true); // same date without the holiday
  });

  it('each service day has exactly one draw day', () => {
    const r = rules({ daysAhead: 3, holidays: ['2026-12-25', '2027-01-01'] });
    const drawDays: string[] = [];
    for (let d = '2026-12-01'; d < '2027-02-01'; d = addDays(d, 1)) if (isDrawDay(r, d)) drawDays.push(d);
    const targets = drawDays.map((d) => targetDateFor(r, d));
    const serviceDays: string[] = [];
    for (let d = addDays('2026-12-01', 3); d < addDays('2027-02-01', 3); d = addDays(d, 1)) {
      if (isServiceDay(r, d)) serviceDays.push(d);
    }
    expect(targets).toEqual(serviceDays);
  });

  it('crosses the year end', () => {
    const r = rules({ holidays: ['2027-01-01'] });
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(targetDateFor(r, '2026-12-30')).toBe('2027-01-01');
    expect(isDrawDay(r, '2026-12-30')).toBe(false); // → New Year
    expect(isDrawDay(r, '2026-12-31')).toBe(false); // → Saturday
    expect(isDrawDay(r, '2027-01-01')).toBe(false); // → Sunday
    expect(isDrawDay(r, '2027-01-02')).toBe(true); // → Monday 4 January
  });

  it('rejects malformed dates', () => {
    for (const bad of ['2026-02-30', '2026-2-01', '20261201', '', 'today']) {
      expect(() => isServiceDay(rules(), bad)).toThrow(RangeError);
    }
  });
});

describe('instants', () => {
  it('draw close is drawTime in office time: WIT 10:00Z, WITA 11:00Z, WIB 12:00Z', () => {
    expect(drawCloseInstant(rules(), WIT, '2026-12-01').toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(drawCloseInstant(rules(), WITA, '2026-12-01').toISOString()).toBe('2026-12-01T11:00:00.000Z');
    expect(drawCloseInstant(rules(), WIB, '2026-12-01').toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(drawCloseInstant(rules(), 'Asia/Pontianak', '2026-12-01').toISOString()).toBe(
      '2026-12-01T12:00:00.000Z',
    );
  });

  it('localDateTime and localDate round-trip, including across midnight UTC', () => {
    // 08:00 WIT is 23:00Z the day before.
    const t = localDateTime(WIT, '2027-01-01', '08:00');
    expect(t.toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(localDate(WIT, t)).toBe('2027-01-01');
    expect(localDate('UTC', t)).toBe('2026-12-31');
    expect(localDate(WIB, at('2026-12-31T16:59:59Z'))).toBe('2026-12-31');
    expect(localDate(WIB, at('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(localDate(WITA, at('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(localDate(WITA, at('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('localDateTime rejects bad input', () => {
    expect(() => localDateTime('Nowhere/City', '2026-12-01', '19:00')).toThrow(RangeError);
    expect(() => localDateTime(WIB, '2026-13-01', '19:00')).toThrow(RangeError);
    expect(() => localDateTime(WIB, '2026-12-01', '24:00')).toThrow(RangeError);
    expect(() => localDateTime(WIB, '2026-12-01', '7:00')).toThrow(RangeError);
    expect(() => localDate('Nowhere/City', new Date())).toThrow(RangeError);
  });

  it('offer cutoff is the calendar day before the target at cutoffTimeDayBefore', () => {
    expect(offerCutoffInstant(rules(), WIB, '2026-12-03').toISOString()).toBe('2026-12-02T05:00:00.000Z');
    expect(offerCutoffInstant(rules(), WIT, '2026-12-03').toISOString()).toBe('2026-12-02T03:00:00.000Z');
    // A Monday's cutoff falls on Sunday, not on the previous service day.
    expect(offerCutoffInstant(rules(), WITA, '2026-12-07').toISOString()).toBe('2026-12-06T04:00:00.000Z');
    expect(offerCutoffInstant(rules({ cutoffTimeDayBefore: '18:30' }), WIB, '2027-01-01').toISOString()).toBe(
      '2026-12-31T11:30:00.000Z',
    );
  });

  it('the reminder goes a lead before the cut-off, by default the offer window plus an hour', () => {
    // WIB cut-off 12:00 = 05:00Z; default lead 3 h + 1 h.
    expect(reminderInstant(rules(), WIB, '2026-12-03').toISOString()).toBe('2026-12-02T01:00:00.000Z');
    expect(reminderInstant(rules({ reminderLeadHours: 6 }), WIB, '2026-12-03').toISOString()).toBe(
      '2026-12-01T23:00:00.000Z',
    );
    expect(rulesSchema.safeParse(rules({ reminderLeadHours: 6 })).success).toBe(true);
    // Shorter than the offer window: a seat given back could not get a full offer before the cut-off.
    const short = rulesSchema.safeParse(rules({ reminderLeadHours: 2 }));
    expect(short.success).toBe(false);
    expect(short.error?.issues[0]?.path).toEqual(['reminderLeadHours']);
  });

  it('session window with check-in grace', () => {
    const w = sessionWindow(rules(), WIB, '2026-12-03', 'pagi-1');
    expect(w).toEqual({
      start: at('2026-12-03T01:00:00Z'),
      end: at('2026-12-03T03:00:00Z'),
      checkInUntil: at('2026-12-03T03:30:00Z'),
      // The standby moment (default 30 min after the start): a confirmed holder arrives by then.
      arriveBy: at('2026-12-03T01:30:00Z'),
    });
    const wit = sessionWindow(rules({ checkInGraceMinutes: 0 }), WIT, '2026-12-03', 'siang-2');
    expect(wit).toEqual({
      start: at('2026-12-03T05:30:00Z'),
      end: at('2026-12-03T07:00:00Z'),
      checkInUntil: at('2026-12-03T07:00:00Z'),
      arriveBy: at('2026-12-03T06:00:00Z'),
    });
    expect(sessionWindow(rules(), WITA, '2026-12-03', 'pagi-1')?.start.toISOString()).toBe(
      '2026-12-03T00:00:00.000Z',
    );
    expect(sessionWindow(rules(), WIB, '2026-12-03', 'malam')).toBeNull();
  });

  it('drawCron', () => {
    expect(drawCron(rules())).toBe('0 19 * * *');
    expect(drawCron(rules({ drawTime: '07:05' }))).toBe('5 7 * * *');
    expect(drawCron(rules({ drawTime: '00:00' }))).toBe('0 0 * * *');
    expect(drawCron(rules({ drawTime: '23:59' }))).toBe('59 23 * * *');
    expect(() => drawCron(rules({ drawTime: '25:00' }))).toThrow(RangeError);
  });
});

describe('nextDraw', () => {
  it('one second before close belongs to today’s draw, at or after close to the next', () => {
    expect(nextDraw(rules(), WIB, at('2026-12-01T11:59:59Z'))).toEqual({
      drawDate: '2026-12-01',
      targetDate: '2026-12-03',
      closesAt: '2026-12-01T12:00:00.000Z',
      closesAtLocal: '2026-12-01 19:00',
      zoneLabel: 'WIB',
    });
    for (const now of ['2026-12-01T12:00:00Z', '2026-12-01T12:00:01Z']) {
      expect(nextDraw(rules(), WIB, at(now))).toMatchObject({
        drawDate: '2026-12-02',
        targetDate: '2026-12-04',
        closesAt: '2026-12-02T12:00:00.000Z',
      });
    }
  });

  it.each([
    [WIT, 'WIT', '2026-12-01T10:00:00.000Z'],
    [WITA, 'WITA', '2026-12-01T11:00:00.000Z'],
    [WIB, 'WIB', '2026-12-01T12:00:00.000Z'],
  ])('closes at 19:00 local in %s', (tz, label, closesAt) => {
    const close = at(closesAt);
    const before = nextDraw(rules(), tz, new Date(close.getTime() - 1000));
    expect(before).toEqual({
      drawDate: '2026-12-01',
      targetDate: '2026-12-03',
      closesAt,
      closesAtLocal: '2026-12-01 19:00',
      zoneLabel: label,
    });
    expect(nextDraw(rules(), tz, new Date(close.getTime() + 1000))?.drawDate).toBe('2026-12-02');
  });

  it('uses the office’s local date, not UTC’s', () => {
    // 2026-12-01T15:30Z is already 00:30 on 2 December in WIT (but still 1 December in UTC and WIB).
    expect(nextDraw(rules(), WIT, at('2026-12-01T15:30:00Z'))?.drawDate).toBe('2026-12-02');
    expect(nextDraw(rules(), WIB, at('2026-12-01T15:30:00Z'))?.drawDate).toBe('2026-12-02');
    expect(nextDraw(rules({ drawTime: '23:30' }), WIB, at('2026-12-01T15:30:00Z'))?.drawDate).toBe(
      '2026-12-01',
    );
    expect(nextDraw(rules({ drawTime: '23:30' }), WIT, at('2026-12-01T15:30:00Z'))?.drawDate).toBe(
      '2026-12-02',
    );
  });

  it('skips dates whose target is a weekend: after Wednesday’s draw comes Saturday’s', () => {
    // Thursday and Friday would fill Saturday and Sunday.
    expect(nextDraw(rules(), WIB, at('2026-12-02T12:00:00Z'))).toMatchObject({
      drawDate: '2026-12-05',
      targetDate: '2026-12-07',
    });
  });

  it('after Friday’s close with daysAhead 3 the next draw is Saturday’s, for Tuesday', () => {
    const r = rules({ daysAhead: 3 });
    expect(nextDraw(r, WITA, at('2026-12-04T10:59:59Z'))).toMatchObject({
      drawDate: '2026-12-04',
      targetDate: '2026-12-07',
      zoneLabel: 'WITA',
    });
    expect(nextDraw(r, WITA, at('2026-12-04T11:00:00Z'))).toMatchObject({
      drawDate: '2026-12-05',
      targetDate: '2026-12-08',
    });
  });

  it('crosses the year end and skips holidays', () => {
    const r = rules({ holidays: ['2026-12-25', '2027-01-01'] });
    // Tuesday 29 December fills Thursday 31; Wednesday 30 would fill New Year.
    expect(nextDraw(r, WIT, at('2026-12-29T09:00:00Z'))).toMatchObject({
      drawDate: '2026-12-29',
      targetDate: '2026-12-31',
    });
    expect(nextDraw(r, WIT, at('2026-12-29T10:00:00Z'))).toEqual({
      drawDate: '2027-01-02',
      targetDate: '2027-01-04',
      closesAt: '2027-01-02T10:00:00.000Z',
      closesAtLocal: '2027-01-02 19:00',
      zoneLabel: 'WIT',
    });
    // Christmas: 23 December is skipped.
    expect(nextDraw(r, WIB, at('2026-12-22T12:00:00Z'))?.drawDate).toBe('2026-12-26');
  });

  describe('horizon', () => {
    const now = at('2026-12-01T00:00:00Z');
    const allWednesdays = (from: string, days: number) => {
      const out: string[] = [];
      for (let d = from, i = 0; i < days; d = addDays(d, 1), i++) {
        if (DateTime.fromISO(d).weekday === 3) out.push(d);
      }
      return out;
    };

    it('returns null when every service day within the horizon is a holiday', () => {
      const r = rules({ serviceDays: [3], holidays: allWednesdays('2026-12-01', 420) });
      expect(nextDraw(r, WIB, now)).toBeNull();
    });

    it('finds the last draw day inside the horizon but not one beyond it', () => {
      const lastDrawDate = addDays('2026-12-01', DRAW_SEARCH_HORIZON_DAYS);
      // Pick a daysAhead that makes the horizon's last date a draw day for a Wednesday.
      const weekday = DateTime.fromISO(lastDrawDate).weekday;
      const daysAhead = ((3 - weekday + 7) % 7) + 7;
      const target = addDays(lastDrawDate, daysAhead);
      const holidays = allWednesdays('2026-12-01', 450).filter((d) => d !== target);
      expect(nextDraw(rules({ serviceDays: [3], daysAhead, holidays }), WIB, now)).toMatchObject({
        drawDate: lastDrawDate,
        targetDate: target,
      });
      const beyond = allWednesdays('2026-12-01', 450).filter((d) => d !== addDays(target, 7));
      expect(nextDraw(rules({ serviceDays: [3], daysAhead, holidays: beyond }), WIB, now)).toBeNull();
    });
  });

  it('property: the result is the first open draw and its target is a service day', () => {
    const rulesArb = fc.record({
      daysAhead: fc.integer({ min: 1, max: 30 }),
      serviceDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      drawTime: fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      holidays: fc.uniqueArray(
        fc.integer({ min: 0, max: 60 }).map((i) => addDays('2026-11-25', i)),
        { maxLength: 30 },
      ),
    });
    fc.assert(
      fc.property(
        rulesArb,
        fc.constantFrom(WIB, WITA, WIT),
        fc.date({ min: at('2026-11-25T00:00:00Z'), max: at('2027-01-10T00:00:00Z'), noInvalidDate: true }),
        (over, tz, now) => {
          const r = rules(over);
          const next = nextDraw(r, tz, now);
          expect(next).not.toBeNull();
          if (!next) return;
          expect(isDrawDay(r, next.drawDate)).toBe(true);
          expect(isServiceDay(r, next.targetDate)).toBe(true);
          expect(next.targetDate).toBe(targetDateFor(r, next.drawDate));
          const closes = at(next.closesAt);
          expect(closes.getTime()).toBeGreaterThan(now.getTime());
          expect(closes).toEqual(drawCloseInstant(r, tz, next.drawDate));
          expect(next.closesAtLocal).toBe(`${next.drawDate} ${r.drawTime}`);
          for (let d = localDate(tz, now); d < next.drawDate; d = addDays(d, 1)) {
            if (isDrawDay(r, d))
              expect(drawCloseInstant(r, tz, d).getTime()).toBeLessThanOrEqual(now.getTime());
          }
          // An entry made exactly at close already belongs to a later draw.
          expect(nextDraw(r, tz, closes)?.drawDate ?? '9999-12-31').not.toBe(next.drawDate);
        },
      ),
      { numRuns: 300 },
    );
  });
});
