// Verification of a published draw from public data alone (docs/draw-spec.md), the same code on the public
// page and in the CLI. Every check runs even after an earlier one failed, so a report says everything that
// is wrong, not just the first thing. The log checks need the log itself and are added by the caller
// (src/domain/verify-log.ts).
import { verifyBeaconOutput } from './beacon-verify.ts';
import {
  computeDraw,
  type DrawOutcomeRow,
  entriesDigest,
  type PublishedEntry,
  resultsDigest,
} from './draw-record.ts';
import {
  type BeaconAnchor,
  type BeaconOutput,
  chainHashOf,
  commitmentFor,
  drawIdOf,
  effectiveSeedFor,
  type PublicWeightRules,
  roundTime,
  SPEC_VERSION,
  weightOfEntry,
} from './draw-spec.ts';
import { defaultHash, type HashFn } from './lottery.ts';

export interface PublishedDraw {
  specVersion: number;
  officeId: string;
  drawDate: string;
  drawId: string;
  targetDate: string;
  status: 'open' | 'closed' | 'drawn';
  commitment: string;
  /** The beacon round fixed at open; null = not anchored (development or BEACON=off). */
  anchor: BeaconAnchor | null;
  /** The round's output, once the draw has it. */
  beacon: BeaconOutput | null;
  seed: string | null;
  publicEntropy: string | null;
  /** When entries actually stopped (ISO). */
  closedAt: string | null;
  /** The rules version the weights follow, with the public parts that weights depend on. */
  rules: PublicWeightRules | null;
  sessions: { id: string; capacity: number }[];
  entries: PublishedEntry[] | null;
  entriesDigest: string | null;
  results: DrawOutcomeRow[] | null;
  resultsDigest: string | null;
  entryCount: number | null;
  winners: number | null;
  waitlisted: number | null;
}

export interface VerifyCheck {
  /** Stable across verifiers (the Python one uses the same ids): a key of CHECK_NAMES or of LOG_CHECK_NAMES. */
  id: string;
  name: string;
  ok: boolean;
  detail: string;
  /** Passed, but with something a reader must know (an unanchored draw). */
  warning?: boolean;
}

export interface VerifyReport {
  match: boolean;
  checks: VerifyCheck[];
  /** The first rank at which published and recomputed results differ, or null if they agree (or cannot be compared). */
  firstDifference: string | null;
}

export interface VerifyOptions {
  hash?: HashFn;
  /** Chain hashes accepted as public beacons besides League of Entropy quicknet (always trusted). */
  trustedChains?: readonly string[];
  /** Refuse an unanchored draw instead of passing it with a warning. */
  requireAnchor?: boolean;
}

export const QUICKNET_CHAIN_HASH = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';

export const CHECK_NAMES = {
  specVersion: 'record follows a known spec version',
  drawId: 'draw id is office:date',
  revealed: 'draw is drawn and seed revealed',
  commitment: 'seed, draw id and beacon round match the commitment made at open',
  beaconChain: 'beacon chain is a trusted public chain',
  beaconRound: 'beacon round is the one fixed at open and its signature verifies',
  beaconTime: 'beacon round was published after entries closed',
  weights: 'every weight follows the published rules',
  entries: 'entry list matches its published digest',
  counts: 'entry, winner and waitlist counts match the lists',
  recompute: 'recomputed results match the published results',
  results: 'published results match their published digest',
} as const;

const SEED_FORMAT = /^[0-9a-f]{64}$/;

function describe(row: DrawOutcomeRow | undefined): string {
  if (!row) return 'no row';
  return `ticket ${row.ticket} ${row.sessionId === null ? 'waitlisted' : `session ${row.sessionId}`}`;
}

type CheckId = keyof typeof CHECK_NAMES;
type Check = (id: CheckId, ok: boolean, detail: string, warning?: boolean) => void;

