import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignRanked, assignSlots } from '../../src/domain/assignment.ts';

describe('assignSlots', () => {
  it('gives each entry in rank order its best session with room', () => {
    const sessions = [
      { id: 'a', capacity: 1 },
      { id: 'b', capacity: 2 },
      { id: 'c', capacity: 0 },
    ];
    const prefs = [
      ['a', 'b'], // a
      ['a', 'b'], // a is gone: b
      ['c', 'a'], // c has no capacity, a is gone: waitlisted
      ['zzz', 'b'], // unknown id ignored: b
      null, // any: everything is full
      [], // nothing acceptable
    ];
    expect(assignSlots(prefs, sessions)).toEqual(['a', 'b', null, 'b', null, null]);
  });

  it('serves "any" earliest first and keeps going after the first sessions fill', () => {
    const sessions = [
      { id: 'early', capacity: 1 },
      { id: 'mid', capacity: 0 },
      { id: 'late', capacity: 2 },
    ];
    expect(assignSlots([null, ['early'], null, ['late'], null, ['early', 'late']], sessions)).toEqual([
      'early',
      null,
      'late',
      'late',
      null,
      null,
    ]);
  });

  it('accepts any iterable and no sessions', () => {
    function* prefs() {
      yield ['x'];
      yield null;
    }
    expect(assignSlots(prefs(), [{ id: 'x', capacity: 5 }])).toEqual(['x', 'x']);
    expect(assignSlots([null, ['x']], [])).toEqual([null, null]);
  });

  it('rejects invalid sessions', () => {
    expect(() => assignSlots([], [{ id: 'a', capacity: -1 }])).toThrow(RangeError);
    expect(() => assignSlots([], [{ id: 'a', capacity: 1.5 }])).toThrow(RangeError);
    expect(() =>
      assignSlots(
        [],
        [
          { id: 'a', capacity: 1 },
          { id: 'a', capacity: 1 },
        ],
      ),
    ).toThrow(/duplicate session/);
  });

  it('property: every entry gets its best available choice, and capacities hold', () => {
    const ids = ['s1', 's2', 's3', 's4', 's5'];
    const sessionsArb = fc
      .shuffledSubarray(ids, { minLength: 0, maxLength: ids.length })
      .chain((chosen) =>
        fc.tuple(
          ...chosen.map((id) => fc.record({ id: fc.constant(id), capacity: fc.integer({ min: 0, max: 4 }) })),
        ),
      );
    // Preferences may name sessions that do not exist (s5 when it was not chosen, or 'ghost') and repeat ids.
    const prefsArb = fc.option(fc.array(fc.constantFrom(...ids, 'ghost'), { maxLength: 6 }), { nil: null });

    fc.assert(
      fc.property(sessionsArb, fc.array(prefsArb, { maxLength: 40 }), (sessions, ranked) => {
        const out = assignSlots(ranked, sessions);
        expect(out).toHaveLength(ranked.length);
        const left = new Map(sessions.map((s) => [s.id, s.capacity]));
        ranked.forEach((prefs, i) => {
          // What this entry could accept, best first, as it stood at its turn.
          const acceptable = prefs === null ? sessions.map((s) => s.id) : prefs.filter((id) => left.has(id));
          const firstWithRoom = acceptable.find((id) => left.get(id)! > 0) ?? null;
          expect(out[i], `rank ${i + 1}, prefs ${JSON.stringify(prefs)}`).toBe(firstWithRoom);
          if (firstWithRoom !== null) left.set(firstWithRoom, left.get(firstWithRoom)! - 1);
        });
        for (const s of sessions) {
          const used = out.filter((id) => id === s.id).length;
          expect(used).toBeLessThanOrEqual(s.capacity);
        }
        for (const id of out) if (id !== null) expect(sessions.some((s) => s.id === id)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('assignRanked', () => {
  it('property: gives what assignSlots gives, for any rank order and shared preference lists', () => {
    const ids = ['s1', 's2', 's3'];
    const sessions = ids.map((id, i) => ({ id, capacity: i + 1 }));
    const table = [null, [], ['s2'], ['ghost', 's3', 's1'], ['s1', 's1']] as const;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: table.length - 1 }), { maxLength: 30 }),
        fc.integer(),
        (prefIdx, salt) => {
          const n = prefIdx.length;
          const order = Uint32Array.from({ length: n }, (_, r) => (r * 7 + (salt >>> 0)) % Math.max(n, 1));
          // A permutation only when 7 and n are coprime; otherwise fall back to the identity.
          const perm = new Set(order).size === n ? order : Uint32Array.from({ length: n }, (_, r) => r);
          const out = assignRanked(perm, Uint32Array.from(prefIdx), table, sessions);
          const expected = assignSlots(
            Array.from(perm, (i) => table[prefIdx[i]!]!),
            sessions,
          );
          expect(Array.from(out, (s) => (s < 0 ? null : ids[s]!))).toEqual(expected);
        },
      ),
    );
  });
});
