// Group seating (random serial dictatorship by group size) and who may enter together.
import { describe, expect, it } from 'vitest';
import { assignRanked, assignSlots } from '../../src/domain/assignment.ts';
import { computeDraw } from '../../src/domain/draw-record.ts';
import { ageOn, groupRefusal, isMinorOn } from '../../src/domain/group.ts';
import { groupWeight } from '../../src/domain/lottery.ts';

const part = { category: null, losses: 0, penalty: false };

describe('group seating', () => {
  const sessions = [
    { id: 'pagi', capacity: 3 },
    { id: 'siang', capacity: 4 },
  ];

  it('seats a group together in its most preferred session with room for all of it', () => {
    // A family of 4 that prefers pagi (3 places) is seated in siang, where all four fit.
    expect(assignSlots([['pagi', 'siang']], sessions, [4])).toEqual(['siang']);
    expect(assignSlots([null, null], sessions, [2, 2])).toEqual(['pagi', 'siang']);
  });

  it('skips a group no acceptable session can seat, and seats the next ranked that fits', () => {
    // Ranked: a solo (pagi), a family of 4 that only accepts pagi (2 left: skipped), a family of 2 (pagi),
    // a family of 5 (fits nowhere), then solos fill siang.
    const prefs = [['pagi'], ['pagi'], ['pagi'], null, null, null, null, null, null];
    const sizes = [1, 4, 2, 5, 1, 1, 1, 1, 1];
    expect(assignSlots(prefs, sessions, sizes)).toEqual([
      'pagi',
      null,
      'pagi',
      null,
      'siang',
      'siang',
      'siang',
      'siang',
      null,
    ]);
  });

  it('assignRanked over columns gives what assignSlots gives', () => {
    const prefsTable = [null, ['siang'], ['pagi', 'siang']];
    const prefIdx = Uint32Array.from([0, 1, 2, 0, 2, 1, 0]);
    const sizes = Uint8Array.from([2, 3, 1, 4, 2, 1, 1]);
    const order = Uint32Array.from([3, 0, 6, 1, 2, 5, 4]);
    const out = assignRanked(order, prefIdx, prefsTable, sessions, sizes);
    const expected = assignSlots(
      [...order].map((e) => prefsTable[prefIdx[e]!]!),
      sessions,
      [...order].map((e) => sizes[e]!),
    );
    expect([...out].map((s) => (s < 0 ? null : sessions[s]!.id))).toEqual(expected);
  });

  it('never seats more persons than a session holds, and a group only whole', () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({
      ticket: `T${String(i).padStart(11, '0')}`,
      weight: 1,
      prefs: i % 3 === 0 ? ['pagi'] : null,
      category: null,
      losses: 0,
      penalty: false,
      ...(i % 4 === 0 ? {} : { members: Array.from({ length: 1 + (i % 4) }, () => part) }),
    }));
    for (let s = 0; s < 50; s++) {
      const rows = computeDraw({ seed: `seed-${s}`, drawId: 'x', entries, sessions });
      const size = new Map(entries.map((e) => [e.ticket, e.members?.length ?? 1]));
      const used = new Map<string, number>();
      for (const r of rows)
        if (r.sessionId) used.set(r.sessionId, (used.get(r.sessionId) ?? 0) + size.get(r.ticket)!);
      for (const x of sessions) expect(used.get(x.id) ?? 0).toBeLessThanOrEqual(x.capacity);
      // No waitlisted entry ranked anywhere could still have been seated whole at the end.
      const left = sessions.map((x) => x.capacity - (used.get(x.id) ?? 0));
      for (const r of rows) {
        if (r.sessionId) continue;
        const e = entries.find((x) => x.ticket === r.ticket)!;
        const ok = sessions.some(
          (x, i) => (e.prefs === null || e.prefs.includes(x.id)) && left[i]! >= (e.members?.length ?? 1),
        );
        expect(ok).toBe(false);
      }
    }
  });

  it('refuses a group of fewer than 2 or more than 20 members', () => {
    const e = (n: number) => [
      {
        ticket: 'AAAAAAAAAAAA',
        weight: 1,
        prefs: null,
        ...part,
        members: Array.from({ length: n }, () => part),
      },
    ];
    expect(() => computeDraw({ seed: 's', drawId: 'x', entries: e(1), sessions })).toThrow(RangeError);
    expect(() => computeDraw({ seed: 's', drawId: 'x', entries: e(21), sessions })).toThrow(RangeError);
    expect(computeDraw({ seed: 's', drawId: 'x', entries: e(4), sessions })[0]!.sessionId).toBe('siang');
  });
});

describe('group weight', () => {
  it('is the mean of the members’ weights, rounded to 6 decimals', () => {
    expect(groupWeight([1, 1, 1, 1])).toBe(1);
    expect(groupWeight([2, 1])).toBe(1.5);
    expect(groupWeight([2, 1, 1])).toBe(1.333333);
    expect(() => groupWeight([])).toThrow(RangeError);
    expect(() => groupWeight([1, 0])).toThrow(RangeError);
  });
});

describe('minors only with an adult', () => {
  it('counts age in whole years on the service day', () => {
    expect(ageOn('2009-12-08', '2026-12-07')).toBe(16);
    expect(ageOn('2009-12-07', '2026-12-07')).toBe(17);
    expect(isMinorOn('2009-12-08', '2026-12-07')).toBe(true);
    expect(isMinorOn('2009-12-07', '2026-12-07')).toBe(false);
  });

  const adult = { personId: 'p1', birthDate: '1985-04-02' };
  const child = { personId: 'p2', birthDate: '2015-06-30' };
  const teen = { personId: 'p3', birthDate: '2010-01-01' };
  const day = '2026-12-07';

  it('refuses a minor alone, or minors together without an adult', () => {
    expect(groupRefusal([child], day, 5)).toEqual({ code: 'minor_without_adult', personIds: ['p2'] });
    expect(groupRefusal([child, teen], day, 5)).toEqual({
      code: 'minor_without_adult',
      personIds: ['p2', 'p3'],
    });
  });

  it('accepts minors with an adult, and an adult alone', () => {
    expect(groupRefusal([adult, child, teen], day, 5)).toBeNull();
    expect(groupRefusal([adult], day, 5)).toBeNull();
  });

  it('refuses an empty group, a person twice and more than the household limit', () => {
    expect(groupRefusal([], day, 5)).toEqual({ code: 'group_empty' });
    expect(groupRefusal([adult, adult], day, 5)).toEqual({ code: 'group_duplicate', personId: 'p1' });
    expect(groupRefusal([adult, child, teen], day, 2)).toEqual({ code: 'group_too_large', limit: 2 });
  });
});
