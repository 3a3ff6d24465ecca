// A one-event iCalendar file (RFC 5545) for an appointment, so the applicant's calendar shows it at the
// office's local time. Indonesian zones have no daylight saving, so a zone with one fixed offset gets a
// TZID and a one-rule VTIMEZONE (calendars then show "08:00 WITA" even on a phone set to Jakarta time);
// any other zone falls back to UTC times, which every client converts correctly without zone rules.
import { DateTime } from 'luxon';
import { zoneLabel } from '../domain/calendar.ts';

export interface IcsEvent {
  /** Stable per appointment: a resent file updates the calendar entry instead of adding a second one. */
  uid: string;
  start: Date;
  end: Date;
  tz: string;
  summary: string;
  location: string;
  description: string;
  /** When the file was made (DTSTAMP). */
  stamp: Date;
}

const CRLF = '\r\n';

// RFC 5545 §3.3.11: backslash, semicolon and comma escaped, every line break (CRLF, LF or a lone CR) as \n.
// Other control characters are not allowed in TEXT (§3.1): they are dropped.
function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/\p{Cc}/gu, '');
}

// Lines longer than 75 octets are folded with CRLF + space, never inside a UTF-8 sequence.
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74;
    if (octets + n > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join(`${CRLF} `);
}

const utc = (d: Date) => DateTime.fromJSDate(d, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
const local = (d: Date, tz: string) => DateTime.fromJSDate(d, { zone: tz }).toFormat("yyyyLLdd'T'HHmmss");

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** The zone's offset in minutes if it is the same all year (no DST) around `at`, else null. */
function fixedOffset(tz: string, at: Date): number | null {
  const year = DateTime.fromJSDate(at, { zone: tz });
  if (!year.isValid) throw new RangeError(`unknown time zone '${tz}'`);
  const jan = DateTime.fromObject({ year: year.year, month: 1, day: 1 }, { zone: tz }).offset;
  const jul = DateTime.fromObject({ year: year.year, month: 7, day: 1 }, { zone: tz }).offset;
  return jan === jul && jan === year.offset ? jan : null;
}

export function appointmentIcs(ev: IcsEvent): string {
  const offset = fixedOffset(ev.tz, ev.start);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//fairslot//appointments//EN',
    'CALSCALE:GREGORIAN',
  ];
  lines.push('METHOD:PUBLISH');
  if (offset !== null) {
    const o = offsetText(offset);
    lines.push(
      'BEGIN:VTIMEZONE',
      `TZID:${ev.tz}`,
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${o}`,
      `TZOFFSETTO:${o}`,
      `TZNAME:${zoneLabel(ev.tz, ev.start)}`,
      'END:STANDARD',
      'END:VTIMEZONE',
    );
  }
  const when = (d: Date) => (offset !== null ? `;TZID=${ev.tz}:${local(d, ev.tz)}` : `:${utc(d)}`);
  lines.push(
    'BEGIN:VEVENT',
    `UID:${escapeText(ev.uid)}`,
    `DTSTAMP:${utc(ev.stamp)}`,
    `DTSTART${when(ev.start)}`,
    `DTEND${when(ev.end)}`,
    `SUMMARY:${escapeText(ev.summary)}`,
    `LOCATION:${escapeText(ev.location)}`,
    `DESCRIPTION:${escapeText(ev.description)}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  );
  return lines.map(fold).join(CRLF) + CRLF;
}
