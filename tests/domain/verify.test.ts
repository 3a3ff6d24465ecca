import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resultsDigest, sha256Hex } from '../../src/domain/draw-record.ts';
import { commitmentFor } from '../../src/domain/draw-spec.ts';
import { CHECK_NAMES, findTicket, type PublishedDraw, verifyPublishedDraw } from '../../src/domain/verify.ts';
import { honestRecord } from '../support/draw-records.ts';
import { QUICKNET_RECORDED, testChain } from '../support/test-chain.ts';

const chain = testChain();
const round = 4242;

function honestDraw(publicEntropy: string | null = 'entropy from the office'): PublishedDraw {
  return honestRecord({
    n: 40,
    beacon: { anchor: chain.anchor(round), output: chain.sign(round) },
    publicEntropy,
  });
}

const trust = { trustedChains: [chain.info.chainHash] };

/** Ids of the checks that failed, in report order. */
function failed(d: PublishedDraw): string[] {
  return verifyPublishedDraw(d, trust)
    .checks.filter((c) => !c.ok)
    .map((c) => c.id);
}

describe('verifyPublishedDraw', () => {
  it('reports MATCH for an honest anchored record, with and without public entropy', () => {
    for (const entropy of ['entropy from the office', null]) {
      const report = verifyPublishedDraw(honestDraw(entropy), trust);
      expect(report.firstDifference).toBeNull();
      expect(report.checks.map((c) => c.id)).toEqual(Object.keys(CHECK_NAMES));
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.match).toBe(true);
    }
  });

  it('passes an unanchored record with a warning, and refuses it when an anchor is required', () => {
    const d = honestRecord({ n: 20 });
    const report = verifyPublishedDraw(d);
    expect(report.match).toBe(true);
    const beacon = report.checks.find((c) => c.id === 'beaconChain')!;
    expect(beacon).toMatchObject({ ok: true, warning: true });
    expect(beacon.detail).toMatch(/not anchored/);
    expect(verifyPublishedDraw(d, { requireAnchor: true }).match).toBe(false);
  });

  it('refuses a test chain nobody said to trust', () => {
    expect(failed(honestDraw()).length).toBe(0);
    const report = verifyPublishedDraw(honestDraw());
    expect(report.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['beaconChain']);
  });

  it('gives the same verdict with node:crypto as the hash', () => {
    const nodeHash = (d: Uint8Array) => createHash('sha256').update(d).digest();
    expect(verifyPublishedDraw(honestDraw(), { ...trust, hash: nodeHash }).match).toBe(true);
  });

  it('verifies a real quicknet round without being told to trust anything', () => {
    const [r] = QUICKNET_RECORDED.rounds;
    const d = honestRecord({
      n: 10,
      beacon: { anchor: { ...QUICKNET_RECORDED.info, round: r!.round }, output: r! },
    });
    expect(verifyPublishedDraw(d).match).toBe(true);
  });

  it('does not verify a draw that is not drawn or not fully published', () => {
    const open: PublishedDraw = {
      ...honestDraw(),
      status: 'open',
      seed: null,
      results: null,
      resultsDigest: null,
    };
    const report = verifyPublishedDraw(open, trust);
    expect(report.match).toBe(false);
    expect(report.checks.map((c) => c.id)).toEqual(['specVersion', 'drawId', 'revealed']);
    expect(report.checks[2]!.detail).toMatch(/draw is open/);
  });

  it('refuses a changed weight, even with its digest rewritten', () => {
    const d = honestDraw();
    const last = d.results!.at(-1)!.ticket;
    d.entries = d.entries!.map((e) => (e.ticket === last ? { ...e, weight: 1000 } : e));
    expect(failed(d)).toEqual(['weights', 'entries', 'recompute']);
    expect(verifyPublishedDraw(d, trust).firstDifference).toContain(`recomputed ticket ${last}`);
  });

  it('refuses a weight part changed to fit a weight', () => {
    const d = honestDraw();
    d.entries![3] = { ...d.entries![3]!, losses: d.entries![3]!.losses + 1 };
    expect(failed(d)).toEqual(['weights', 'entries']);
  });

  it('refuses a different seed, draw id, entropy or count', () => {
    expect(failed({ ...honestDraw(), seed: sha256Hex('a seed chosen later') })).toEqual([
      'commitment',
      'recompute',
    ]);
    expect(failed({ ...honestDraw(), drawId: 'jakarta-selatan:2026-03-11' })).toEqual([
      'drawId',
      'commitment',
      'recompute',
    ]);
    expect(failed({ ...honestDraw(), publicEntropy: 'other' })).toEqual(['recompute']);
    expect(failed({ ...honestDraw(), entryCount: 41 })).toEqual(['counts']);
    expect(failed({ ...honestDraw(), waitlisted: 0 })).toEqual(['counts']);
  });

  it('refuses another beacon round, a bad signature, and a round published before the close', () => {
    const other = { anchor: chain.anchor(round + 1), beacon: chain.sign(round + 1) };
    expect(failed({ ...honestDraw(), ...other })).toEqual(['commitment', 'recompute']);
    expect(failed({ ...honestDraw(), beacon: chain.sign(round + 1) })).toEqual(['beaconRound', 'recompute']);
    const d = honestDraw();
    d.beacon = { ...d.beacon!, signature: chain.sign(round + 1).signature };
    expect(failed(d)).toEqual(['beaconRound']);
    const late = honestDraw();
    late.closedAt = new Date(Date.parse(late.closedAt!) + 120_000).toISOString();
    expect(failed(late)).toEqual(['beaconTime']);
  });

  it('refuses an altered result row, with or without a matching results digest', () => {
    const d = honestDraw();
    const row = d.results![2]!;
    const other = d.sessions.find((s) => s.id !== row.sessionId)!.id;
    d.results = d.results!.map((r, i) => (i === 2 ? { ...r, sessionId: other } : r));
    expect(verifyPublishedDraw(d, trust).firstDifference).toBe(
      `rank 3: published ticket ${row.ticket} session ${other}, recomputed ticket ${row.ticket} ${row.sessionId === null ? 'waitlisted' : `session ${row.sessionId}`}`,
    );
    expect(failed(d)).toContain('recompute');
    d.resultsDigest = resultsDigest(d.results);
    expect(failed(d)).toContain('recompute');
    expect(failed(d)).not.toContain('results');
  });

  it('reports entries that cannot be drawn instead of throwing', () => {
    const d = honestDraw();
    d.entries = [...d.entries!, { ...d.entries![0]! }];
    const report = verifyPublishedDraw(d, trust);
    expect(report.checks.find((c) => c.id === 'recompute')!.detail).toMatch(
      /cannot recompute: duplicate ticket/,
    );
  });

  it('rejects a seed that is not 64 lowercase hex characters', () => {
    const seed = 'A'.repeat(64);
    const d = honestDraw();
    expect(failed({ ...d, seed, commitment: commitmentFor(d.drawId, seed, d.anchor) })).toContain('revealed');
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
