// Bench offices and draws filled with synthetic entries through the real join (EntryStore.join, the same Lua
// as the API), for the figures about draws. Persons are distinct from every HTTP applicant (Identities).
import type { Deps } from '../src/deps.ts';
import { defaultRules, type Rules } from '../src/domain/rules.ts';
import { keys } from '../src/redis/keys.ts';
import { newId } from '../src/store/accounts.ts';
import { newTicket } from '../src/store/entries.ts';
import { packEntry } from '../src/store/entry-codec.ts';
import { type Identities, personFor, prefsFor } from './fixtures.ts';
import { pool } from './stats.ts';

export async function createOffice(deps: Deps, id: string, rules: Rules = defaultRules): Promise<void> {
  const created = await deps.offices.create(
    { id, name: `Bench office ${id}`, address: 'Jl. Benchmark No. 1, Jakarta', tz: 'Asia/Jakarta' },
    rules,
    'bench',
  );
  if (!created) throw new Error(`office ${id} already exists`);
}

/** Category mix for synthetic entries: ~15% priority, as weights are part of the draw's work. */
function categoryFor(i: number): string | null {
  const r = i % 20;
  return r === 0 ? 'lansia' : r === 1 ? 'disabilitas' : r === 2 ? 'ibu-anak' : null;
}

/**
 * Joins n synthetic persons into one draw. Each has its own (never-created) account id, as a first entry of
 * a real account would: the entry's keys are what gets written, the account record already existed.
 */
export async function fillDraw(
  deps: Deps,
  ids: Identities,
  draw: { officeId: string; drawDate: string; targetDate: string },
  n: number,
  concurrency = 2000,
): Promise<void> {
  const first = ids.take(n);
  await pool(n, concurrency, async (i) => {
    const prefs = prefsFor(i);
    const r = await deps.entries.join({
      accountId: newId(),
      personId: newId(),
      nikHash: deps.accounts.hashNik(personFor(first + i).nik),
      category: categoryFor(i),
      officeId: draw.officeId,
      drawDate: draw.drawDate,
      targetDate: draw.targetDate,
      prefs: prefs === 'any' ? null : prefs,
    });
    if (!r.ok) throw new Error(`fill join ${draw.officeId} #${i} failed: ${r.reason}`);
  });
}

/**
 * The same draw key and values as n real joins (the draw's entries hash, ticket → packed entry), written in
 * pipelined multi-field HSETs instead of a join each: the draw
 * figures need millions of entries, and at a few thousand joins/s on this machine the fills alone would
 * take minutes. The first entry goes through the real join, which opens the draw (meta hash with seed and
 * commitment, office draw index) exactly as the API would. The per-person and per-account keys a join also
 * writes are left out: no draw step reads them (redis_bytes_per_entry measures them on real joins).
 */
export async function bulkLoadDraw(
  deps: Deps,
  ids: Identities,
  draw: { officeId: string; drawDate: string; targetDate: string },
  n: number,
): Promise<void> {
  await fillDraw(deps, ids, draw, 1, 1);
  const first = ids.take(n - 1);
  const entriesKey = keys.drawEntries(draw.officeId, draw.drawDate);
  const chunk = 1000;
  let inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < n - 1; i += chunk) {
    const entryArgs: string[] = [];
    for (let j = i; j < Math.min(n - 1, i + chunk); j++) {
      const ticket = newTicket();
      const p = prefsFor(j);
      const packed = packEntry({
        accountId: newId(),
        personId: newId(),
        nikHash: deps.accounts.hashNik(personFor(first + j).nik),
        category: categoryFor(j),
        losses: 0,
        prefs: p === 'any' ? null : p,
      });
      entryArgs.push(ticket, packed);
    }
    inFlight.push(deps.redis.hset(entriesKey, ...entryArgs));
    // A few batches in flight keep Redis busy without queueing the whole fill in memory.
    if (inFlight.length >= 8) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  const count = await deps.entries.count(draw.officeId, draw.drawDate);
  if (count !== n)
    throw new Error(`bulk load of ${draw.officeId} ${draw.drawDate}: ${count} entries, expected ${n}`);
}
