// Writes the test vectors of docs/draw-spec.md to spec/vectors/: honest records with the intermediate values
// a new verifier needs (commitment, effective seed, u and keys of the first tickets, ranks, sessions,
// waitlist positions, digests), and tampered records with the checks that must refuse them.
// Run: npx tsx spec/make-vectors.ts   (tests/spec/vectors.test.ts fails when the files are out of date)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../src/domain/draw-record.ts';
import { effectiveSeedFor, weightFromParts } from '../src/domain/draw-spec.ts';
import { groupWeight, keyFor, uniformFor } from '../src/domain/lottery.ts';
import type { PublishedDraw } from '../src/domain/verify.ts';
import { honestRecord } from '../tests/support/draw-records.ts';
import { QUICKNET_RECORDED, testChain } from '../tests/support/test-chain.ts';

export interface Vector {
  name: string;
  description: string;
  /** Chain hashes to trust besides League of Entropy quicknet. */
  trustedChains: string[];
  record: PublishedDraw;
  expected:
    | {
        verdict: 'MATCH';
        commitment: string;
        effectiveSeed: string;
        entriesDigest: string;
        resultsDigest: string;
        /** u and key of the first entries of the list, as the spec computes them. */
        firstEntries: { ticket: string; m: number; u: number; weight: number; key: number }[];
        /** Tickets in rank order, with their session ('-' = waitlisted) and waitlist position. */
        ranking: [string, string, number | null][];
        winners: number;
        waitlisted: number;
      }
    | { verdict: 'REFUSED'; mustFail: string[] };
}

function honestVector(
  name: string,
  description: string,
  record: PublishedDraw,
  trusted: string[] = [],
): Vector {
  const effective = effectiveSeedFor(record.seed!, record.beacon?.randomness ?? null, record.publicEntropy);
  let pos = 0;
  return {
    name,
    description,
    trustedChains: trusted,
    record,
    expected: {
      verdict: 'MATCH',
      commitment: record.commitment,
      effectiveSeed: effective,
      entriesDigest: record.entriesDigest!,
      resultsDigest: record.resultsDigest!,
      firstEntries: record.entries!.slice(0, 5).map((e) => {
        const u = uniformFor(effective, record.drawId, e.ticket);
        return { ticket: e.ticket, m: u * 2 ** 52 - 0.5, u, weight: e.weight, key: keyFor(u, e.weight) };
      }),
      ranking: record.results!.map((r) => [
        r.ticket,
        r.sessionId ?? '-',
        r.sessionId === null ? ++pos : null,
      ]),
      winners: record.winners!,
      waitlisted: record.waitlisted!,
    },
  };
}

const clone = (r: PublishedDraw): PublishedDraw => structuredClone(r);

function tampered(
  base: Vector,
  name: string,
  description: string,
  mustFail: string[],
  edit: (r: PublishedDraw) => void,
): Vector {
  const record = clone(base.record);
  edit(record);
  return {
    name,
    description,
    trustedChains: base.trustedChains,
    record,
    expected: { verdict: 'REFUSED', mustFail },
  };
}

