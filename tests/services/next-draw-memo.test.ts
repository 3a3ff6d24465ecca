// The join path memoises the calendar's next draw; it must never answer differently from it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextDraw } from '../../src/domain/calendar.ts';
import { defaultRules, type Rules } from '../../src/domain/rules.ts';
import { nextDrawMemo } from '../../src/services/open-draw.ts';

const ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];
const START = Date.parse('2026-12-01T00:00:00Z');
const HOUR = 3_600_000;

describe('nextDrawMemo', () => {
  it('equals nextDraw for any sequence of times, zones and rule objects', () => {
    const holidaysRules: Rules = { ...defaultRules, holidays: ['2026-12-25', '2026-12-24'] };
    const lateRules: Rules = { ...defaultRules, drawTime: '23:30', daysAhead: 1 };
    const variants = [defaultRules, holidaysRules, lateRules];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // Mostly forward in small steps (as joins are), sometimes backwards (injected clocks in tests).
            stepMs: fc.integer({ min: -6 * HOUR, max: 30 * HOUR }),
            zone: fc.constantFrom(...ZONES),
            rules: fc.constantFrom(...variants),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (steps) => {
          let t = START;
          for (const s of steps) {
            t += s.stepMs;
            const at = new Date(t);
            expect(nextDrawMemo(s.rules, s.zone, at)).toEqual(nextDraw(s.rules, s.zone, at));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers exactly at and just after a close with the following draw', () => {
    const first = nextDrawMemo(defaultRules, 'Asia/Jakarta', new Date(START))!;
    const close = Date.parse(first.closesAt);
    expect(nextDrawMemo(defaultRules, 'Asia/Jakarta', new Date(close - 1))!.drawDate).toBe(first.drawDate);
    const after = nextDrawMemo(defaultRules, 'Asia/Jakarta', new Date(close))!;
    expect(after.drawDate).not.toBe(first.drawDate);
    expect(after).toEqual(nextDraw(defaultRules, 'Asia/Jakarta', new Date(close)));
  });
});
