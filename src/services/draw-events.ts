// The three events of a draw that go to the transparency log (docs/draw-spec.md, "Log events"): opened
// (commitment and beacon round), closed (entry count and digest) and drawn (seed and results digest).
// Each is appended once per draw: the draw's meta hash remembers the log index it got.
import { drawIdOf, SPEC_VERSION } from '../domain/draw-spec.ts';
import type { Logger } from '../log.ts';
import type { DrawMeta, DrawStore } from '../store/draws.ts';

export type DrawEventKind = 'opened' | 'closed' | 'drawn';

/** What the draw needs of the transparency log. */
export interface DrawLogSink {
  append(event: Record<string, unknown>): Promise<{ index: number }>;
}

/** The event as appended; the verifiers rebuild exactly this from a published record. */
export function drawEventBody(kind: DrawEventKind, m: DrawMeta): Record<string, unknown> {
  const drawId = drawIdOf(m.officeId, m.drawDate);
  if (kind === 'opened')
    return {
      type: 'draw.opened',
      specVersion: SPEC_VERSION,
      drawId,
      commitment: m.commitment,
      beacon: m.anchor ? { chainHash: m.anchor.chainHash, round: m.anchor.round } : null,
    };
  if (kind === 'closed')
    return {
      type: 'draw.closed',
      drawId,
      closedAt: m.closedAt === null ? null : new Date(m.closedAt).toISOString(),
      entryCount: m.entryCount,
      entriesDigest: m.entriesDigest,
    };
  return {
    type: 'draw.drawn',
    drawId,
    seed: m.seed,
    beaconRound: m.beacon?.round ?? null,
    resultsDigest: m.resultsDigest,
    winners: m.winners,
    waitlisted: m.waitlisted,
  };
}

export async function drawEvent(
  deps: { draws: DrawStore; drawLog?: DrawLogSink | null; log: Logger },
  kind: DrawEventKind,
  meta: DrawMeta,
): Promise<void> {
  const sink = deps.drawLog;
  if (!sink) return;
  if ((await deps.draws.logIndex(meta.officeId, meta.drawDate, kind)) !== null) return;
  const { index } = await sink.append(drawEventBody(kind, meta));
  await deps.draws.setLogIndex(meta.officeId, meta.drawDate, kind, index);
  deps.log.info({ officeId: meta.officeId, drawDate: meta.drawDate, kind, index }, 'draw event logged');
}
