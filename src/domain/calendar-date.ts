// Calendar dates as every route and rule takes them: 'YYYY-MM-DD', a day that exists (no 2026-02-30, no
// month 13, no year 0), inside a window around today. A date outside the window names no draw, day sheet
// or holiday anyone can act on; accepting it would let a typo publish a draw for the year 10000.
import { z } from 'zod';

const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** How far back a dated route reaches: draws and day sheets of the last three years stay readable. */
export const DATE_WINDOW_PAST_DAYS = 3 * 366;
/** How far ahead: the draw search horizon (src/domain/calendar.ts) plus a margin for holiday lists. */
export const DATE_WINDOW_FUTURE_DAYS = 2 * 366;

/** Plain Date arithmetic rather than luxon: rules (and so the browser's bundles) import this file. */
export function isRealDate(s: string): boolean {
  if (!SHAPE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const epochDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/** Days from `today` (a real date) to `date` (a real date); negative in the past. */
export function daysBetween(today: string, date: string): number {
  return epochDay(date) - epochDay(today);
}

export interface DateWindow {
  /** The reference day, 'YYYY-MM-DD' (UTC is close enough: the window is years wide). */
  today: string;
  pastDays?: number;
  futureDays?: number;
}

export const todayUtc = (now: Date) => now.toISOString().slice(0, 10);

/**
 * The one date schema: shape, real day, window. Without a window only shape and reality are checked (for
 * dates that are not tied to the present, such as a birth date).
 */
export function calendarDate(window?: DateWindow) {
  return z
    .string()
    .regex(SHAPE, 'must be a date YYYY-MM-DD')
    .refine(isRealDate, 'is not a real calendar date')
    .superRefine((s, ctx) => {
      if (!window || !isRealDate(s)) return;
      const past = window.pastDays ?? DATE_WINDOW_PAST_DAYS;
      const future = window.futureDays ?? DATE_WINDOW_FUTURE_DAYS;
      const d = daysBetween(window.today, s);
      if (d < -past || d > future) {
        ctx.addIssue({
          code: 'custom',
          message: `must lie between ${shift(window.today, -past)} and ${shift(window.today, future)}`,
        });
      }
    });
}

function shift(date: string, days: number): string {
  return new Date((epochDay(date) + days) * 86_400_000).toISOString().slice(0, 10);
}
