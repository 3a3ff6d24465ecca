// Random Serial Dictatorship: walk the lottery ranking and let each entry take its most preferred session
// that still has room. With a uniformly random order this is strategy-proof (stating true preferences is
// always best) and ex-post Pareto efficient, which is why a ranked list of sessions is all we ask for.
// A group entry (a family entered together) needs as many places in one session as it has persons: it takes
// its most preferred session with that much room, or, if none has, is skipped to the waitlist while the
// walk goes on, so the places go to the next ranked entries that fit.

export interface SessionCapacity {
  id: string;
  capacity: number;
}

/** Places left per session, handed out one entry at a time. */
class Seats {
  readonly indexOf = new Map<string, number>();
  private readonly remaining: Int32Array;
  /** Typically a few hundred slots meet a million entries: once all are gone the rest is the waitlist. */
  left = 0;
  // Capacity only ever decreases, so the earliest session with room only ever moves forward: an "any" entry
  // costs O(1) amortised instead of a scan from the start.
  private firstOpen = 0;

  constructor(sessions: readonly SessionCapacity[]) {
    this.remaining = new Int32Array(sessions.length);
    sessions.forEach((s, i) => {
      if (!Number.isInteger(s.capacity) || s.capacity < 0 || s.capacity > 0x7fffffff) {
        throw new RangeError(`capacity of session ${s.id} must be an integer >= 0, got ${s.capacity}`);
      }
      if (this.indexOf.has(s.id)) throw new RangeError(`duplicate session id ${s.id}`);
      this.indexOf.set(s.id, i);
      this.remaining[i] = s.capacity;
      this.left += s.capacity;
    });
  }

  /** Session ids as indexes, unknown ids left out (they can never be taken); null stays "any". */
  indexes(prefs: readonly string[] | null): Int32Array | null {
    if (prefs === null) return null;
    const out: number[] = [];
    for (const id of prefs) {
      const i = this.indexOf.get(id);
      if (i !== undefined) out.push(i);
    }
    return Int32Array.from(out);
  }

  /**
   * The first session of `prefs` (null = any, earliest first) with room for `size` persons, its places now
   * taken; -1 if none.
   */
  take(prefs: Int32Array | null, size = 1): number {
    if (this.left < size) return -1;
    let chosen = -1;
    if (prefs === null) {
      while (this.remaining[this.firstOpen] === 0) this.firstOpen++;
      for (let i = this.firstOpen; i < this.remaining.length; i++) {
        if (this.remaining[i]! >= size) {
          chosen = i;
          break;
        }
      }
    } else {
      for (let k = 0; k < prefs.length; k++) {
        if (this.remaining[prefs[k]!]! >= size) {
          chosen = prefs[k]!;
          break;
        }
      }
    }
    if (chosen >= 0) {
      this.remaining[chosen]! -= size;
      this.left -= size;
    }
    return chosen;
  }
}

/**
 * `rankedPrefs` yields, in rank order, each entry's session ids in its order of preference, or null for
 * "any session" (served earliest first, i.e. in the order of `sessions`). Unknown ids are ignored; an empty
 * list, or one whose sessions are all full, yields null (waitlisted). Returns one session id or null per
 * ranked position.
 */
export function assignSlots(
  rankedPrefs: Iterable<readonly string[] | null>,
  sessions: readonly SessionCapacity[],
  rankedSizes?: readonly number[],
): (string | null)[] {
  const seats = new Seats(sessions);
  const out: (string | null)[] = [];
  let r = 0;
  for (const prefs of rankedPrefs) {
    const size = rankedSizes?.[r] ?? 1;
    r++;
    const chosen = seats.left < size ? -1 : seats.take(seats.indexes(prefs), size);
    out.push(chosen < 0 ? null : sessions[chosen]!.id);
  }
  return out;
}

/**
 * assignSlots over columns, for a million entries without a list per entry: entry `order[r]` is the one
 * at rank r, and its preferences are `prefsTable[prefIdx[entry]]` (most entries share one of a few lists).
 * `sizes[entry]` (absent: every entry is one person) is the number of persons of a group entry.
 * Returns the session index per rank, -1 = waitlisted.
 */
export function assignRanked(
  order: Uint32Array,
  prefIdx: Uint32Array,
  prefsTable: readonly (readonly string[] | null)[],
  sessions: readonly SessionCapacity[],
  sizes?: Uint8Array,
): Int32Array {
  const seats = new Seats(sessions);
  const asIndexes = new Map<number, Int32Array | null>();
  const out = new Int32Array(order.length).fill(-1);
  for (let r = 0; r < order.length && seats.left > 0; r++) {
    const e = order[r]!;
    const size = sizes === undefined ? 1 : sizes[e]!;
    if (size > seats.left) continue;
    const p = prefIdx[e]!;
    let prefs = asIndexes.get(p);
    if (prefs === undefined) {
      prefs = seats.indexes(prefsTable[p]!);
      asIndexes.set(p, prefs);
    }
    out[r] = seats.take(prefs, size);
  }
  return out;
}
