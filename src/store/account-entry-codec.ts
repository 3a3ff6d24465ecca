// The account's own record of an entry, packed into one short string (it is stored once per entry, so
// at a national surge its size is most of the per-entry memory on the account side).
// Layout: officeId|drawDate|targetDate|personId|prefs|status|createdAtMs|carriedFrom|carriedTo|endedAtMs
// (prefs: '*' = any, else ids joined by ','; empty fields are absent values).
import type { AccountEntry, EntryStatus } from './entries.ts';

export function packAccountEntry(e: AccountEntry): string {
  return [
    e.officeId,
    e.drawDate,
    e.targetDate,
    e.personId,
    e.prefs ? e.prefs.join(',') : '*',
    e.status,
    String(Date.parse(e.createdAt)),
    e.carriedFrom ?? '',
    e.carriedTo ?? '',
    e.endedAt ? String(Date.parse(e.endedAt)) : '',
  ].join('|');
}

export function unpackAccountEntry(ticket: string, s: string): AccountEntry {
  const [
    officeId = '',
    drawDate = '',
    targetDate = '',
    personId = '',
    prefs = '*',
    status = 'pending',
    created = '0',
    from = '',
    to = '',
    ended = '',
  ] = s.split('|');
  return {
    ticket,
    officeId,
    drawDate,
    targetDate,
    personId,
    prefs: prefs === '*' ? null : prefs.split(','),
    status: status as EntryStatus,
    createdAt: new Date(Number(created)).toISOString(),
    ...(from ? { carriedFrom: from } : {}),
    ...(to ? { carriedTo: to } : {}),
    ...(ended ? { endedAt: new Date(Number(ended)).toISOString() } : {}),
  };
}