export function buildVectors(): Vector[] {
  const chain = testChain();
  const [round] = QUICKNET_RECORDED.rounds.slice(-1);
  const quicknet = honestRecord({
    officeId: 'jakarta-selatan',
    drawDate: '2023-09-15',
    n: 60,
    beacon: { anchor: { ...QUICKNET_RECORDED.info, round: round!.round }, output: round! },
    publicEntropy: 'entropy announced by the office',
  });
  const testRound = 1_000_000;
  const large = honestRecord({
    officeId: 'surabaya',
    drawDate: '2026-12-01',
    n: 300,
    sessions: [
      { id: 'pagi-1', capacity: 40 },
      { id: 'pagi-2', capacity: 0 },
      { id: 'siang-1', capacity: 35 },
      { id: 'siang-2', capacity: 25 },
    ],
    beacon: { anchor: chain.anchor(testRound), output: chain.sign(testRound) },
  });
  const honest = [
    honestVector(
      'unanchored-small',
      'An unanchored (development) draw of 25 entries: every weight part, preference kind and a waitlist.',
      honestRecord({ officeId: 'bandung', drawDate: '2026-11-30', n: 25 }),
    ),
    honestVector(
      'quicknet-anchored',
      'A draw anchored to a real League of Entropy quicknet round, with admin entropy as an extra input.',
      quicknet,
    ),
    honestVector(
      'test-chain-300',
      'A draw of 300 entries anchored to a test chain (trust its hash to verify), one session of capacity 0.',
      large,
      [chain.info.chainHash],
    ),
  ];
  honest.push(
    honestVector(
      'groups',
      'An unanchored draw of 40 entries, every fourth a group of 2 to 4 persons: mean weights, members per line, seating by size.',
      honestRecord({
        officeId: 'medan',
        drawDate: '2026-12-01',
        n: 40,
        groups: true,
        sessions: [
          { id: 'pagi-1', capacity: 7 },
          { id: 'pagi-2', capacity: 5 },
          { id: 'siang-1', capacity: 3 },
        ],
      }),
    ),
  );
  const q = honest[1]!;
  const g = honest[3]!;
  const other = testChain({ label: 'an impostor chain' });
  return [
    ...honest,
    tampered(
      q,
      'tampered-weight',
      'One weight raised; its parts unchanged.',
      ['weights', 'entries', 'recompute'],
      (r) => {
        r.entries![0]!.weight = 3;
      },
    ),
    tampered(
      q,
      'tampered-result-line',
      'Two result rows swapped, results digest rewritten.',
      ['recompute'],
      (r) => {
        const [a, b] = [r.results![0]!, r.results![1]!];
        r.results![0] = { ...b, rank: 1 };
        r.results![1] = { ...a, rank: 2 };
        r.resultsDigest = sha256Hex(
          r.results!.map((x) => `${x.rank}\t${x.ticket}\t${x.sessionId ?? '-'}\n`).join(''),
        );
      },
    ),
    tampered(
      g,
      'tampered-group-weight',
      "A group's weight made the sum of its members' weights instead of the mean.",
      ['weights', 'entries', 'recompute'],
      (r) => {
        const e = r.entries!.find((x) => x.members)!;
        e.weight = e.members!.reduce((n, m) => n + weightFromParts(r.rules!, m), 0);
      },
    ),
    tampered(
      g,
      'tampered-group-members',
      'One member dropped from a group, its weight recomputed to match: the list no longer hashes to its digest.',
      ['entries'],
      (r) => {
        const e = r.entries!.find((x) => x.members && x.members.length > 2)!;
        e.members = e.members!.slice(0, -1);
        e.weight = groupWeight(e.members.map((m) => weightFromParts(r.rules!, m)));
      },
    ),
    tampered(q, 'tampered-entropy', 'A different public entropy string.', ['recompute'], (r) => {
      r.publicEntropy = 'another entropy string';
    }),
    tampered(
      q,
      'tampered-draw-id',
      'The draw id of another day: a re-roll of the same entries.',
      ['drawId', 'commitment', 'recompute'],
      (r) => {
        r.drawId = 'jakarta-selatan:2023-09-16';
      },
    ),
    tampered(q, 'tampered-count', 'One winner fewer in the published count.', ['counts'], (r) => {
      r.winners = r.winners! - 1;
    }),
    tampered(
      q,
      'tampered-beacon-round',
      'The next round (really signed) in place of the round fixed at open.',
      ['commitment'],
      (r) => {
        const next = QUICKNET_RECORDED.rounds[0]!;
        r.anchor = { ...r.anchor!, round: next.round };
        r.beacon = next;
      },
    ),
    tampered(
      q,
      'tampered-signature',
      'A signature of another round under the same chain.',
      ['beaconRound'],
      (r) => {
        const other = QUICKNET_RECORDED.rounds[0]!;
        r.beacon = { ...r.beacon!, signature: other.signature, randomness: other.randomness };
      },
    ),
    tampered(
      q,
      'impostor-chain',
      "A chain of the operator's own, claiming quicknet's hash.",
      ['beaconChain'],
      (r) => {
        r.anchor = { ...other.anchor(r.anchor!.round), chainHash: r.anchor!.chainHash };
        r.beacon = other.sign(r.anchor.round);
      },
    ),
    tampered(
      q,
      'tampered-spec-version',
      'A spec version this verifier does not implement.',
      ['specVersion'],
      (r) => {
        r.specVersion = 3;
      },
    ),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.join(import.meta.dirname, 'vectors');
  mkdirSync(dir, { recursive: true });
  for (const v of buildVectors())
    writeFileSync(path.join(dir, `${v.name}.json`), `${JSON.stringify(v, null, 1)}\n`);
  console.log(`wrote ${buildVectors().length} vectors to ${dir}`);
}
