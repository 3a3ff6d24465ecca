// What the entry store's parts share.
import type { DrawOpening } from '../../domain/draw-spec.ts';
import type { RedisClient } from '../../redis/connection.ts';

export interface EntryContext {
  redis: RedisClient;
  now: () => Date;
  /** Join in one script (entry-join-whole.lua): a single Redis server only. */
  wholeJoin: boolean;
  /** What this process offers should its join open the draw: seed, commitment, beacon anchor. */
  opening: (officeId: string, drawDate: string) => Promise<DrawOpening>;
  /** Called once the join that opened a draw succeeded (its opening goes to the transparency log). */
  onOpened?: (officeId: string, drawDate: string) => Promise<void>;
}
