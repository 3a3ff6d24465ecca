// The packed form of an entry inside a draw's entries buckets. One short string per entry keeps a
// million-entry draw small in Redis and cheap to stream at close. Read only here (unpackEntry and the
// draw's readDrawFields) and by entry-withdraw.lua, which reads the leading account id.
// Layout: accountId|personId|nikHash|category|losses|prefs|group|held   (prefs: ids joined by ',')
// Empty category, losses and prefs mean none, 0 and any session, and trailing empty fields are left out:
// most entries are "accountId|personId|nikHash", and every byte here is paid once per entry.
// group is 'g' for a member of a group entry: the members' tickets share their first 11 characters
// (store/entries/group.ts), so the flag is all a member needs to store to be found with the others.
// held is 'u' while the person's identity awaits the civil registry (src/identity/): the draw leaves the
// entry out, reading one character rather than looking anything up.
import { packFields, packPrefs, unpackPrefs } from './packed-fields.ts';

/** Members of a group entry share this many first characters of their tickets (store/entries/group.ts). */
export const GROUP_PREFIX = 11;

export interface PackedEntry {
  accountId: string;
  personId: string;
  nikHash: string;
  category: string | null;
  /** Consecutive lost draws this entry was carried through (drives the capped loser bonus). */
  losses: number;
  prefs: string[] | null;
  /** A member of a group entry (the group is the entries whose tickets share GROUP_PREFIX characters). */
  group?: boolean;
  /** Identity not yet confirmed by the registry: never drawn while set. */
  unverified?: boolean;
}

export function packEntry(e: PackedEntry): string {
  const fields = [
    e.accountId,
    e.personId,
    e.nikHash,
    e.category ?? '',
    e.losses ? String(e.losses) : '',
    packPrefs(e.prefs),
    e.group ? 'g' : '',
    e.unverified ? 'u' : '',
  ];
  // accountId|personId|nikHash always stand, even if one were empty.
  return packFields(fields, 3);
}

export function unpackEntry(s: string): PackedEntry {
  const [
    accountId = '',
    personId = '',
    nikHash = '',
    category = '',
    losses = '0',
    prefs = '*',
    group = '',
    held = '',
  ] = s.split('|');
  return {
    accountId,
    personId,
    nikHash,
    category: category || null,
    losses: Number(losses) || 0,
    prefs: prefs === '*' ? null : unpackPrefs(prefs),
    ...(group === 'g' ? { group: true } : {}),
    ...(held === 'u' ? { unverified: true } : {}),
  };
}

/**
 * What a draw reads of an entry: unpackEntry's nikHash, category and losses, and prefs in the published
 * form ('*' = any session, else the ids joined by ',').
 */
export interface DrawFields {
  nikHash: string;
  category: string | null;
  losses: number;
  prefs: string;
  group: boolean;
  /** packEntry's unverified. */
  unverified: boolean;
}

/** Number(s.slice(from, to)) || 0, without the slice for the usual few plain digits. */
function lossesAt(s: string, from: number, to: number): number {
  if (to - from <= 9) {
    let v = 0;
    let k = from;
    for (; k < to; k++) {
      const c = s.charCodeAt(k) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (k === to) return v;
  }
  return Number(s.slice(from, to)) || 0;
}

/** The next '|' of s in [from, to), or -1. */
function bar(s: string, from: number, to: number): number {
  const i = s.indexOf('|', from);
  return i < to ? i : -1;
}

/**
 * unpackEntry for the close of a million-entry draw: the same values (tests/draw/entry-fields.test.ts holds
 * the two together), found with indexOf and written into one reused object instead of a split array, an
 * object and a prefs array per entry, all of which would outlive a young-generation collection. The entry
 * is s[from, to), so a page of entries can arrive as one string.
 */
export function readDrawFields(s: string, into: DrawFields, from = 0, to = s.length): DrawFields {
  const a = bar(s, from, to);
  const b = a < 0 ? -1 : bar(s, a + 1, to);
  const c = b < 0 ? -1 : bar(s, b + 1, to);
  const d = c < 0 ? -1 : bar(s, c + 1, to);
  const e = d < 0 ? -1 : bar(s, d + 1, to);
  const f = e < 0 ? -1 : bar(s, e + 1, to);
  into.nikHash = b < 0 ? '' : s.slice(b + 1, c < 0 ? to : c);
  into.category = c < 0 ? null : s.slice(c + 1, d < 0 ? to : d) || null;
  into.losses = d < 0 ? 0 : lossesAt(s, d + 1, e < 0 ? to : e);
  const prefs = e < 0 ? '' : s.slice(e + 1, f < 0 ? to : f);
  into.prefs = prefs === '' ? '*' : prefs;
  const g = f < 0 ? -1 : bar(s, f + 1, to);
  into.group = f >= 0 && (g < 0 ? to : g) === f + 2 && s.charCodeAt(f + 1) === 103; // 'g'
  const u = g < 0 ? -1 : bar(s, g + 1, to);
  into.unverified = g >= 0 && (u < 0 ? to : u) === g + 2 && s.charCodeAt(g + 1) === 117; // 'u'
  return into;
}
