// Fills a draw with hundreds of thousands of entries in seconds, for tests about the draw and what follows
// it at scale rather than about joining. The first entry goes through the real join (EntryStore.join),
// which opens the draw and fixes its secret seed; the rest are written straight into the buckets the draw
// and the fan-out read (ticket → packed entry, EntryStore.addBulk), with the values a join writes there.
// What a join also writes for the person and the account (active claim, account view) is left out: nothing
// from the close to the offers reads it. Joining one at a time costs 30-70 s for 200,000 entries.
// Join rules under concurrency are tested through the API (tests/api/waiting-room.test.ts).
import type { Deps } from '../../src/deps.ts';
import { newTicket } from '../../src/store/entries/index.ts';
import { packEntry } from '../../src/store/entry-codec.ts';

export interface BulkFillOptions {
  prefs?: (i: number) => string[] | null;
  category?: (i: number) => string | null;
  prefix?: string;
}

const CHUNK = 5000;

/** Enters n synthetic persons (one account each) into an office's draw; returns the tickets in order. */
export async function bulkFillDraw(
  deps: Pick<Deps, 'entries' | 'redis'>,
  officeId: string,
  drawDate: string,
  targetDate: string,
  n: number,
  opts: BulkFillOptions = {},
): Promise<string[]> {
  const prefix = opts.prefix ?? `${officeId}-${drawDate}`;
  const person = (j: number) => ({
    accountId: `acct${prefix}${j}`,
    personId: `p${j}`,
    nikHash: `nh-${prefix}-${j}`,
    birthDate: '1980-01-01',
    category: opts.category?.(j) ?? null,
    prefs: opts.prefs?.(j) ?? null,
  });
  const first = await deps.entries.join({ ...person(0), officeId, drawDate, targetDate });
  if (!first.ok) throw new Error(`first join refused: ${first.reason}`);
  const tickets = [first.entry.ticket];
  for (let i = 1; i < n; i += CHUNK) {
    const entries: string[] = [];
    for (let j = i; j < Math.min(n, i + CHUNK); j++) {
      const p = person(j);
      const ticket = newTicket();
      tickets.push(ticket);
      entries.push(ticket, packEntry({ ...p, losses: 0 }));
    }
    await deps.entries.addBulk(officeId, drawDate, entries);
  }
  return tickets;
}
