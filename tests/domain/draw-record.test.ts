import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeDraw,
  computeDrawColumns,
  type DrawColumns,
  entriesDigest,
  type PublishedEntry,
  resultsDigest,
  sha256Hex,
  sha256HexOf,
} from '../../src/domain/draw-record.ts';
import { commitmentFor, effectiveSeedFor } from '../../src/domain/draw-spec.ts';
import { FrozenListBuilder, parseFrozenList, resultsTextBytes } from '../../src/domain/draw-text.ts';
import { type HashFn, TicketUniforms } from '../../src/domain/lottery.ts';
import { ticketAt } from '../../src/domain/ticket-bytes.ts';
import { parseFrozen } from '../../src/store/draws.ts';

const nodeHash: HashFn = (d) => createHash('sha256').update(d).digest();
const nodeHex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const sessions = [
  { id: 'pagi-1', capacity: 5 },
  { id: 'pagi-2', capacity: 5 },
  { id: 'siang-1', capacity: 3 },
];

/** Weight parts that vary along the list (the weights themselves are not recomputed here). */
const parts = (i: number) => ({
  category: i % 7 === 0 ? 'lansia' : null,
  losses: i % 3,
  penalty: i % 11 === 0,
});

function makeEntries(n: number): PublishedEntry[] {
  const ids = sessions.map((s) => s.id);
  return Array.from({ length: n }, (_, i) => ({
    ticket: `FS-${String(i).padStart(4, '0')}`,
    weight: [1, 1, 2, 1.5, 3][i % 5]!,
    prefs: i % 4 === 0 ? null : i % 4 === 1 ? [ids[i % 3]!] : [ids[(i + 1) % 3]!, ids[i % 3]!],
    ...parts(i),
  }));
}

/** Deterministic Fisher–Yates driven by a hash, so the tests stay free of Math.random too. */
function shuffled<T>(items: readonly T[], salt: string): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Number.parseInt(nodeHex(`${salt}:${i}`).slice(0, 8), 16) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('digests', () => {
  it('sha256Hex is plain SHA-256 of UTF-8', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('ünï', nodeHash)).toBe(nodeHex('ünï'));
  });

  it('commitment and effective seed', () => {
    const secret = sha256Hex('secret');
    expect(commitmentFor('o:2026-01-02', secret, null)).toBe(
      nodeHex(`fairslot-draw/2\no:2026-01-02\n${secret}\nnone`),
    );
    expect(commitmentFor('o:2026-01-02', secret, { chainHash: 'ab', round: 7 })).toBe(
      nodeHex(`fairslot-draw/2\no:2026-01-02\n${secret}\ndrand ab 7`),
    );
    expect(effectiveSeedFor(secret, null, null)).toBe(nodeHex(`${secret}\n\n`));
    expect(effectiveSeedFor(secret, 'ff', 'beacon-123')).toBe(nodeHex(`${secret}\nff\nbeacon-123`));
  });

  it('entriesDigest hashes the lines in the published order', () => {
    const entries: PublishedEntry[] = [
      {
        ticket: 'b',
        weight: 1.5,
        prefs: ['pagi-2', 'pagi-1'],
        category: 'ibu-anak',
        losses: 0,
        penalty: false,
      },
      { ticket: 'a', weight: 2, prefs: null, category: null, losses: 2, penalty: false },
      { ticket: 'c', weight: 0.333333, prefs: [], category: null, losses: 0, penalty: true },
    ];
    const expected = nodeHex(
      'b\t1.5\tpagi-2,pagi-1\tibu-anak\t0\t0\na\t2\t*\t-\t2\t0\nc\t0.333333\t\t-\t0\t1\n',
    );
    expect(entriesDigest(entries)).toBe(expected);
    // The order is part of what is published: a reordered list is a different list.
    expect(entriesDigest([...entries].reverse())).not.toBe(expected);
    expect(entriesDigest([{ ...entries[0]!, weight: 1.25 }, entries[1]!, entries[2]!])).not.toBe(expected);
  });

  it('resultsDigest hashes canonical lines in rank order', () => {
    const rows = [
      { rank: 1, ticket: 'x', sessionId: 'pagi-1' },
      { rank: 2, ticket: 'y', sessionId: null },
    ];
    expect(resultsDigest(rows)).toBe(nodeHex('1\tx\tpagi-1\n2\ty\t-\n'));
    expect(resultsDigest([...rows].reverse())).not.toBe(resultsDigest(rows));
  });
});

describe('computeDraw', () => {
  const seed = sha256Hex('draw');
  const entries = makeEntries(60);

  it('ranks every entry once and respects capacities', () => {
    const rows = computeDraw({ seed, drawId: 'jkt-2025-01-02', entries, sessions });
    expect(rows.map((r) => r.rank)).toEqual(entries.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.ticket))).toEqual(new Set(entries.map((e) => e.ticket)));
    for (const s of sessions) {
      expect(rows.filter((r) => r.sessionId === s.id).length).toBeLessThanOrEqual(s.capacity);
    }
    // 60 entries for 13 slots, about half with any-session or two choices: the slots fill completely.
    expect(rows.filter((r) => r.sessionId !== null)).toHaveLength(13);
  });

  it('is deterministic and independent of the input order', () => {
    const a = computeDraw({ seed, drawId: 'd', entries, sessions });
    expect(computeDraw({ seed, drawId: 'd', entries, sessions })).toEqual(a);
    expect(computeDraw({ seed, drawId: 'd', entries: shuffled(entries, 'one'), sessions })).toEqual(a);
    expect(computeDraw({ seed, drawId: 'd', entries: [...entries].reverse(), sessions })).toEqual(a);
    expect(computeDraw({ seed, drawId: 'd', entries, sessions, hash: nodeHash })).toEqual(a);
  });

  it('is independent of the input order on the large-n path too', () => {
    const many = makeEntries(5000);
    const a = computeDraw({ seed, drawId: 'd', entries: many, sessions });
    expect(
      computeDraw({ seed, drawId: 'd', entries: shuffled(many, 'two'), sessions, hash: nodeHash }),
    ).toEqual(a);
  });

  it('changes with the seed and the draw id', () => {
    const order = (s: string, drawId: string) =>
      computeDraw({ seed: s, drawId, entries, sessions })
        .map((r) => r.ticket)
        .join(' ');
    const base = order(seed, 'd');
    expect(order(sha256Hex('other'), 'd')).not.toBe(base);
    expect(order(seed, 'd2')).not.toBe(base);
  });

  it('rejects duplicate tickets', () => {
    expect(() =>
      computeDraw({ seed, drawId: 'd', entries: [...entries, { ...entries[7]! }], sessions }),
    ).toThrow(/duplicate ticket FS-0007/);
  });

  it('handles no entries', () => {
    expect(computeDraw({ seed, drawId: 'd', entries: [], sessions })).toEqual([]);
  });
});

