// What a draw is opened with, by its first entry or by a close that finds nobody entered: the secret
// server seed, the beacon round that will complete it, and the commitment that binds both to the draw id
// (docs/draw-spec.md). Only the commitment and the anchor are public before the draw.
import { createHash } from 'node:crypto';
import { drawCloseInstant } from '../domain/calendar.ts';
import { type BeaconAnchor, type DrawOpening, drawIdOf, newOpening } from '../domain/draw-spec.ts';
import type { HashFn } from '../domain/lottery.ts';
import type { OfficeStore } from '../store/offices.ts';
import type { DrandBeacon } from './beacon.ts';

const nodeHash: HashFn = (data) => createHash('sha256').update(data).digest();

/**
 * A candidate is offered with every join until one opens the draw (the script keeps the first and ignores
 * the rest), so one per draw and process is as good as a fresh one per join. Kept a minute at most: an
 * edited draw time moves the beacon round of a draw not opened yet.
 */
const CANDIDATE_MS = 60_000;

export class DrawOpener {
  private readonly candidates = new Map<string, { at: number; opening: DrawOpening }>();

  constructor(
    private readonly offices: Pick<OfficeStore, 'get' | 'rules'>,
    private readonly beacon: DrandBeacon | null,
  ) {}

  async opening(officeId: string, drawDate: string): Promise<DrawOpening> {
    const key = `${officeId}|${drawDate}`;
    const hit = this.candidates.get(key);
    const now = Date.now();
    if (hit && now - hit.at < CANDIDATE_MS) return hit.opening;
    const opening = newOpening(
      drawIdOf(officeId, drawDate),
      await this.anchorOf(officeId, drawDate),
      nodeHash,
    );
    if (this.candidates.size >= 1000) this.candidates.clear();
    this.candidates.set(key, { at: now, opening });
    return opening;
  }

  private async anchorOf(officeId: string, drawDate: string): Promise<BeaconAnchor | null> {
    if (!this.beacon) return null;
    const [office, rules] = await Promise.all([this.offices.get(officeId), this.offices.rules(officeId)]);
    if (!office || !rules) throw new Error(`no office ${officeId} to open a draw for`);
    return this.beacon.anchorFor(drawCloseInstant(rules.rules, office.tz, drawDate).getTime());
  }
}
