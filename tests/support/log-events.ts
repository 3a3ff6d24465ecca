// One draw's three transparency-log events with placeholder digests (the seed matches the commitment),
// for tests of the log.
import { commitmentOf } from '../../src/domain/draw-record.ts';

const HEX = (c: string) => c.repeat(64);
export const sampleEvents = (drawId: string) => [
  {
    type: 'draw-opened' as const,
    drawId,
    at: '2026-12-01T01:00:00.000Z',
    commitment: commitmentOf(HEX('d')),
    beaconChain: HEX('b'),
    beaconRound: 123456,
    specVersion: '1',
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
