// The public record of a draw: everything an outsider needs to recompute it, and no personal data.

import { drawCloseInstant } from '../domain/calendar.ts';
import type { PublishedDraw } from '../domain/verify.ts';
import { type ClosedDayStore, seatsLeft } from '../store/closed-days.ts';
import { type DrawStore, parseFrozen, parseResults } from '../store/draws.ts';
import type { EntryStore } from '../store/entries/index.ts';
import type { OfficeStore } from '../store/offices.ts';
import { drawIdOf } from './draw-runner.ts';

export interface PublicDraw extends PublishedDraw {
  rulesVersion: number | null;
  entryCount: number;
  winners: number | null;
  waitlisted: number | null;
  closesAt: string | null;
  drawnAt: string | null;
}

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
  const [frozen, results] =
    opts.full === false
      ? [null, null]
      : await Promise.all([
          meta.entriesDigest ? deps.draws.frozen(officeId, drawDate) : null,
          drawn ? deps.draws.results(officeId, drawDate) : null,
        ]);
  return {
    officeId,
    drawDate,
    drawId: drawIdOf(officeId, drawDate),
    targetDate: meta.targetDate,
    status: meta.state,
    commitment: meta.commitment,
    // The seed stays secret until the results are committed: that is what makes the commitment binding.
    seed: drawn ? meta.seed : null,
    publicEntropy: meta.publicEntropy,
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
    rulesVersion: meta.rulesVersion ?? rulesVersion?.version ?? null,
    entryCount: meta.entryCount ?? (await deps.entries.count(officeId, drawDate)),
    winners: meta.winners,
    waitlisted: meta.waitlisted,
    closesAt: rules ? drawCloseInstant(rules, office.tz, drawDate).toISOString() : null,
    drawnAt: meta.drawnAt ? new Date(meta.drawnAt).toISOString() : null,
  };
}
