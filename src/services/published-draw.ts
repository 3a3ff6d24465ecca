// The public record of a draw (docs/draw-spec.md, "The record"): everything an outsider needs to recompute
// and check it, and no personal data.

import { drawCloseInstant } from '../domain/calendar.ts';
import { drawIdOf, type PublicWeightRules, roundTime, SPEC_VERSION } from '../domain/draw-spec.ts';
import type { Rules } from '../domain/rules.ts';
import type { PublishedDraw } from '../domain/verify.ts';
import { type ClosedDayStore, seatsLeft } from '../store/closed-days.ts';
import { type DrawStore, parseFrozen, parseResults } from '../store/draws.ts';
import type { EntryStore } from '../store/entries/index.ts';
import type { OfficeStore } from '../store/offices.ts';

export interface PublicDraw extends PublishedDraw {
  /** The scheduled close (the actual one is closedAt). */
  closesAt: string | null;
  drawnAt: string | null;
  /** When the beacon round is published, for an anchored draw. */
  beaconRoundAt: string | null;
  /** Set while a closed draw waits for its beacon round: why, and when it tries again. */
  beaconWait: { reason: string; since: string; nextTryAt: string } | null;
  /** Indexes of the draw's events in the transparency log. */
  log: { opened: number | null; closed: number | null; drawn: number | null };
}

/** The parts of an office's rules every weight follows; published with each record and each office. */
export function publicWeightRules(version: number, rules: Rules): PublicWeightRules {
  return {
    version,
    categories: rules.priorityCategories.map((c) => ({ id: c.id, weight: c.weight })),
    loserBonus: { perLoss: rules.loserBonus.perLoss, cap: rules.loserBonus.cap },
    penaltyFactor: rules.noShow.penaltyFactor,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function publicDraw(
  deps: {
    draws: DrawStore;
    offices: OfficeStore;
    entries: EntryStore;
    closedDays: Pick<ClosedDayStore, 'reserved'>;
  },
  officeId: string,
  drawDate: string,
  opts: { full?: boolean } = { full: true },
): Promise<PublicDraw | null> {
  const [office, meta] = await Promise.all([deps.offices.get(officeId), deps.draws.meta(officeId, drawDate)]);
  if (!office || !meta) return null;
  const rulesVersion = meta.rulesVersion
    ? await deps.offices.rulesVersion(officeId, meta.rulesVersion)
    : await deps.offices.rules(officeId);
  const rules = rulesVersion?.rules;
  const drawn = meta.state === 'drawn';
  const [frozen, results, opened, closed, drawnAt] = await Promise.all([
    opts.full !== false && meta.entriesDigest ? deps.draws.frozen(officeId, drawDate) : null,
    opts.full !== false && drawn ? deps.draws.results(officeId, drawDate) : null,
    deps.draws.logIndex(officeId, drawDate, 'opened'),
    deps.draws.logIndex(officeId, drawDate, 'closed'),
    deps.draws.logIndex(officeId, drawDate, 'drawn'),
  ]);
  const a = meta.anchor;
  return {
    specVersion: SPEC_VERSION,
    officeId,
    drawDate,
    drawId: drawIdOf(officeId, drawDate),
    targetDate: meta.targetDate,
    status: meta.state,
    commitment: meta.commitment,
    anchor: a,
    beacon: meta.beacon,
    // The seed stays secret until the results are committed: that is what makes the commitment binding.
    seed: drawn ? meta.seed : null,
    publicEntropy: meta.publicEntropy,
    closedAt: iso(meta.closedAt),
    rules: rulesVersion ? publicWeightRules(rulesVersion.version, rulesVersion.rules) : null,
    sessions: rules
      ? seatsLeft(rules.sessions, await deps.closedDays.reserved(officeId, meta.targetDate)).map((s) => ({
          id: s.id,
          capacity: s.capacity,
        }))
      : [],
    entries: frozen !== null ? parseFrozen(frozen) : null,
    entriesDigest: meta.entriesDigest,
    results: results !== null ? parseResults(results) : null,
    resultsDigest: meta.resultsDigest,
    entryCount: meta.entryCount ?? (await deps.entries.count(officeId, drawDate)),
    winners: meta.winners,
    waitlisted: meta.waitlisted,
    closesAt: rules ? drawCloseInstant(rules, office.tz, drawDate).toISOString() : null,
    drawnAt: iso(meta.drawnAt),
    beaconRoundAt: a ? new Date(roundTime(a, a.round) * 1000).toISOString() : null,
    beaconWait:
      meta.beaconWait && meta.state === 'closed'
        ? {
            reason: meta.beaconWait.reason,
            since: new Date(meta.beaconWait.at).toISOString(),
            nextTryAt: new Date(meta.beaconWait.nextTryAt).toISOString(),
          }
        : null,
    log: { opened, closed, drawn: drawnAt },
  };
}
