import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/domain/draw-record.ts';
import {
  entryWeight,
  type HashFn,
  keyFor,
  rankEntries,
  rankTickets,
  TicketUniforms,
  uniformFor,
} from '../../src/domain/lottery.ts';
import { PrefixSha256 } from '../../src/domain/prefix-sha256.ts';
import { ticketsFromStrings } from '../../src/domain/ticket-bytes.ts';

const nodeHash: HashFn = (d) => createHash('sha256').update(d).digest();
// A different function object than the default, so rankEntries takes its generic (non-midstate) path.
const nobleGeneric: HashFn = (d) => sha256(d);

const bonus = { perLoss: 0.5, cap: 3 };

describe('entryWeight', () => {
  it('multiplies category weight, loser bonus and penalty', () => {
    expect(
      entryWeight({ categoryWeight: 1, consecutiveLosses: 0, loserBonus: bonus, penaltyFactor: 1 }),
    ).toBe(1);
    expect(
      entryWeight({ categoryWeight: 2, consecutiveLosses: 2, loserBonus: bonus, penaltyFactor: 0.5 }),
    ).toBe(2);
    expect(
      entryWeight({ categoryWeight: 1.5, consecutiveLosses: 1, loserBonus: bonus, penaltyFactor: 1 }),
    ).toBe(2.25);
  });

  it('caps the loser bonus', () => {
    const w = (losses: number) =>
      entryWeight({ categoryWeight: 2, consecutiveLosses: losses, loserBonus: bonus, penaltyFactor: 1 });
    expect(w(3)).toBe(5);
    expect(w(4)).toBe(6);
    expect(w(5)).toBe(6);
    expect(w(1000)).toBe(6);
  });

  it('applies the no-show penalty', () => {
    expect(
      entryWeight({ categoryWeight: 1, consecutiveLosses: 0, loserBonus: bonus, penaltyFactor: 0.25 }),
    ).toBe(0.25);
    expect(
      entryWeight({ categoryWeight: 2, consecutiveLosses: 9, loserBonus: bonus, penaltyFactor: 0.5 }),
    ).toBe(3);
  });

  it('rounds to 6 decimals so String(weight) is short and canonical', () => {
    const w1 = entryWeight({
      categoryWeight: 1,
      consecutiveLosses: 1,
      loserBonus: { perLoss: 1 / 3, cap: 3 },
      penaltyFactor: 1,
    });
    expect(String(w1)).toBe('1.333333');
    // 0.1 × 1.2 is 0.12000000000000001 in floating point.
    const w2 = entryWeight({
      categoryWeight: 0.1,
      consecutiveLosses: 1,
      loserBonus: { perLoss: 0.2, cap: 3 },
      penaltyFactor: 1,
    });
    expect(String(w2)).toBe('0.12');
  });

  it('rejects weights that are zero, negative, NaN or infinite, and negative loss counts', () => {
    const base = { categoryWeight: 1, consecutiveLosses: 0, loserBonus: bonus, penaltyFactor: 1 };
    const bad = [
      { ...base, categoryWeight: 0 },
      { ...base, categoryWeight: -1 },
      { ...base, categoryWeight: Number.NaN },
      { ...base, categoryWeight: Number.POSITIVE_INFINITY },
      { ...base, penaltyFactor: 0 },
      { ...base, penaltyFactor: Number.NaN },
      { ...base, loserBonus: { perLoss: Number.NaN, cap: 3 } },
      { ...base, consecutiveLosses: -1 },
      { ...base, consecutiveLosses: Number.NaN },
      // Positive, but rounds to 0 at 6 decimals.
      { ...base, categoryWeight: 1e-7 },
    ];
    for (const input of bad) expect(() => entryWeight(input), JSON.stringify(input)).toThrow(RangeError);
  });
});

describe('uniformFor', () => {
  it('takes the first 52 bits of SHA-256(seed \\n drawId \\n ticket)', () => {
    const seed = sha256Hex('seed');
    for (const ticket of ['A1', 'zz-99', 'ticket-with-ünïcode']) {
      // Independent reference: BigInt over node:crypto's hex digest.
      const hex = createHash('sha256').update(`${seed}\ndraw-1\n${ticket}`, 'utf8').digest('hex');
      const m = BigInt(`0x${hex.slice(0, 13)}`);
      expect(uniformFor(seed, 'draw-1', ticket)).toBe((Number(m) + 0.5) / 2 ** 52);
      expect(uniformFor(seed, 'draw-1', ticket, nodeHash)).toBe((Number(m) + 0.5) / 2 ** 52);
    }
  });

  it('maps the extreme digests strictly inside (0, 1)', () => {
    const zeros: HashFn = () => new Uint8Array(32);
    const ones: HashFn = () => new Uint8Array(32).fill(0xff);
    expect(uniformFor('s', 'd', 't', zeros)).toBe(2 ** -53);
    // m = 2^52 - 1: m + 0.5 = 2^52 - 0.5 is exact, so u = 1 - 2^-53 < 1 and the key stays positive.
    expect(uniformFor('s', 'd', 't', ones)).toBe(1 - 2 ** -53);
    expect(keyFor(uniformFor('s', 'd', 't', ones), 2)).toBeGreaterThan(0);
    expect(Object.is(keyFor(1, 2), 0)).toBe(true);
    // Only the top 4 bits of byte 7 count.
    const lowBits: HashFn = () =>
      Uint8Array.from({ length: 32 }, (_, i) => (i === 6 ? 0b1111 : i > 6 ? 0xff : 0));
    expect(uniformFor('s', 'd', 't', lowBits)).toBe(2 ** -53);
  });
});

