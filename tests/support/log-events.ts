// One draw's three transparency-log events with placeholder digests (the seed matches the commitment),
// for tests of the log.
import { commitmentFor, SPEC_VERSION } from '../../src/domain/draw-spec.ts';
import type { LogEvent } from '../../src/domain/log-event.ts';

const HEX = (c: string) => c.repeat(64);
export const sampleEvents = (drawId: string) => [
  {
    type: 'draw-opened' as const,
    drawId,
    at: '2026-12-01T01:00:00.000Z',
    commitment: commitmentFor(drawId, HEX('d'), { chainHash: HEX('b'), round: 123456 }),
    beaconChain: HEX('b'),
    beaconRound: 123456,
    specVersion: String(SPEC_VERSION),
    rulesVersion: 3,
  },
  {
    type: 'draw-closed' as const,
    drawId,
    at: '2026-12-01T12:00:00.000Z',
    entries: 1200,
    entriesDigest: HEX('c'),
  },
  {
    type: 'draw-drawn' as const,
    drawId,
    at: '2026-12-01T12:01:00.000Z',
    seed: HEX('d'),
    beaconRandomness: HEX('e'),
    resultsDigest: HEX('f'),
    winners: 200,
    waitlisted: 100,
  },
];

/** The three events the draw lifecycle appends for a drawn, published record (GET /api/draws/:office/:date). */
export function drawEventsOf(draw: {
  drawId: string;
  commitment: string;
  seed: string;
  entries: unknown[];
  entriesDigest: string;
  resultsDigest: string;
  results: { sessionId: string | null }[];
}): LogEvent[] {
  return [
    {
      type: 'draw-opened',
      drawId: draw.drawId,
      at: '2026-11-30T01:00:00.000Z',
      commitment: draw.commitment,
      beaconChain: null,
      beaconRound: null,
      specVersion: String(SPEC_VERSION),
      rulesVersion: 1,
    },
    {
      type: 'draw-closed',
      drawId: draw.drawId,
      at: '2026-11-30T12:00:00.000Z',
      entries: draw.entries.length,
      entriesDigest: draw.entriesDigest,
    },
    {
      type: 'draw-drawn',
      drawId: draw.drawId,
      at: '2026-11-30T12:00:01.000Z',
      seed: draw.seed,
      beaconRandomness: null,
      resultsDigest: draw.resultsDigest,
      winners: draw.results.filter((r) => r.sessionId !== null).length,
      waitlisted: draw.results.filter((r) => r.sessionId === null).length,
    },
  ];
}
