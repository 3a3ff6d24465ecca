// Random Serial Dictatorship: walk the lottery ranking and let each entry take its most preferred session
// that still has room. With a uniformly random order this is strategy-proof (stating true preferences is
// always best) and ex-post Pareto efficient, which is why a ranked list of sessions is all we ask for.

export interface SessionCapacity {
  id: string;
  capacity: number;
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
): (string | null)[] {
  const indexOf = new Map<string, number>();
  const remaining = new Int32Array(sessions.length);
  let totalLeft = 0;
  sessions.forEach((s, i) => {
    if (!Number.isInteger(s.capacity) || s.capacity < 0 || s.capacity > 0x7fffffff) {
      throw new RangeError(`capacity of session ${s.id} must be an integer >= 0, got ${s.capacity}`);
    }
    if (indexOf.has(s.id)) throw new RangeError(`duplicate session id ${s.id}`);
    indexOf.set(s.id, i);
    remaining[i] = s.capacity;
    totalLeft += s.capacity;
  });
  // Capacity only ever decreases, so the earliest session with room only ever moves forward: an "any" entry
  // costs O(1) amortised instead of a scan from the start.
  let firstOpen = 0;

  const out: (string | null)[] = [];
  for (const prefs of rankedPrefs) {
    // Typically a few hundred slots meet a million entries: once all are gone the rest is the waitlist.
    if (totalLeft === 0) {
      out.push(null);
      continue;
    }
    let chosen = -1;
    if (prefs === null) {
      while (remaining[firstOpen] === 0) firstOpen++;
      chosen = firstOpen;
    } else {
      for (const id of prefs) {
        const i = indexOf.get(id);
        if (i !== undefined && remaining[i]! > 0) {
          chosen = i;
          break;
        }
      }
    }
    if (chosen < 0) {
      out.push(null);
    } else {
      remaining[chosen]!--;
      totalLeft--;
      out.push(sessions[chosen]!.id);
    }
  }
  return out;
}
