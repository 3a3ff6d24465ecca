// Dates from URLs and bodies, checked by the one schema (src/domain/calendar-date.ts) against the
// server's clock; a bad one is a 400 that names the field.
import type { z } from 'zod';
import { calendarDate, type DateWindow, todayUtc } from '../domain/calendar-date.ts';
import { ApiError } from '../http/errors.ts';

/** A date schema windowed around `now`, for use inside a body schema. */
export const dateField = (now: Date, window: Omit<DateWindow, 'today'> = {}) =>
  calendarDate({ today: todayUtc(now), ...window });

/** Checks one date (path or query parameter); `field` names it in the 400. */
export function dateParam(
  raw: string | undefined,
  field: string,
  now: Date,
  window: Omit<DateWindow, 'today'> = {},
): string {
  const parsed = (dateField(now, window) as z.ZodType<string>).safeParse(raw ?? '');
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'must be a date YYYY-MM-DD';
  throw new ApiError(400, 'invalid_date', `${field} ${message}`, { fields: [{ path: field, message }] });
}
