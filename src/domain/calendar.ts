// Which local date a draw runs on, which service day it fills, and the instants that follow from the rules.
//
// Model: every service day T (a weekday in rules.serviceDays that is not a holiday) is filled by exactly one
// draw, run at rules.drawTime on the local date T - daysAhead (calendar days). So a local date D is a draw day
// iff D + daysAhead is a service day, and an entry made before a draw's close instant belongs to that draw.
//
// Conventions: calendar dates are 'YYYY-MM-DD' strings in office-local terms; instants are JS Dates in and
// out, except nextDraw, which is sent over the wire and so carries ISO UTC strings. Times of day are 'HH:mm'
// office local. tz is an IANA zone name ('Asia/Jakarta'); an unknown zone or malformed date throws RangeError
// rather than quietly falling back to the server's zone.
import { DateTime, FixedOffsetZone } from 'luxon';
import { type Rules, reminderLeadHours, standbyAfterMinutes } from './rules.ts';

/** How far nextDraw looks ahead: more than a year, so an annual holiday list cannot hide the next draw. */
export const DRAW_SEARCH_HORIZON_DAYS = 400;

type CalendarRules = Pick<Rules, 'daysAhead' | 'serviceDays' | 'holidays'>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

// Pure calendar arithmetic is done in UTC so that a DST change in some zone can never skip or repeat a date.
function parseDate(date: string): DateTime {
  const d = ISO_DATE.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : null;
  if (!d?.isValid) throw new RangeError(`invalid date '${date}', expected YYYY-MM-DD`);
  return d;
}

function isoDate(d: DateTime): string {
  return d.toFormat('yyyy-MM-dd');
}

function checkZone(tz: string): void {
  if (!DateTime.now().setZone(tz).isValid) throw new RangeError(`unknown time zone '${tz}'`);
}

/** date + days, in calendar days. */
export function addDays(date: string, days: number): string {
  return isoDate(parseDate(date).plus({ days }));
}

/**
 * The label Indonesians know their office hours by. Other zones get their offset at `at` (default now),
 * e.g. 'UTC+7', because zone abbreviations are ambiguous across locales.
 */
export function zoneLabel(tz: string, at: Date = new Date()): string {
  switch (tz) {
    case 'Asia/Jakarta':
    case 'Asia/Pontianak':
      return 'WIB';
    case 'Asia/Makassar':
      return 'WITA';
    case 'Asia/Jayapura':
      return 'WIT';
  }
  const local = DateTime.fromJSDate(at, { zone: tz });
  if (!local.isValid) throw new RangeError(`unknown time zone '${tz}'`);
  return FixedOffsetZone.instance(local.offset).name;
}

function serviceDayTest(rules: CalendarRules): (date: string) => boolean {
  const holidays = new Set(rules.holidays);
  const weekdays = new Set(rules.serviceDays);
  return (date) => weekdays.has(parseDate(date).weekday) && !holidays.has(date);
}

export function isServiceDay(rules: CalendarRules, date: string): boolean {
  return serviceDayTest(rules)(date);
}

/** The service day filled by the draw on drawDate (whether or not drawDate is a draw day). */
export function targetDateFor(rules: Pick<Rules, 'daysAhead'>, drawDate: string): string {
  return addDays(drawDate, rules.daysAhead);
}

export function isDrawDay(rules: CalendarRules, date: string): boolean {
  return isServiceDay(rules, targetDateFor(rules, date));
}

/** The local date of an instant in the office zone. */
export function localDate(tz: string, instant: Date): string {
  const local = DateTime.fromJSDate(instant, { zone: tz });
  if (!local.isValid) throw new RangeError(`unknown time zone '${tz}' or invalid instant`);
  return isoDate(local);
}

/**
 * The instant of a local wall-clock time. In zones with DST, a time inside the spring-forward gap moves
 * forward by the gap (luxon's behaviour); Indonesian zones have no DST, so this only matters in tests.
 */
export function localDateTime(tz: string, date: string, hhmm: string): Date {
  checkZone(tz);
  parseDate(date);
  if (!HHMM.test(hhmm)) throw new RangeError(`invalid time '${hhmm}', expected HH:mm`);
  return DateTime.fromISO(`${date}T${hhmm}`, { zone: tz }).toJSDate();
}

/** Entries strictly before this instant take part in the draw of drawDate; later ones wait for the next. */
export function drawCloseInstant(rules: Pick<Rules, 'drawTime'>, tz: string, drawDate: string): Date {
  return localDateTime(tz, drawDate, rules.drawTime);
}

export interface NextDraw {
  drawDate: string;
  targetDate: string;
  /** ISO UTC, e.g. '2026-12-01T12:00:00.000Z' */
  closesAt: string;
  /** Office local, e.g. '2026-12-01 19:00' */
  closesAtLocal: string;
  zoneLabel: string;
}

