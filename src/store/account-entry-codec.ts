// The account's own record of an entry: a field of the account hash named by the ticket, packed into one
// short string. It is stored once per entry, so at a national surge its size is a third of the per-entry
// memory; numbers are written in base 36 and the field carries no prefix for the same reason.
// Layout: officeId|drawDay|targetOffset|personId|createdAt|prefs|status|carriedFrom|carriedTo|endedAt
//   drawDay: days since 1970-01-01; targetOffset: days from the draw to the appointment day;
//   createdAt, endedAt: epoch ms; prefs: ids joined by ',', empty = any;
//   status: one letter (STATUS_CODE), empty = pending.
// Empty fields are absent values and trailing ones are left out, so a fresh entry ends at its createdAt.
// account-entry-status.lua rewrites fields 7 and 10 in place.
import { TICKET_ALPHABET } from '../redis/keys.ts';
import { packFields, packPrefs, unpackPrefs } from './packed-fields.ts';

export type EntryStatus = 'pending' | 'won' | 'waitlisted' | 'lost' | 'carried_over' | 'withdrawn' | 'void';

export interface AccountEntry {
  ticket: string;
  officeId: string;
  drawDate: string;
  targetDate: string;
  personId: string;
  prefs: string[] | null;
  status: EntryStatus;
  createdAt: string;
  endedAt?: string;
  /** Ticket of the entry this one was carried into after losing. */
  carriedTo?: string;
  /** Ticket this entry was carried from. */
  carriedFrom?: string;
}

/**
 * Entry records are the account hash's fields that look like a ticket: 12 characters of the ticket
 * alphabet, which no other field of the account (camelCase names, `flag:…`) can be.
 */
const TICKET_FIELD = new RegExp(`^[${TICKET_ALPHABET}]{12}$`);
export const isAccountEntryField = (field: string) => TICKET_FIELD.test(field);

const STATUS_CODE: Record<EntryStatus, string> = {
  pending: '',
  won: 'w',
  waitlisted: 'q',
  lost: 'l',
  carried_over: 'c',
  withdrawn: 'x',
  void: 'v',
};
const STATUS_OF = new Map(Object.entries(STATUS_CODE).map(([s, c]) => [c, s as EntryStatus]));

export const statusCode = (status: EntryStatus) => STATUS_CODE[status];
const b36 = (n: number) => n.toString(36);
const fromB36 = (s: string) => Number.parseInt(s, 36);
export const packTime = (ms: number) => b36(ms);
const unpackTime = (s: string) => new Date(fromB36(s)).toISOString();

const DAY_MS = 86_400_000;
const epochDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function packAccountEntry(e: AccountEntry): string {
  const drawDay = epochDay(e.drawDate);
  const fields = [
    e.officeId,
    b36(drawDay),
    e.targetDate ? b36(epochDay(e.targetDate) - drawDay) : '',
    e.personId,
    packTime(Date.parse(e.createdAt)),
    packPrefs(e.prefs),
    STATUS_CODE[e.status],
    e.carriedFrom ?? '',
    e.carriedTo ?? '',
    e.endedAt ? packTime(Date.parse(e.endedAt)) : '',
  ];
  return packFields(fields);
}

export function unpackAccountEntry(ticket: string, s: string): AccountEntry {
  const [
    officeId = '',
    day = '0',
    offset = '',
    personId = '',
    created = '0',
    prefs = '',
    status = '',
    from = '',
    to = '',
    ended = '',
  ] = s.split('|');
  const drawDay = fromB36(day);
  return {
    ticket,
    officeId,
    drawDate: dateOfDay(drawDay),
    targetDate: offset ? dateOfDay(drawDay + fromB36(offset)) : '',
    personId,
    prefs: unpackPrefs(prefs),
    status: STATUS_OF.get(status) ?? 'pending',
    createdAt: unpackTime(created),
    ...(from ? { carriedFrom: from } : {}),
    ...(to ? { carriedTo: to } : {}),
    ...(ended ? { endedAt: unpackTime(ended) } : {}),
  };
}