/** Reference ranking written the obvious way, to pin the fast paths (midstate hashing, radix sort). */
function referenceRank(
  seed: string,
  drawId: string,
  entries: { ticket: string; weight: number }[],
): number[] {
  const keys = entries.map((e) => -Math.log(uniformFor(seed, drawId, e.ticket, nodeHash)) / e.weight);
  return entries
    .map((_, i) => i)
    .sort((a, b) => keys[a]! - keys[b]! || (entries[a]!.ticket < entries[b]!.ticket ? -1 : 1));
}

function makeEntries(n: number, salt = '') {
  const weights = [1, 1, 1, 1.5, 2, 2.25, 3, 0.5];
  return Array.from({ length: n }, (_, i) => ({
    // Varied lengths, including tickets longer than a SHA-256 block and non-ASCII ones.
    ticket:
      i % 97 === 0
        ? `long-${'x'.repeat(i % 150)}-${i}${salt}`
        : i % 89 === 0
          ? `ü-${i}${salt}`
          : `T${i}${salt}`,
    weight: weights[i % weights.length]!,
  }));
}

describe('rankEntries', () => {
  const seed = sha256Hex('rank');

  it('matches the reference ranking on the comparator path (small n) with every hash', () => {
    const entries = makeEntries(300);
    const expected = referenceRank(seed, 'd1', entries);
    expect(Array.from(rankEntries(seed, 'd1', entries))).toEqual(expected);
    expect(Array.from(rankEntries(seed, 'd1', entries, nodeHash))).toEqual(expected);
    expect(Array.from(rankEntries(seed, 'd1', entries, nobleGeneric))).toEqual(expected);
  });

  it('matches the reference ranking on the radix path (large n) with every hash', () => {
    const entries = makeEntries(6000);
    const expected = referenceRank(seed, 'd2', entries);
    expect(Array.from(rankEntries(seed, 'd2', entries))).toEqual(expected);
    expect(Array.from(rankEntries(seed, 'd2', entries, nodeHash))).toEqual(expected);
  });

  it('handles a prefix of any length (midstate with and without a partial block)', () => {
    const entries = makeEntries(50);
    for (const drawId of ['', 'x', 'x'.repeat(62), 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(130)]) {
      expect(Array.from(rankEntries(seed, drawId, entries)), `drawId length ${drawId.length}`).toEqual(
        Array.from(rankEntries(seed, drawId, entries, nodeHash)),
      );
    }
  });

  it('breaks exact key ties by ticket, on both sort paths', () => {
    // A constant hash gives every ticket the same u, so keys tie exactly within a weight.
    const constant: HashFn = () => new Uint8Array(32).fill(0x80);
    for (const n of [40, 5000]) {
      const entries = Array.from({ length: n }, (_, i) => ({
        ticket: `t${String((i * 7919) % n).padStart(5, '0')}`,
        weight: i % 2 === 0 ? 2 : 1,
      }));
      const ranked = Array.from(rankEntries(seed, 'd', entries, constant), (i) => entries[i]!);
      const expected = [...entries].sort((a, b) => b.weight - a.weight || (a.ticket < b.ticket ? -1 : 1));
      expect(ranked).toEqual(expected);
    }
  });

  it('rejects duplicate tickets and invalid weights', () => {
    for (const n of [10, 5000]) {
      const entries = makeEntries(n);
      const sameWeight = [...entries, { ...entries[3]! }];
      const otherWeight = [...entries, { ticket: entries[3]!.ticket, weight: entries[3]!.weight + 1 }];
      expect(() => rankEntries(seed, 'd', sameWeight)).toThrow(/duplicate ticket/);
      expect(() => rankEntries(seed, 'd', otherWeight, nodeHash)).toThrow(/duplicate ticket/);
    }
    for (const weight of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => rankEntries(seed, 'd', [{ ticket: 'a', weight }])).toThrow(RangeError);
    }
  });

  it('returns an empty ranking for no entries', () => {
    expect(rankEntries(seed, 'd', [])).toHaveLength(0);
  });
});

describe('PrefixSha256 and TicketUniforms', () => {
  it('give the SHA-256 of prefix ‖ suffix for every length around the block boundaries', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff);
    for (const p of [0, 1, 54, 55, 56, 63, 64, 65, 119, 120, 128, 200]) {
      const prefix = bytes.subarray(0, p);
      const hasher = new PrefixSha256(prefix);
      for (let len = 0; len <= 140; len++) {
        const from = 300 - len;
        const expected = createHash('sha256').update(prefix).update(bytes.subarray(from)).digest('hex');
        const words = hasher.hash(bytes, from, 300);
        const got = Array.from(words, (w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
        expect(got, `prefix ${p}, suffix ${len}`).toBe(expected);
      }
    }
  });

  it('TicketUniforms matches uniformFor, and precomputed uniforms rank the same', () => {
    const seed = sha256Hex('uniforms');
    const entries = makeEntries(5000);
    const tickets = ticketsFromStrings(entries.map((e) => e.ticket));
    const weights = Float64Array.from(entries, (e) => e.weight);
    const u = new TicketUniforms(seed, 'd');
    const us = new Float64Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      us[i] = u.of(tickets.bytes, tickets.start[i]!, tickets.end[i]!);
      if (i % 97 === 0) expect(us[i]).toBe(uniformFor(seed, 'd', entries[i]!.ticket, nodeHash));
    }
    const expected = Array.from(rankEntries(seed, 'd', entries, nodeHash));
    expect(Array.from(rankTickets(seed, 'd', tickets, weights))).toEqual(expected);
    expect(Array.from(rankTickets(seed, 'd', tickets, weights, nodeHash, us))).toEqual(expected);
  });
});