/**
 * The earliest draw whose close instant is strictly after now, i.e. the draw an entry made now belongs to.
 * Null if no draw day exists within DRAW_SEARCH_HORIZON_DAYS (e.g. everything is a holiday): callers must
 * close the waiting room rather than guess.
 */
export function nextDraw(
  rules: Pick<Rules, 'daysAhead' | 'serviceDays' | 'holidays' | 'drawTime'>,
  tz: string,
  now: Date,
): NextDraw | null {
  const isService = serviceDayTest(rules);
  // A draw closes on its own local date, so no draw day before today's local date can still be open.
  const today = localDate(tz, now);
  for (let i = 0; i <= DRAW_SEARCH_HORIZON_DAYS; i++) {
    const drawDate = addDays(today, i);
    const targetDate = targetDateFor(rules, drawDate);
    if (!isService(targetDate)) continue;
    const closes = drawCloseInstant(rules, tz, drawDate);
    if (closes.getTime() <= now.getTime()) continue;
    return {
      drawDate,
      targetDate,
      closesAt: closes.toISOString(),
      closesAtLocal: DateTime.fromJSDate(closes, { zone: tz }).toFormat('yyyy-MM-dd HH:mm'),
      zoneLabel: zoneLabel(tz, closes),
    };
  }
  return null;
}

/**
 * Five-field cron pattern 'm H * * *' firing daily at drawTime. It must be scheduled with the office's tz
 * (BullMQ repeat option `tz`), and the processor must check isDrawDay itself: cron cannot express holidays.
 */
export function drawCron(rules: Pick<Rules, 'drawTime'>): string {
  if (!HHMM.test(rules.drawTime)) throw new RangeError(`invalid drawTime '${rules.drawTime}'`);
  const [hours, minutes] = rules.drawTime.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}

/** After this instant nothing more is offered, cancelled or forfeited for targetDate. */
export function offerCutoffInstant(
  rules: Pick<Rules, 'cutoffTimeDayBefore'>,
  tz: string,
  targetDate: string,
): Date {
  return localDateTime(tz, addDays(targetDate, -1), rules.cutoffTimeDayBefore);
}

/** When holders of targetDate are reminded: the rules' lead before the offer cut-off. */
export function reminderInstant(
  rules: Pick<Rules, 'cutoffTimeDayBefore' | 'reminderLeadHours' | 'waitlistOfferWindowHours'>,
  tz: string,
  targetDate: string,
): Date {
  return new Date(offerCutoffInstant(rules, tz, targetDate).getTime() - reminderLeadHours(rules) * 3_600_000);
}

export interface SessionWindow {
  start: Date;
  end: Date;
  /** end + checkInGraceMinutes: the counter's last check-in (standby seats included). */
  checkInUntil: Date;
  /**
   * The latest arrival of a confirmed holder: the standby moment where the office keeps a standby line
   * (their place goes to standby then), else checkInUntil. The applicant's page says it.
   */
  arriveBy: Date;
}

/** The instants of one session on targetDate; null for an unknown session id. */
export function sessionWindow(
  rules: Pick<Rules, 'sessions' | 'checkInGraceMinutes'> & Partial<Pick<Rules, 'standbyAfterMinutes'>>,
  tz: string,
  targetDate: string,
  sessionId: string,
): SessionWindow | null {
  const session = rules.sessions.find((s) => s.id === sessionId);
  if (!session) return null;
  const start = localDateTime(tz, targetDate, session.start);
  const end = localDateTime(tz, targetDate, session.end);
  const checkInUntil = new Date(end.getTime() + rules.checkInGraceMinutes * 60_000);
  const standbyAt = standbyMoment(rules, tz, targetDate, sessionId);
  const arriveBy = standbyAt && standbyAt < checkInUntil ? standbyAt : checkInUntil;
  return { start, end, checkInUntil, arriveBy };
}

/**
 * The standby moment of a session: from then on the places of confirmed applicants who have not arrived
 * are seated from the day's standby line, and a confirmed arrival is refused as too late (the counter
 * closes for them there, not at checkInUntil), so no place is ever held by two people. Null: no standby.
 */
export function standbyMoment(
  rules: Pick<Rules, 'sessions'> & Partial<Pick<Rules, 'standbyAfterMinutes'>>,
  tz: string,
  targetDate: string,
  sessionId: string,
): Date | null {
  const after = standbyAfterMinutes(rules);
  const session = rules.sessions.find((s) => s.id === sessionId);
  if (after === null || !session) return null;
  return new Date(localDateTime(tz, targetDate, session.start).getTime() + after * 60_000);
}
