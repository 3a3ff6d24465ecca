// The packed form of an entry inside a draw's entries hash. One short string per entry keeps a
// million-entry draw small in Redis and cheap to stream at close.
// Layout: accountId|personId|nikHash|category|losses|prefs   (prefs: '*' = any, else ids joined by ',')

export interface PackedEntry {
  accountId: string;
  personId: string;
  nikHash: string;
  category: string | null;
  /** Consecutive lost draws this entry was carried through (drives the capped loser bonus). */
  losses: number;
  prefs: string[] | null;
}

export function packEntry(e: PackedEntry): string {
  return [
    e.accountId,
    e.personId,
    e.nikHash,
    e.category ?? '',
    String(e.losses),
    e.prefs ? e.prefs.join(',') : '*',
  ].join('|');
}

export function unpackEntry(s: string): PackedEntry {
  const [accountId = '', personId = '', nikHash = '', category = '', losses = '0', prefs = '*'] =
    s.split('|');
  return {
    accountId,
    personId,
    nikHash,
    category: category || null,
    losses: Number(losses) || 0,
    prefs: prefs === '*' ? null : prefs.split(','),
  };
}
