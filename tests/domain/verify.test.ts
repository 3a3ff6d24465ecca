import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  commitmentOf,
  computeDraw,
  effectiveSeed,
  entriesDigest,
  type PublishedEntry,
  resultsDigest,
  sha256Hex,
} from '../../src/domain/draw-record.ts';
import { CHECK_NAMES, findTicket, type PublishedDraw, verifyPublishedDraw } from '../../src/domain/verify.ts';

const sessions = [
  { id: 'pagi-1', capacity: 4 },
  { id: 'pagi-2', capacity: 4 },
  { id: 'siang-1', capacity: 2 },
];

function honestDraw(publicEntropy: string | null = 'beacon-round-4242'): PublishedDraw {
  const ids = sessions.map((s) => s.id);
  const entries: PublishedEntry[] = Array.from({ length: 40 }, (_, i) => ({
    ticket: `JKT-${String(i).padStart(3, '0')}`,
    weight: [1, 1, 1.5, 2, 3][i % 5]!,
    prefs: i % 3 === 0 ? null : [ids[i % 3]!, ids[(i + 1) % 3]!],
  }));
  const seed = sha256Hex('the secret seed of 2025-03-10');
  const results = computeDraw({
    seed: effectiveSeed(seed, publicEntropy),
    drawId: 'jkt-2025-03-10',
    entries,
    sessions,
  });
  return {
    officeId: 'jkt',
    drawDate: '2025-03-10',
    drawId: 'jkt-2025-03-10',
    targetDate: '2025-03-12',
    status: 'drawn',
    commitment: commitmentOf(seed),
    seed,
    publicEntropy,
    sessions,
    entries,
    entriesDigest: entriesDigest(entries),
    results,
    resultsDigest: resultsDigest(results),
  };
}

/** Names of the checks that failed, in report order. */
function failed(d: PublishedDraw): string[] {
  return verifyPublishedDraw(d)
    .checks.filter((c) => !c.ok)
    .map((c) => c.name);
}

