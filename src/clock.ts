// The one source of "now" for the server and its workers (handed to every service as deps.now). In
// production it is the system clock. In DEV_MODE it is the system clock plus an offset that only moves
// forward (src/services/dev-clock.ts), so a demo can live through whole days in minutes; the offset is
// kept in Redis so a restarted dev server does not go back in time.
import type { RedisClient } from './redis/connection.ts';
import { keys } from './redis/keys.ts';

export interface Clock {
  now(): Date;
  /** Set only in DEV_MODE. */
  virtual: VirtualClock | null;
}

export class VirtualClock {
  #offsetMs: number;

  constructor(
    private readonly redis: RedisClient,
    offsetMs: number,
  ) {
    this.#offsetMs = offsetMs;
  }

  readonly now = (): Date => new Date(Date.now() + this.#offsetMs);

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves the clock to `at`; returns how far it moved. Time never goes back: state would contradict it. */
  async advanceTo(at: Date): Promise<number> {
    const by = at.getTime() - this.now().getTime();
    if (by <= 0) return 0;
    this.#offsetMs += by;
    await this.redis.set(keys.devClockOffset(), String(this.#offsetMs));
    return by;
  }
}

export async function createClock(devMode: boolean, redis: RedisClient): Promise<Clock> {
  if (!devMode) return { now: () => new Date(), virtual: null };
  const saved = Number((await redis.get(keys.devClockOffset())) ?? 0);
  const virtual = new VirtualClock(redis, Number.isFinite(saved) && saved > 0 ? saved : 0);
  return { now: virtual.now, virtual };
}
