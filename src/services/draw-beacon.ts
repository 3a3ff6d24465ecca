// The beacon step of a draw, between the frozen entry list and the ranking: the round fixed at open,
// fetched and verified once, or a visible wait until it is there (docs/draw-spec.md, "Beacon").
import type { BeaconOutput } from '../domain/draw-spec.ts';
import { roundTime } from '../domain/draw-spec.ts';
import type { DrawMeta, DrawStore } from '../store/draws.ts';
import type { DrandBeacon } from './beacon.ts';

/** How soon a draw asks again once its round's time has passed but no endpoint gave it. */
export const BEACON_RETRY_MS = 10_000;
/** Rounds appear a moment after their time; asking right at it mostly finds nothing yet. */
const ROUND_GRACE_MS = 1_000;

/** The draw cannot go on before its beacon round is there; `retryAtMs` is when to try again. */
export class BeaconPending extends Error {
  constructor(
    readonly round: number,
    readonly retryAtMs: number,
    reason: string,
  ) {
    super(`waiting for beacon round ${round}: ${reason}`);
  }
}

/** The verified round of an anchored draw (null for an unanchored one); throws BeaconPending to wait. */
export async function drawBeacon(
  deps: { draws: DrawStore; beacon: DrandBeacon | null; now: () => Date },
  meta: DrawMeta,
): Promise<BeaconOutput | null> {
  const anchor = meta.anchor;
  if (!anchor) return null;
  if (meta.beacon) return meta.beacon;
  const nowMs = deps.now().getTime();
  const dueMs = roundTime(anchor, anchor.round) * 1000 + ROUND_GRACE_MS;
  let reason: string;
  let retryAtMs: number;
  if (nowMs < dueMs) {
    reason = `round ${anchor.round} is published at ${new Date(dueMs - ROUND_GRACE_MS).toISOString()}`;
    retryAtMs = dueMs;
  } else if (!deps.beacon) {
    reason = 'no beacon is configured (BEACON_URLS) to fetch the round this draw was opened with';
    retryAtMs = nowMs + BEACON_RETRY_MS;
  } else {
    const got = await deps.beacon.fetchRound(anchor);
    if (got.ok) return deps.draws.setBeacon(meta.officeId, meta.drawDate, got.output);
    reason = `round ${anchor.round} not available: ${got.reason}`;
    retryAtMs = nowMs + BEACON_RETRY_MS;
  }
  await deps.draws.setBeaconWait(meta.officeId, meta.drawDate, { reason, at: nowMs, nextTryAt: retryAtMs });
  throw new BeaconPending(anchor.round, retryAtMs, reason);
}
