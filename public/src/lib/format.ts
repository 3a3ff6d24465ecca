// Dates and times as people at an Indonesian office read them: the office's own zone, with its label.
import { locale } from './i18n.ts';

// The zone labels Indonesians know office hours by (same mapping as src/domain/calendar.ts zoneLabel,
// repeated here because that module pulls in luxon, which would double the applicant bundle).
const ZONE_LABELS: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

export function zoneLabel(tz: string): string {
  const known = ZONE_LABELS[tz];
  if (known) return known;
  try {
    const parts = new Intl.DateTimeFormat('en', {
      timeZone: tz,
      timeZoneName: 'shortOffset',
    }).formatToParts();
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? tz;
  } catch {
    return tz;
  }
}

/** "Sen, 30 Nov 2026 19.00 WIB": an instant in the office zone, never the phone's zone. */
export function formatInstant(iso: string, tz: string, label = zoneLabel(tz)): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    const text = new Intl.DateTimeFormat(locale(), {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: tz,
    }).format(d);
    return `${text} ${label}`;
  } catch {
    return `${iso} UTC`;
  }
}

/** A calendar date 'YYYY-MM-DD' (already office-local) as "Rabu, 2 Desember 2026". */
export function formatDate(ymd: string, opts: { weekday?: boolean; short?: boolean } = {}): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  return new Intl.DateTimeFormat(locale(), {
    weekday: opts.weekday === false ? undefined : opts.short ? 'short' : 'long',
    day: 'numeric',
    month: opts.short ? 'short' : 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);
}

/** Local wall-clock time of the device, for "updated at". */
export function formatClock(d: Date): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    d,
  );
}

/** Today's date in a zone, 'YYYY-MM-DD'. */
export function todayIn(tz: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Session times are office-local 'HH:mm'; Indonesian convention writes 08.00. */
export function formatHhmm(hhmm: string): string {
  return locale() === 'id-ID' ? hhmm.replace(':', '.') : hhmm;
}

/**
 * "Jakarta Selatan" from "Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan": the part people tell
 * offices apart by, which a 360 px select would otherwise cut off.
 */
export function shortOfficeName(name: string): string {
  const m = /^Kantor Imigrasi(?: Kelas [IV]+)?(?: Khusus)?(?: (?:Non )?TPI)?\s+(.+)$/i.exec(name.trim());
  return m ? m[1]! : name;
}

/** The wall-clock time of an instant in a zone: "10.00" (id) or "10:00" (en). */
export function formatTimeIn(iso: string, tz: string): string {
  try {
    return new Intl.DateTimeFormat(locale(), {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: tz,
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}
