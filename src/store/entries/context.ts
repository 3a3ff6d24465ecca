// What the entry store's parts share.
import type { RedisClient } from '../../redis/connection.ts';

export interface EntryContext {
  redis: RedisClient;
  now: () => Date;
  /** Join in one script (entry-join-whole.lua): a single Redis server only. */
  wholeJoin: boolean;
  /** Per draw, the seed this process offers should its join open the draw (see openingSeed in join.ts). */
  seedCandidates: Map<string, { seed: string; commitment: string }>;
}
