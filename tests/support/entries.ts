// Fills a draw with synthetic entries straight through the store (the same Lua join as the API),
// for tests that are about the draw rather than the waiting room.
import type { Deps } from '../../src/deps.ts';

export async function fillDraw(
  deps: Deps,
  officeId: string,
  drawDate: string,
  targetDate: string,
  n: number,
  opts: {
    prefs?: (i: number) => string[] | null;
    category?: (i: number) => string | null;
    prefix?: string;
  } = {},
): Promise<string[]> {
  const tickets: string[] = [];
  const prefix = opts.prefix ?? `${officeId}-${drawDate}`;
  const batch = 200;
  for (let i = 0; i < n; i += batch) {
    const results = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, k) => {
        const j = i + k;
        return deps.entries.join({
          accountId: `acct${prefix}${j}`,
          personId: `p${j}`,
          nikHash: `nh-${prefix}-${j}`,
          birthDate: '1980-01-01',
          category: opts.category?.(j) ?? null,
          officeId,
          drawDate,
          targetDate,
          prefs: opts.prefs?.(j) ?? null,
        });
      }),
    );
    for (const r of results) {
      if (!r.ok) throw new Error(`join failed: ${r.reason}`);
      tickets.push(r.entry.ticket);
    }
  }
  return tickets;
}
