// readDrawFields is unpackEntry for the close of a big draw: whatever the packed layout becomes, the two
// must read every packed entry the same way, or the frozen list would differ from the entries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DrawFields, packEntry, readDrawFields, unpackEntry } from '../../src/store/entry-codec.ts';

const fromUnpack = (s: string) => {
  const e = unpackEntry(s);
  return {
    nikHash: e.nikHash,
    category: e.category,
    losses: e.losses,
    prefs: e.prefs === null ? '*' : e.prefs.join(','),
    group: e.group === true,
    unverified: e.unverified === true,
  };
};

describe('readDrawFields', () => {
  const into: DrawFields = {
    nikHash: '',
    category: null,
    losses: 0,
    prefs: '*',
    group: false,
    unverified: false,
  };

  it('reads packed entries as unpackEntry does', () => {
    for (const e of [
      { category: null, losses: 0, prefs: null },
      { category: 'lansia', losses: 0, prefs: null },
      { category: null, losses: 3, prefs: null },
      { category: null, losses: 0, prefs: ['pagi-1'] },
      { category: 'disabilitas', losses: 12, prefs: ['pagi-1', 'siang-2'] },
      { category: null, losses: 0, prefs: null, group: true },
      { category: 'lansia', losses: 2, prefs: ['pagi-1'], group: true },
      { category: null, losses: 0, prefs: null, unverified: true },
      { category: 'lansia', losses: 2, prefs: ['pagi-1'], group: true, unverified: true },
    ]) {
      const packed = packEntry({ accountId: 'a1', personId: 'p1', nikHash: 'nh-1', ...e });
      expect(readDrawFields(packed, into), packed).toEqual(fromUnpack(packed));
    }
  });

  it('property: agrees with unpackEntry on any string', () => {
    const piece = fc.constantFrom(
      '|',
      ',',
      '*',
      '',
      '0',
      '7',
      '12',
      '007',
      ' 1',
      '-1',
      'x',
      'ab',
      '1e3',
      'ü',
      'u',
      'g',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const s = parts.join('');
        expect(readDrawFields(s, into), JSON.stringify(s)).toEqual(fromUnpack(s));
      }),
      { numRuns: 2000 },
    );
  });
});
