// Bench offices and draws filled with synthetic entries through the real join (EntryStore.join, the same Lua
// as the API), for the figures about draws. Persons are distinct from every HTTP applicant (Identities).
import type { Deps } from '../src/deps.ts';
import { maskNik } from '../src/domain/nik.ts';
import { defaultRules, type Rules } from '../src/domain/rules.ts';
import { newId } from '../src/store/accounts/index.ts';
import { newTicket } from '../src/store/entries/index.ts';
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

/** An applicant as a join needs one: an account with a person bound to a NIK hash. */
export interface Registered {
  accountId: string;
  personId: string;
  nikHash: string;
}

/**
 * n accounts with one person each, made with the real stores (account hash, person record, NIK binding)
 * and no session: what exists before an applicant's first join, so that the join's own writes can be
 * measured on their own. Persons are distinct from every other fixture's (Identities).
 */
export async function registerPersons(
  deps: Deps,
  ids: Identities,
  n: number,
  concurrency = 1000,
): Promise<Registered[]> {
  const first = ids.take(n);
  const out = new Array<Registered>(n);
  await pool(n, concurrency, async (i) => {
    const g = first + i;
    const { nik, birthDate } = personFor(g);
    const accountId = await deps.accounts.ensureAccount(`+628${String(1_000_000_000 + g)}`, 'phone', 'id');
    const added = await deps.accounts.addPerson(
      accountId,
      { nik, nikMasked: maskNik(nik), name: `Bench Applicant ${g}`, birthDate, category: null },
      5,
    );
    if (added.status !== 'added') throw new Error(`bench person ${g}: ${added.status}`);
    out[i] = { accountId, personId: added.person.id, nikHash: added.person.nikHash };
  });
  return out;
}

/**
 * `households` accounts of `size` persons each (as registerPersons makes them), for group entries: an
 * account's persons join together as one group.
 */
export async function registerHouseholds(
  deps: Deps,
  ids: Identities,
  households: number,
  size: number,
  concurrency = 500,
): Promise<Registered[][]> {
  const first = ids.take(households * size);
  const out = new Array<Registered[]>(households);
  await pool(households, concurrency, async (h) => {
    const accountId = await deps.accounts.ensureAccount(
      `+629${String(1_000_000_000 + first + h)}`,
      'phone',
      'id',
    );
    const members: Registered[] = [];
    for (let m = 0; m < size; m++) {
      const g = first + h * size + m;
      const { nik, birthDate } = personFor(g);
      const added = await deps.accounts.addPerson(
        accountId,
        { nik, nikMasked: maskNik(nik), name: `Bench Household ${h} ${m}`, birthDate, category: null },
        size,
      );
      if (added.status !== 'added') throw new Error(`bench household ${h} person ${m}: ${added.status}`);
      members.push({ accountId, personId: added.person.id, nikHash: added.person.nikHash });
    }
    out[h] = members;
  });
  return out;
}

/** Each household joins the draw as one group entry, through the real group join (EntryStore.joinGroup). */
export async function fillGroups(
  deps: Deps,
  draw: { officeId: string; drawDate: string; targetDate: string },
  households: readonly Registered[][],
  concurrency = 500,
): Promise<void> {
  await pool(households.length, concurrency, async (h) => {
    const members = households[h]!;
    const prefs = prefsFor(h);
    const r = await deps.entries.joinGroup(
      { ...draw, accountId: members[0]!.accountId, prefs: prefs === 'any' ? null : prefs },
      members.map((m, i) => ({
        personId: m.personId,
        nikHash: m.nikHash,
        birthDate: '1980-01-01',
        category: categoryFor(h + i),
      })),
    );
    if (!r.ok) throw new Error(`fill group join ${draw.officeId} #${h} failed: ${r.reason}`);
  });
}

/**
 * Joins n persons into one draw: the given registered ones, or else synthetic persons with (never-created)
 * accounts of their own, which the join creates the account and person hashes for as it goes.
 */
export async function fillDraw(
  deps: Deps,
  ids: Identities,
  draw: { officeId: string; drawDate: string; targetDate: string },
  n: number,
  opts: { concurrency?: number; persons?: readonly Registered[] } = {},
): Promise<void> {
  const first = opts.persons ? 0 : ids.take(n);
  await pool(n, opts.concurrency ?? 2000, async (i) => {
    const prefs = prefsFor(i);
    const who = opts.persons?.[i] ?? {
      accountId: newId(),
      personId: newId(),
      nikHash: deps.accounts.hashNik(personFor(first + i).nik),
    };
    const r = await deps.entries.join({
      ...who,
      // Bench persons are adults: the join refuses a minor alone.
      birthDate: '1980-01-01',
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
 * The same draw keys and values as n real joins (the draw's entry buckets, ticket → packed entry), written
 * in pipelined multi-field HSETs (EntryStore.addBulk) instead of a join each: the draw figures need
 * millions of entries, and at a few thousand joins/s the fills alone would take minutes.
 * The first entry goes through the real join, which opens the draw (meta hash with seed and commitment,
 * office draw index) exactly as the API would. What a join also writes for the person and the account is
 * left out: no draw step reads it (redis_bytes_per_entry measures it on real joins).
 */
export async function bulkLoadDraw(
  deps: Deps,
  ids: Identities,
  draw: { officeId: string; drawDate: string; targetDate: string },
  n: number,
): Promise<void> {
  await fillDraw(deps, ids, draw, 1, { concurrency: 1 });
  const first = ids.take(n - 1);
  const chunk = 5000;
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
    inFlight.push(deps.entries.addBulk(draw.officeId, draw.drawDate, entryArgs));
    // A few batches in flight keep Redis busy without queueing the whole fill in memory.
    if (inFlight.length >= 4) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  const count = await deps.entries.count(draw.officeId, draw.drawDate);
  if (count !== n)
    throw new Error(`bulk load of ${draw.officeId} ${draw.drawDate}: ${count} entries, expected ${n}`);
}
