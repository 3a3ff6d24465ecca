// An instant as applicants read it: weekday, date and time in the office's own zone, with the label
// Indonesians know office hours by (WIB/WITA/WIT). The applicant's zone is never used: the appointment
// happens at the office, and a phone travelling between islands must not shift it.
import { DateTime } from 'luxon';
import { zoneLabel } from '../domain/calendar.ts';
import type { Lang } from './templates.ts';

// Indonesian writes the weekday with a comma ('Rabu, 2 Des 2026'); English short form does not.
const PATTERN: Record<Lang, string> = {
  id: 'cccc, d MMM yyyy HH:mm',
  en: 'ccc d MMM yyyy HH:mm',
};

/** e.g. 'Rabu, 2 Des 2026 08:00 WITA' (id) or 'Wed 2 Dec 2026 08:00 WITA' (en). */
export function formatInstant(instant: Date | string, tz: string, lang: Lang): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const local = DateTime.fromJSDate(at, { zone: tz }).setLocale(lang);
  if (!local.isValid) throw new RangeError(`invalid instant or time zone '${tz}'`);
  return `${local.toFormat(PATTERN[lang])} ${zoneLabel(tz, at)}`;
}