describe('columns and texts as bytes', () => {
  const seed = sha256Hex('columns');
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const frozenOf = (entries: readonly PublishedEntry[]) => {
    const b = new FrozenListBuilder();
    for (const e of entries) b.add(e.ticket, e.weight, e.prefs === null ? '*' : e.prefs.join(','), e);
    return b;
  };
  // Tickets outside ASCII and the BMP, weights with many digits, empty and unknown preferences.
  const odd: PublishedEntry[] = [
    ...makeEntries(300),
    { ticket: 'ü-1', weight: 0.333333, prefs: [], ...parts(1) },
    { ticket: '😀-2', weight: 1e-7, prefs: ['pagi-2', 'ghost'], ...parts(7) },
    { ticket: '\uE000-3', weight: 123456.5, prefs: null, ...parts(11) },
  ];

  it('the builder writes what entriesDigest hashes, and parseFrozenList reads it back', () => {
    for (const entries of [[], odd, makeEntries(5000)]) {
      const b = frozenOf(entries);
      expect(sha256Hex(text(b.text()))).toBe(entriesDigest(entries));
      const parsed = parseFrozenList(b.text());
      const back = (c: DrawColumns) =>
        Array.from(c.weights, (weight, i) => ({
          ticket: ticketAt(c.tickets, i),
          weight,
          prefs: c.prefsTable[c.prefIdx[i]!],
        }));
      // The object parser is the reference (it reads an empty preference list back as [''], as it always has).
      expect(back(parsed)).toEqual(
        parseFrozen(text(b.text())).map(({ ticket, weight, prefs }) => ({ ticket, weight, prefs })),
      );
      const partsOf = (e: PublishedEntry) => [e.category, e.losses, e.penalty];
      expect(parseFrozen(text(b.text())).map(partsOf)).toEqual(entries.map(partsOf));
      expect(back(b.columns())).toEqual(back(parsed));
      // Entries sharing a preference list share one table row.
      expect(parsed.prefsTable.length).toBeLessThan(20);
    }
  });

  it('parseFrozenList reads like the object parser: empty lines, missing and extra fields', () => {
    const raw = 'a\t2\n\nb\t1.5\npagi-1\nc\t\t\td\te\nf\t3\tx,y\tz';
    const c = parseFrozenList(new TextEncoder().encode(raw));
    const back = Array.from(c.weights, (weight, i) => ({
      ticket: ticketAt(c.tickets, i),
      weight,
      prefs: c.prefsTable[c.prefIdx[i]!],
    }));
    expect(back).toEqual(parseFrozen(raw).map(({ ticket, weight, prefs }) => ({ ticket, weight, prefs })));
  });

  it('computeDrawColumns and resultsTextBytes give computeDraw and its digest', () => {
    for (const [entries, drawId] of [
      [odd, 'small'],
      [makeEntries(6000), 'large'],
    ] as const) {
      const rows = computeDraw({ seed, drawId, entries, sessions });
      const columns = frozenOf(entries).columns();
      const ranked = computeDrawColumns({ seed, drawId, columns, sessions });
      const results = resultsTextBytes(ranked, columns.tickets, sessions);
      expect(text(results)).toBe(rows.map((r) => `${r.rank}\t${r.ticket}\t${r.sessionId ?? '-'}\n`).join(''));
      expect(sha256HexOf(results, nodeHash)).toBe(resultsDigest(rows));
      // With uniforms computed while the list was built: the same draw.
      const b = new FrozenListBuilder(new TicketUniforms(seed, drawId));
      for (const e of entries) b.add(e.ticket, e.weight, e.prefs === null ? '*' : e.prefs.join(','), e);
      const again = computeDrawColumns({ seed, drawId, columns: b.columns(), sessions });
      expect(Array.from(again.order)).toEqual(Array.from(ranked.order));
      expect(Array.from(again.session)).toEqual(Array.from(ranked.session));
      // Uniforms of another seed are not used.
      const other = computeDrawColumns({ seed: sha256Hex('x'), drawId, columns: b.columns(), sessions });
      expect(Array.from(other.order)).not.toEqual(Array.from(ranked.order));
    }
  });

  it('resultsTextBytes counts ranks across every digit width', () => {
    const many = makeEntries(10_050);
    const columns = frozenOf(many).columns();
    const ranked = computeDrawColumns({ seed, drawId: 'd', columns, sessions });
    const lines = text(resultsTextBytes(ranked, columns.tickets, sessions)).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => Number(l.split('\t')[0]))).toEqual(many.map((_, i) => i + 1));
  });
});
