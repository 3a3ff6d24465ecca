// The standby delay is a rule: optional (absent: the default), null for no standby, and it must fall
// inside every session's check-in window (after it nobody is at the counter to be seated).
import { describe, expect, it } from 'vitest';
import { sessionWindow, standbyMoment } from '../../src/domain/calendar.ts';
import {
  DEFAULT_STANDBY_AFTER_MINUTES,
  defaultRules,
  rulesSchema,
  standbyAfterMinutes,
} from '../../src/domain/rules.ts';

describe('standbyAfterMinutes', () => {
  it('defaults when absent, is off when null', () => {
    const { standbyAfterMinutes: _, ...old } = defaultRules;
    expect(rulesSchema.safeParse(old).success).toBe(true);
    expect(standbyAfterMinutes(old as { standbyAfterMinutes?: number | null })).toBe(
      DEFAULT_STANDBY_AFTER_MINUTES,
    );
    expect(standbyAfterMinutes({ standbyAfterMinutes: null })).toBeNull();
    expect(
      standbyMoment({ ...defaultRules, standbyAfterMinutes: null }, 'Asia/Jakarta', '2026-12-02', 'pagi-1'),
    ).toBeNull();
    expect(standbyMoment(defaultRules, 'Asia/Jakarta', '2026-12-02', 'pagi-1')?.toISOString()).toBe(
      '2026-12-02T01:30:00.000Z',
    );
  });

  it('is when a confirmed holder must have arrived; without standby, the end of check-in', () => {
    const w = sessionWindow(defaultRules, 'Asia/Jakarta', '2026-12-02', 'pagi-1')!;
    expect(w.arriveBy.toISOString()).toBe('2026-12-02T01:30:00.000Z');
    expect(w.checkInUntil > w.arriveBy).toBe(true);
    const off = sessionWindow(
      { ...defaultRules, standbyAfterMinutes: null },
      'Asia/Jakarta',
      '2026-12-02',
      'pagi-1',
    )!;
    expect(off.arriveBy).toEqual(off.checkInUntil);
  });

  it('is refused beyond a session’s check-in window', () => {
    // Sessions of 90 minutes (siang-1) plus 30 minutes of grace: 120 fits, 121 does not.
    expect(rulesSchema.safeParse({ ...defaultRules, standbyAfterMinutes: 120 }).success).toBe(true);
    const r = rulesSchema.safeParse({ ...defaultRules, standbyAfterMinutes: 121 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['standbyAfterMinutes']);
    expect(rulesSchema.safeParse({ ...defaultRules, standbyAfterMinutes: -1 }).success).toBe(false);
  });
});
