// The three events of a draw that go to the transparency log (docs/draw-spec.md, "Log events";
// docs/transparency-log.md): opened (commitment, spec version and beacon round), closed (entry count and
// digest) and drawn (seed, beacon randomness and results digest). The log keeps one event of each type per
// draw; the draw's meta hash remembers the index, so the record can point at it.
import { drawIdOf, SPEC_VERSION } from '../domain/draw-spec.ts';
import type { LogEvent, LogEventType } from '../domain/log-event.ts';
import type { Logger } from '../log.ts';
import type { DrawMeta, DrawStore } from '../store/draws.ts';
import type { OfficeStore } from '../store/offices.ts';
import type { TransparencyLog } from '../store/translog.ts';

export type DrawEventKind = 'opened' | 'closed' | 'drawn';

const iso = (ms: number | null) => new Date(ms ?? Date.now()).toISOString();

/** The event as appended; the verifiers compare a published record with exactly these fields. */
export function drawEventOf(kind: DrawEventKind, m: DrawMeta, rulesVersion: number): LogEvent {
  const drawId = drawIdOf(m.officeId, m.drawDate);
  const head = <T extends LogEventType>(type: T, at: number | null) => ({ type, drawId, at: iso(at) });
  if (kind === 'opened')
    return {
      ...head('draw-opened', m.openedAt),
      commitment: m.commitment,
      beaconChain: m.anchor?.chainHash ?? null,
      beaconRound: m.anchor?.round ?? null,
      specVersion: String(SPEC_VERSION),
      rulesVersion,
    };
  if (kind === 'closed')
    return {
      ...head('draw-closed', m.closedAt),
      entries: m.entryCount ?? 0,
      entriesDigest: m.entriesDigest ?? '',
    };
  return {
    ...head('draw-drawn', m.drawnAt),
    seed: m.seed,
    beaconRandomness: m.beacon?.randomness ?? null,
    resultsDigest: m.resultsDigest ?? '',
    winners: m.winners ?? 0,
    waitlisted: m.waitlisted ?? 0,
  };
}

export async function drawEvent(
  deps: { draws: DrawStore; offices: Pick<OfficeStore, 'rules'>; translog: TransparencyLog; log: Logger },
  kind: DrawEventKind,
  meta: DrawMeta,
): Promise<void> {
  // A meta read from Redis says which events were logged by then; the append itself is idempotent anyway.
  const known = meta.logged
    ? (meta.logged[kind] ?? null)
    : await deps.draws.logIndex(meta.officeId, meta.drawDate, kind);
  if (known !== null) return;
  // The version in force when the draw opened; the close records the one the weights follow.
  const rulesVersion = meta.rulesVersion ?? (await deps.offices.rules(meta.officeId))?.version ?? 1;
  const appended = await deps.translog.append(drawEventOf(kind, meta, rulesVersion));
  if (!appended.sameEvent)
    throw new Error(
      `draw ${meta.officeId} ${meta.drawDate}: the log already holds a different ${kind} event (#${appended.index})`,
    );
  await deps.draws.setLogIndex(meta.officeId, meta.drawDate, kind, appended.index);
  deps.log.info(
    { officeId: meta.officeId, drawDate: meta.drawDate, kind, index: appended.index },
    'draw event logged',
  );
}