function checkBeacon(d: PublishedDraw, o: VerifyOptions, hash: HashFn, check: Check): void {
  const a = d.anchor;
  if (!a) {
    check(
      'beaconChain',
      !o.requireAnchor,
      'not anchored: no public beacon; whoever held the server seed could have known the outcome',
      true,
    );
    return;
  }
  let chainHash = '';
  try {
    chainHash = chainHashOf(a, hash);
  } catch (err) {
    chainHash = `(unreadable: ${(err as Error).message})`;
  }
  const trusted = a.chainHash === QUICKNET_CHAIN_HASH || (o.trustedChains ?? []).includes(a.chainHash);
  check(
    'beaconChain',
    chainHash === a.chainHash && trusted,
    chainHash !== a.chainHash
      ? `chain info hashes to ${chainHash}, not to the chain hash ${a.chainHash}`
      : trusted
        ? `drand chain ${a.chainHash}${a.chainHash === QUICKNET_CHAIN_HASH ? ' (League of Entropy quicknet)' : ''}`
        : `drand chain ${a.chainHash} is not a chain this verifier trusts`,
  );
  const b = d.beacon;
  if (!b) {
    check('beaconRound', false, `round ${a.round} is not in the record`);
  } else if (b.round !== a.round) {
    check('beaconRound', false, `record uses round ${b.round}, the draw was opened with round ${a.round}`);
  } else {
    const v = verifyBeaconOutput(a, b, hash);
    check('beaconRound', v.ok, v.ok ? `round ${b.round}, randomness ${b.randomness}` : v.reason);
  }
  const at = roundTime(a, a.round) * 1000;
  const closed = d.closedAt === null ? Number.NaN : Date.parse(d.closedAt);
  check(
    'beaconTime',
    closed < at,
    Number.isNaN(closed)
      ? 'the record has no close time'
      : `round ${a.round} at ${new Date(at).toISOString()}, entries closed at ${d.closedAt}`,
  );
}

function checkWeights(d: PublishedDraw, entries: readonly PublishedEntry[], check: Check): void {
  const rules = d.rules;
  if (!rules) {
    check('weights', false, 'the record does not publish its rules');
    return;
  }
  let wrong = 0;
  let first = '';
  for (const e of entries) {
    let expected: number;
    try {
      expected = weightOfEntry(rules, e);
    } catch {
      expected = Number.NaN;
    }
    if (expected === e.weight) continue;
    if (wrong++ === 0)
      first = `ticket ${e.ticket}: published ${e.weight}, rules give ${expected} (category ${e.category ?? '-'}, losses ${e.losses}, penalty ${e.penalty ? 1 : 0})`;
  }
  check(
    'weights',
    wrong === 0,
    wrong === 0
      ? `${entries.length} weights recomputed (rules version ${rules.version})`
      : `${wrong} wrong; first ${first}`,
  );
}

function checkCounts(
  d: PublishedDraw,
  entries: readonly PublishedEntry[],
  results: readonly DrawOutcomeRow[],
  check: Check,
) {
  const winners = results.filter((r) => r.sessionId !== null).length;
  const seats = d.sessions.reduce((n, s) => n + s.capacity, 0);
  const sizeOf = new Map(entries.map((e) => [e.ticket, e.members?.length ?? 1]));
  let seated = 0;
  for (const r of results) if (r.sessionId !== null) seated += sizeOf.get(r.ticket) ?? 1;
  const problems: string[] = [];
  if (d.entryCount !== entries.length)
    problems.push(`entry count ${d.entryCount}, list has ${entries.length}`);
  if (results.length !== entries.length)
    problems.push(`${results.length} result rows for ${entries.length} entries`);
  if (d.winners !== winners) problems.push(`winners ${d.winners}, results have ${winners}`);
  if (d.waitlisted !== results.length - winners)
    problems.push(`waitlisted ${d.waitlisted}, results have ${results.length - winners}`);
  if (seated > seats) problems.push(`${seated} persons seated for ${seats} places`);
  check(
    'counts',
    problems.length === 0,
    problems.length === 0
      ? `${entries.length} entries, ${winners} winners, ${results.length - winners} waitlisted`
      : problems.join('; '),
  );
}

