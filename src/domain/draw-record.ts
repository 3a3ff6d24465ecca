// The canonical, published form of a draw: commitment, effective seed, digests and the full computation
// from (seed, entries, sessions) to ranked outcome rows. Pure and browser-safe so the public page can verify.
import { bytesToHex } from '@noble/hashes/utils.js';
import { assignRanked } from './assignment.ts';
import { defaultHash, type HashFn, rankTickets } from './lottery.ts';
import { type TicketBytes, ticketsFromStrings } from './ticket-bytes.ts';

const encoder = new TextEncoder();

export function sha256Hex(text: string, hash: HashFn = defaultHash): string {
  return sha256HexOf(encoder.encode(text), hash);
}

/** sha256Hex of text already encoded as UTF-8. */
export function sha256HexOf(bytes: Uint8Array, hash: HashFn = defaultHash): string {
  return bytesToHex(hash(bytes));
}

export interface PublishedEntry {
  ticket: string;
  weight: number;
  prefs: string[] | null;
  /** The weight's parts (docs/draw-spec.md): priority category id or null, losses carried, no-show penalty. */
  category: string | null;
  losses: number;
  penalty: boolean;
  /**
   * A group entry's members' weight parts, in order (two or more; docs/draw-spec.md, "Groups"); the entry's
   * own category, losses and penalty are then the first member's. Absent for one person.
   */
  members?: readonly { category: string | null; losses: number; penalty: boolean }[];
}

/** The published parts fields of an entry: `category TAB losses TAB penalty`, per member for a group. */
export function partsText(e: Pick<PublishedEntry, 'category' | 'losses' | 'penalty' | 'members'>): string {
  const m = e.members ?? [e];
  return (
    `${m.map((x) => x.category ?? '-').join(',')}\t${m.map((x) => x.losses).join(',')}` +
    `\t${m.map((x) => (x.penalty ? 1 : 0)).join(',')}`
  );
}

/** A group is at most an account's household (rules.householdLimit ≤ 20); a byte holds it. */
export const MAX_GROUP_SIZE = 20;

export interface DrawOutcomeRow {
  /** 1 = first pick. */
  rank: number;
  ticket: string;
  /** null = waitlisted; the waitlist position is the order among the null rows. */
  sessionId: string | null;
}

/**
 * One line per entry, in the order the list was frozen and published. The draw itself does not depend on
 * that order (computeDraw ranks by key, then ticket), so no sort is needed on the server or on a phone
 * re-checking a million entries: the digest fixes the list exactly as published.
 */
export function entriesDigest(entries: readonly PublishedEntry[], hash: HashFn = defaultHash): string {
  let text = '';
  for (const e of entries)
    text += `${e.ticket}\t${String(e.weight)}\t${e.prefs === null ? '*' : e.prefs.join(',')}\t${partsText(e)}\n`;
  return sha256Hex(text, hash);
}

export function resultsDigest(rows: readonly DrawOutcomeRow[], hash: HashFn = defaultHash): string {
  return sha256Hex(rows.map((r) => `${r.rank}\t${r.ticket}\t${r.sessionId ?? '-'}\n`).join(''), hash);
}

export interface ComputeDrawInput {
  /** The effective seed (effectiveSeedFor in draw-spec.ts), not the server's secret one. */
  seed: string;
  drawId: string;
  entries: readonly PublishedEntry[];
  sessions: readonly { id: string; capacity: number }[];
  hash?: HashFn;
}

/** The frozen entries as columns: what a million-entry draw is computed from without an object per entry. */
export interface DrawColumns {
  tickets: TicketBytes;
  weights: Float64Array;
  /** Entry i's preferences are prefsTable[prefIdx[i]] (null = any session). */
  prefIdx: Uint32Array;
  prefsTable: readonly (readonly string[] | null)[];
  /** Persons of entry i (a group entry has more than one); absent = every entry is one person. */
  sizes?: Uint8Array;
  /** u of every entry (TicketUniforms), if computed while the list was read; used for that seed and id only. */
  uniforms?: { seed: string; drawId: string; values: Float64Array };
}

/** The outcome by rank: rank r + 1 is entry order[r], with session index session[r] (-1 = waitlisted). */
export interface RankedDraw {
  order: Uint32Array;
  session: Int32Array;
}

export interface ComputeColumnsInput {
  seed: string;
  drawId: string;
  columns: DrawColumns;
  sessions: readonly { id: string; capacity: number }[];
  hash?: HashFn;
}

/** computeDraw over columns; the same ranking and assignment, so the same published results. */
export function computeDrawColumns({
  seed,
  drawId,
  columns,
  sessions,
  hash = defaultHash,
}: ComputeColumnsInput): RankedDraw {
  const pre = columns.uniforms;
  const uniforms = pre && pre.seed === seed && pre.drawId === drawId ? pre.values : undefined;
  const order = rankTickets(seed, drawId, columns.tickets, columns.weights, hash, uniforms);
  return {
    order,
    session: assignRanked(order, columns.prefIdx, columns.prefsTable, sessions, columns.sizes),
  };
}

/**
 * Rank (Efraimidis–Spirakis), then assign (Random Serial Dictatorship). The result does not depend on the
 * order of `entries`: rankEntries orders by (key, ticket), a total order because it rejects duplicate
 * tickets. That makes a sort by ticket up front unnecessary, which saves a third of the time at a million
 * entries. Throws RangeError on invalid weights, duplicate tickets or invalid sessions.
 */
export function computeDraw({
  seed,
  drawId,
  entries,
  sessions,
  hash = defaultHash,
}: ComputeDrawInput): DrawOutcomeRow[] {
  const n = entries.length;
  const weights = new Float64Array(n);
  const prefIdx = new Uint32Array(n);
  const prefsTable = new Array<readonly string[] | null>(n);
  let sizes: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    weights[i] = e.weight;
    prefIdx[i] = i;
    prefsTable[i] = e.prefs;
    const size = e.members?.length ?? 1;
    if (e.members !== undefined) {
      if (size < 2 || size > MAX_GROUP_SIZE) {
        throw new RangeError(`group entry ${e.ticket} must have 2..${MAX_GROUP_SIZE} members, got ${size}`);
      }
      sizes ??= new Uint8Array(n).fill(1);
      sizes[i] = size;
    }
  }
  const tickets = ticketsFromStrings(entries.map((e) => e.ticket));
  const { order, session } = computeDrawColumns({
    seed,
    drawId,
    columns: { tickets, weights, prefIdx, prefsTable, ...(sizes ? { sizes } : {}) },
    sessions,
    hash,
  });
  const rows = new Array<DrawOutcomeRow>(n);
  for (let r = 0; r < n; r++) {
    const s = session[r]!;
    rows[r] = { rank: r + 1, ticket: entries[order[r]!]!.ticket, sessionId: s < 0 ? null : sessions[s]!.id };
  }
  return rows;
}