describe('verifyPublishedDraw', () => {
  it('reports MATCH for an honest record, with and without public entropy', () => {
    for (const entropy of ['beacon-round-4242', null]) {
      const report = verifyPublishedDraw(honestDraw(entropy));
      expect(report.match).toBe(true);
      expect(report.firstDifference).toBeNull();
      expect(report.checks.map((c) => c.name)).toEqual(Object.values(CHECK_NAMES));
      expect(report.checks.every((c) => c.ok)).toBe(true);
    }
  });

  it('gives the same verdict with node:crypto as the hash', () => {
    const nodeHash = (d: Uint8Array) => createHash('sha256').update(d).digest();
    expect(verifyPublishedDraw(honestDraw(), nodeHash).match).toBe(true);
  });

  it('does not verify a draw that is not drawn or not fully published', () => {
    const open: PublishedDraw = {
      ...honestDraw(),
      status: 'open',
      seed: null,
      results: null,
      resultsDigest: null,
    };
    const report = verifyPublishedDraw(open);
    expect(report.match).toBe(false);
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]!.detail).toMatch(/draw is open/);
    expect(failed({ ...honestDraw(), seed: null })).toEqual([CHECK_NAMES.revealed]);
  });

  it('detects a changed ticket', () => {
    const d = honestDraw();
    const original = d.results![0]!.ticket;
    d.entries = d.entries!.map((e) => (e.ticket === original ? { ...e, ticket: 'JKT-999' } : e));
    const report = verifyPublishedDraw(d);
    expect(report.match).toBe(false);
    expect(failed(d)).toContain(CHECK_NAMES.entries);
    expect(failed(d)).toContain(CHECK_NAMES.recompute);
    expect(report.firstDifference).toMatch(
      /^rank \d+: published ticket JKT-\d+ .*, recomputed ticket JKT-\d+/,
    );
  });

  it('detects a changed weight', () => {
    const d = honestDraw();
    // The last-ranked entry with a huge weight would almost surely move to the top.
    const last = d.results!.at(-1)!.ticket;
    d.entries = d.entries!.map((e) => (e.ticket === last ? { ...e, weight: 1000 } : e));
    const report = verifyPublishedDraw(d);
    expect(report.match).toBe(false);
    expect(failed(d)).toEqual([CHECK_NAMES.entries, CHECK_NAMES.recompute]);
    expect(report.firstDifference).toContain(`recomputed ticket ${last}`);
  });

  it('detects a different seed', () => {
    const d = { ...honestDraw(), seed: sha256Hex('a seed chosen after seeing the entries') };
    const report = verifyPublishedDraw(d);
    expect(report.match).toBe(false);
    expect(failed(d)).toEqual([CHECK_NAMES.commitment, CHECK_NAMES.recompute]);
    expect(report.firstDifference).not.toBeNull();
  });

  it('detects a different public entropy', () => {
    const d = { ...honestDraw(), publicEntropy: 'beacon-round-4243' };
    expect(failed(d)).toEqual([CHECK_NAMES.recompute]);
  });

  it('detects a commitment that does not match the seed', () => {
    const d = { ...honestDraw(), commitment: commitmentOf(sha256Hex('something else')) };
    const report = verifyPublishedDraw(d);
    expect(report.match).toBe(false);
    expect(failed(d)).toEqual([CHECK_NAMES.commitment]);
    expect(report.firstDifference).toBeNull();
  });

  it('detects an altered result row, with or without a matching results digest', () => {
    const d = honestDraw();
    const row = d.results![2]!;
    const other = sessions.find((s) => s.id !== row.sessionId)!.id;
    d.results = d.results!.map((r, i) => (i === 2 ? { ...r, sessionId: other } : r));
    const report = verifyPublishedDraw(d);
    expect(report.match).toBe(false);
    expect(report.firstDifference).toBe(
      `rank 3: published ticket ${row.ticket} session ${other}, recomputed ticket ${row.ticket} session ${row.sessionId}`,
    );
    expect(failed(d)).toEqual([CHECK_NAMES.recompute, CHECK_NAMES.results]);

    // A forger who also republishes the digest still fails the recomputation.
    d.resultsDigest = resultsDigest(d.results);
    expect(failed(d)).toEqual([CHECK_NAMES.recompute]);
  });

  it('detects swapped ranks and missing rows', () => {
    const swapped = honestDraw();
    const [r1, r2] = [swapped.results![0]!, swapped.results![1]!];
    swapped.results![0] = { ...r2, rank: 1 };
    swapped.results![1] = { ...r1, rank: 2 };
    expect(verifyPublishedDraw(swapped).firstDifference).toMatch(/^rank 1: published ticket /);

    const truncated = honestDraw();
    const lastRow = truncated.results!.at(-1)!;
    truncated.results = truncated.results!.slice(0, -1);
    truncated.resultsDigest = resultsDigest(truncated.results);
    expect(verifyPublishedDraw(truncated).firstDifference).toBe(
      `rank ${lastRow.rank}: published no row, recomputed ticket ${lastRow.ticket} ${lastRow.sessionId === null ? 'waitlisted' : `session ${lastRow.sessionId}`}`,
    );
  });

  it('reports entries that cannot be drawn instead of throwing', () => {
    const d = honestDraw();
    d.entries = [...d.entries!, { ...d.entries![0]! }];
    const report = verifyPublishedDraw(d);
    expect(report.match).toBe(false);
    expect(report.checks.find((c) => c.name === CHECK_NAMES.recompute)!.detail).toMatch(
      /cannot recompute: duplicate ticket/,
    );
  });

  it('rejects a seed that is not 64 lowercase hex characters', () => {
    const seed = 'A'.repeat(64);
    const d = { ...honestDraw(), seed, commitment: commitmentOf(seed) };
    expect(failed(d)).toContain(CHECK_NAMES.revealed);
  });
});

describe('findTicket', () => {
  it('finds a ticket row, or null', () => {
    const d = honestDraw();
    const row = d.results![5]!;
    expect(findTicket(d, row.ticket)).toEqual(row);
    expect(findTicket(d, 'JKT-404')).toBeNull();
    expect(findTicket({ ...d, results: null }, row.ticket)).toBeNull();
  });
});
