// Days an office does not serve although its weekdays say it would: the office's own holidays (rules),
// a national list loaded once a year for every office, and days an admin closes at short notice.
// Pure: the calendar takes the union as its holidays, so a closed day is neither drawn nor entered.
import { z } from 'zod';
import type { Rules } from './rules.ts';

const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date that exists (no 2026-02-30): holiday lists are typed by hand from a decree. */
export function isCalendarDate(s: string): boolean {
  if (!SHAPE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= 2000 && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export const calendarDateSchema = z
  .string()
  .refine(isCalendarDate, 'must be a real date YYYY-MM-DD (year 2000 or later)');

export const closeReasonSchema = z.string().trim().min(3).max(200);

/** A yearly list as decreed (e.g. SKB 3 Menteri): national holidays and collective leave days. */
export const holidayListSchema = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO country code such as ID'),
    year: z.number().int().min(2000).max(2100),
    source: z.string().trim().min(3).max(300),
    days: z
      .array(
        z
          .object({
            date: calendarDateSchema,
            name: z.string().trim().min(2).max(120),
            kind: z.enum(['holiday', 'collective_leave']),
          })
          .strict(),
      )
      .min(1)
      .max(60),
  })
  .strict()
  .superRefine((l, ctx) => {
    const seen = new Set<string>();
    l.days.forEach((d, i) => {
      if (!d.date.startsWith(`${l.year}-`)) {
        ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `not in ${l.year}` });
      }
      if (seen.has(d.date))
        ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: 'listed twice' });
      seen.add(d.date);
    });
  });

export type HolidayList = z.infer<typeof holidayListSchema>;

/**
 * The rules as the calendar must see them: the office's own holidays plus every closed date. Returns the
 * same object when nothing is added, and callers memoise per (rules, dates) pair, so the join path's
 * memo of the next draw keeps working.
 */
export function withClosedDays<R extends Pick<Rules, 'holidays'>>(rules: R, closed: readonly string[]): R {
  if (closed.length === 0) return rules;
  const own = new Set(rules.holidays);
  const extra = closed.filter((d) => !own.has(d));
  return extra.length === 0 ? rules : { ...rules, holidays: [...rules.holidays, ...extra] };
}
