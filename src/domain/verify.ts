// Verification of a published draw from public data alone, the same code on the public page and in the CLI.
// Every check runs even after an earlier one failed, so a report says everything that is wrong, not just
// the first thing.
import {
  commitmentOf,
  computeDraw,
  type DrawOutcomeRow,
  effectiveSeed,
  entriesDigest,
  type PublishedEntry,
  resultsDigest,
} from './draw-record.ts';
import { defaultHash, type HashFn } from './lottery.ts';

export interface PublishedDraw {
  officeId: string;
  drawDate: string;
  drawId: string;
  targetDate: string;
  status: 'open' | 'closed' | 'drawn';
  commitment: string;
  seed: string | null;
  publicEntropy: string | null;
  sessions: { id: string; capacity: number }[];
  entries: PublishedEntry[] | null;
  entriesDigest: string | null;
  results: DrawOutcomeRow[] | null;
  resultsDigest: string | null;
}

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyReport {
  match: boolean;
  checks: VerifyCheck[];
  /** The first rank at which published and recomputed results differ, or null if they agree (or cannot be compared). */
  firstDifference: string | null;
}

export const CHECK_NAMES = {
  revealed: 'draw is drawn and seed revealed',
  commitment: 'seed matches the commitment published before the draw',
  entries: 'entry list matches its published digest',
  recompute: 'recomputed results match the published results',
  results: 'published results match their published digest',
} as const;

const SEED_FORMAT = /^[0-9a-f]{64}$/;

function describe(row: DrawOutcomeRow | undefined): string {
  if (!row) return 'no row';
  return `ticket ${row.ticket} ${row.sessionId === null ? 'waitlisted' : `session ${row.sessionId}`}`;
}

export function verifyPublishedDraw(d: PublishedDraw, hash: HashFn = defaultHash): VerifyReport {
  const checks: VerifyCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const { seed, entries, results } = d;
  if (d.status !== 'drawn' || seed === null || entries === null || results === null) {
    const missing = [seed === null && 'seed', entries === null && 'entries', results === null && 'results']
      .filter(Boolean)
      .join(', ');
    check(
      CHECK_NAMES.revealed,
      false,
      d.status !== 'drawn'
        ? `draw is ${d.status}; nothing to verify until it is drawn and the seed is revealed`
        : `draw is drawn but not yet fully published (missing: ${missing})`,
    );
    return { match: false, checks, firstDifference: null };
  }
  check(
    CHECK_NAMES.revealed,
    SEED_FORMAT.test(seed),
    SEED_FORMAT.test(seed)
      ? `seed ${seed}`
      : `seed ${JSON.stringify(seed)} is not 64 lowercase hex characters`,
  );

  const commitment = commitmentOf(seed, hash);
  check(
    CHECK_NAMES.commitment,
    commitment === d.commitment,
    commitment === d.commitment
      ? `sha256(seed) = ${commitment}`
      : `sha256(seed) = ${commitment}, published commitment ${d.commitment}`,
  );

  const eDigest = entriesDigest(entries, hash);
  check(
    CHECK_NAMES.entries,
    eDigest === d.entriesDigest,
    eDigest === d.entriesDigest
      ? `${entries.length} entries, digest ${eDigest}`
      : `${entries.length} entries hash to ${eDigest}, published digest ${d.entriesDigest ?? '(none)'}`,
  );

  let firstDifference: string | null = null;
  try {
    const recomputed = computeDraw({
      seed: effectiveSeed(seed, d.publicEntropy, hash),
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
      CHECK_NAMES.recompute,
      firstDifference === null,
      firstDifference === null
        ? `${recomputed.length} rows identical`
        : `${results.length} published rows, ${recomputed.length} recomputed; first difference at ${firstDifference}`,
    );
  } catch (err) {
    check(
      CHECK_NAMES.recompute,
      false,
      `cannot recompute: ${err instanceof Error ? err.message : String(err)}`,
    );
  }

  const rDigest = resultsDigest(results, hash);
  check(
    CHECK_NAMES.results,
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
