// An instant as applicants read it: weekday, date and time in the office's own zone, with the label
// Indonesians know office hours by (WIB/WITA/WIT). The applicant's zone is never used: the appointment
// happens at the office, and a phone travelling between islands must not shift it.
import { DateTime } from 'luxon';
import { zoneLabel } from '../domain/calendar.ts';
import type { Lang } from './templates.ts';

// The pages' formats (public/src/lib/format.ts), so a message and the page it points to read alike:
// the month in full ('9 Desember 2026'), and Indonesian writes times with a dot ('08.00').
const DATE: Record<Lang, string> = { id: 'cccc, d MMMM yyyy', en: 'cccc d MMMM yyyy' };
export const TIME: Record<Lang, string> = { id: 'HH.mm', en: 'HH:mm' };

/** e.g. 'Rabu, 2 Desember 2026 08.00 WITA' (id) or 'Wednesday 2 December 2026 08:00 WITA' (en). */
export function formatInstant(instant: Date | string, tz: string, lang: Lang): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const local = DateTime.fromJSDate(at, { zone: tz }).setLocale(lang);
  if (!local.isValid) throw new RangeError(`invalid instant or time zone '${tz}'`);
  return `${local.toFormat(`${DATE[lang]} ${TIME[lang]}`)} ${zoneLabel(tz, at)}`;
}

/** A calendar day 'YYYY-MM-DD' as the pages write it: 'Rabu, 9 Desember 2026' (id). */
export function formatDay(ymd: string, lang: Lang): string {
  const d = DateTime.fromISO(ymd, { zone: 'utc' }).setLocale(lang);
  return d.isValid ? d.toFormat(DATE[lang]) : ymd;
}