export function verifyPublishedDraw(d: PublishedDraw, opts: VerifyOptions | HashFn = {}): VerifyReport {
  const o: VerifyOptions = typeof opts === 'function' ? { hash: opts } : opts;
  const hash = o.hash ?? defaultHash;
  const checks: VerifyCheck[] = [];
  const check: Check = (id, ok, detail, warning) =>
    checks.push({ id, name: CHECK_NAMES[id], ok, detail, ...(warning ? { warning } : {}) });

  check(
    'specVersion',
    d.specVersion === SPEC_VERSION,
    d.specVersion === SPEC_VERSION
      ? `version ${SPEC_VERSION}`
      : `version ${d.specVersion}; this verifier implements ${SPEC_VERSION}`,
  );
  const expectedId = drawIdOf(d.officeId, d.drawDate);
  check(
    'drawId',
    d.drawId === expectedId,
    d.drawId === expectedId ? d.drawId : `draw id ${d.drawId}, expected ${expectedId}`,
  );

  const { seed, entries, results } = d;
  if (d.status !== 'drawn' || seed === null || entries === null || results === null) {
    const missing = [seed === null && 'seed', entries === null && 'entries', results === null && 'results']
      .filter(Boolean)
      .join(', ');
    check(
      'revealed',
      false,
      d.status !== 'drawn'
        ? `draw is ${d.status}; nothing to verify until it is drawn and the seed is revealed`
        : `draw is drawn but not yet fully published (missing: ${missing})`,
    );
    return { match: false, checks, firstDifference: null };
  }
  check(
    'revealed',
    SEED_FORMAT.test(seed),
    SEED_FORMAT.test(seed)
      ? `seed ${seed}`
      : `seed ${JSON.stringify(seed)} is not 64 lowercase hex characters`,
  );

  const commitment = commitmentFor(d.drawId, seed, d.anchor, hash);
  check(
    'commitment',
    commitment === d.commitment,
    commitment === d.commitment
      ? commitment
      : `recomputed ${commitment}, published commitment ${d.commitment}`,
  );

  checkBeacon(d, o, hash, check);
  checkWeights(d, entries, check);

  const eDigest = entriesDigest(entries, hash);
  check(
    'entries',
    eDigest === d.entriesDigest,
    eDigest === d.entriesDigest
      ? `${entries.length} entries, digest ${eDigest}`
      : `${entries.length} entries hash to ${eDigest}, published digest ${d.entriesDigest ?? '(none)'}`,
  );
  checkCounts(d, entries, results, check);

  let firstDifference: string | null = null;
  try {
    const recomputed = computeDraw({
      seed: effectiveSeedFor(seed, d.anchor ? (d.beacon?.randomness ?? '') : null, d.publicEntropy, hash),
      drawId: d.drawId,
      entries,
      sessions: d.sessions,
      hash,
    });
    const n = Math.max(recomputed.length, results.length);
    for (let i = 0; i < n; i++) {
      const p = results[i];
      const r = recomputed[i];
      if (p && r && p.rank === r.rank && p.ticket === r.ticket && p.sessionId === r.sessionId) continue;
      const rank = p?.rank === i + 1 || !p ? i + 1 : `${i + 1} (published as rank ${p.rank})`;
      firstDifference = `rank ${rank}: published ${describe(p)}, recomputed ${describe(r)}`;
      break;
    }
    check(
      'recompute',
      firstDifference === null,
      firstDifference === null
        ? `${recomputed.length} rows identical`
        : `${results.length} published rows, ${recomputed.length} recomputed; first difference at ${firstDifference}`,
    );
  } catch (err) {
    check('recompute', false, `cannot recompute: ${err instanceof Error ? err.message : String(err)}`);
  }

  const rDigest = resultsDigest(results, hash);
  check(
    'results',
    rDigest === d.resultsDigest,
    rDigest === d.resultsDigest
      ? `digest ${rDigest}`
      : `${results.length} rows hash to ${rDigest}, published digest ${d.resultsDigest ?? '(none)'}`,
  );

  return { match: checks.every((c) => c.ok), checks, firstDifference };
}

/** The row of one ticket, for "find my rank" on the public page; null if the ticket is not in the results. */
export function findTicket(d: PublishedDraw, ticket: string): DrawOutcomeRow | null {
  return d.results?.find((r) => r.ticket === ticket) ?? null;
}
