// Honest published records built from first principles (the domain functions, no server), for the verifier
// tests, the tampering tests and the spec's test vectors (spec/vectors).
import {
  computeDraw,
  entriesDigest,
  type PublishedEntry,
  resultsDigest,
  sha256Hex,
} from '../../src/domain/draw-record.ts';
import {
  type BeaconAnchor,
  type BeaconOutput,
  commitmentFor,
  drawIdOf,
  effectiveSeedFor,
  type PublicWeightRules,
  roundTime,
  SPEC_VERSION,
  weightFromParts,
} from '../../src/domain/draw-spec.ts';
import { groupWeight } from '../../src/domain/lottery.ts';
import type { PublishedDraw } from '../../src/domain/verify.ts';

export const vectorRules: PublicWeightRules = {
  version: 3,
  categories: [
    { id: 'lansia', weight: 2 },
    { id: 'disabilitas', weight: 2 },
    { id: 'ibu-anak', weight: 1.5 },
  ],
  loserBonus: { perLoss: 0.5, cap: 3 },
  penaltyFactor: 0.5,
};

export interface RecordInput {
  officeId?: string;
  drawDate?: string;
  n: number;
  sessions?: { id: string; capacity: number }[];
  rules?: PublicWeightRules;
  /** The round the draw was anchored to and its output; null = unanchored. */
  beacon?: { anchor: BeaconAnchor; output: BeaconOutput } | null;
  publicEntropy?: string | null;
  seedLabel?: string;
  /** Make every fourth entry a group of 2 to 4 members (docs/draw-spec.md 5.2). */
  groups?: boolean;
}

/** Entry i's parts and preferences: every kind the spec names occurs in a list of a few dozen. */
export function vectorEntry(
  i: number,
  sessionIds: readonly string[],
  rules: PublicWeightRules,
): PublishedEntry {
  const category = [null, null, 'lansia', null, 'ibu-anak', 'disabilitas', 'unknown-cat'][i % 7]!;
  const losses = [0, 0, 1, 0, 3, 7][i % 6]!;
  const penalty = i % 9 === 4;
  const prefs =
    i % 5 === 0
      ? null
      : i % 5 === 1
        ? [sessionIds[i % sessionIds.length]!]
        : i % 5 === 2
          ? [sessionIds[(i + 1) % sessionIds.length]!, 'no-such-session', sessionIds[i % sessionIds.length]!]
          : i % 5 === 3
            ? [sessionIds.at(-1)!]
            : [];
  const parts = { category, losses, penalty };
  return {
    ticket: `T${sha256Hex(`ticket ${i}`).slice(0, 11).toUpperCase()}`,
    weight: weightFromParts(rules, parts),
    prefs,
    ...parts,
  };
}

/** A group entry: entry i's ticket and preferences, members with the parts of entries i, i + 1, … */
export function vectorGroup(
  i: number,
  sessionIds: readonly string[],
  rules: PublicWeightRules,
): PublishedEntry {
  const lead = vectorEntry(i, sessionIds, rules);
  const members = Array.from({ length: 2 + (i % 3) }, (_, k) => {
    const { category, losses, penalty } = vectorEntry(i + k, sessionIds, rules);
    return { category, losses, penalty };
  });
  return {
    ...lead,
    ...members[0]!,
    members,
    weight: groupWeight(members.map((m) => weightFromParts(rules, m))),
  };
}

export function honestRecord(input: RecordInput): PublishedDraw {
  const officeId = input.officeId ?? 'jakarta-selatan';
  const drawDate = input.drawDate ?? '2026-03-10';
  const sessions = input.sessions ?? [
    { id: 'pagi-1', capacity: 4 },
    { id: 'pagi-2', capacity: 3 },
    { id: 'siang-1', capacity: 2 },
  ];
  const rules = input.rules ?? vectorRules;
  const drawId = drawIdOf(officeId, drawDate);
  const seed = sha256Hex(input.seedLabel ?? `server seed of ${drawId}`);
  const beacon = input.beacon ?? null;
  const anchor = beacon?.anchor ?? null;
  const publicEntropy = input.publicEntropy ?? null;
  const entries = Array.from({ length: input.n }, (_, i) =>
    input.groups && i % 4 === 1
      ? vectorGroup(
          i,
          sessions.map((s) => s.id),
          rules,
        )
      : vectorEntry(
          i,
          sessions.map((s) => s.id),
          rules,
        ),
  );
  const effective = effectiveSeedFor(seed, beacon?.output.randomness ?? null, publicEntropy);
  const results = computeDraw({ seed: effective, drawId, entries, sessions });
  const winners = results.filter((r) => r.sessionId !== null).length;
  // Entries closed a minute before the round (or at 19:00 Jakarta time for an unanchored draw).
  const closedAt = anchor
    ? new Date((roundTime(anchor, anchor.round) - 60) * 1000).toISOString()
    : `${drawDate}T12:00:00.000Z`;
  return {
    specVersion: SPEC_VERSION,
    officeId,
    drawDate,
    drawId,
    targetDate: drawDate,
    status: 'drawn',
    commitment: commitmentFor(drawId, seed, anchor),
    anchor,
    beacon: beacon?.output ?? null,
    seed,
    publicEntropy,
    closedAt,
    rules,
    sessions,
    entries,
    entriesDigest: entriesDigest(entries),
    results,
    resultsDigest: resultsDigest(results),
    entryCount: entries.length,
    winners,
    waitlisted: entries.length - winners,
  };
}
