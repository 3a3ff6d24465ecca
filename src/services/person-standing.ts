// Whether a person can enter a draw now, as the join would decide it: a person holds one active slot (a
// pending or waitlisted entry, or an offered or confirmed appointment) and may be banned for a while
// after missed appointments. The page shows this next to each person before anyone presses "enter".
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';

const DAY_MS = 86_400_000;

export interface PersonStanding {
  /** The entry or appointment holding the person's slot: office, draw date and ticket. */
  active: { officeId: string; drawDate: string; ticket: string } | null;
  /** ISO instant until which the person may not enter, or null. */
  bannedUntil: string | null;
}

/**
 * The stored claim "officeId|epochDay|ticket@claimedAtMs" (see person-claim.lua) as its parts. Any other
 * value (a fence while a person moves between accounts) still holds the slot: empty parts.
 */
function parseClaim(stored: string): NonNullable<PersonStanding['active']> {
  const at = stored.lastIndexOf('@');
  const [officeId, day, ticket] = (at < 0 ? stored : stored.slice(0, at)).split('|');
  if (!officeId || day === undefined || !/^\d+$/.test(day) || !ticket) {
    return { officeId: '', drawDate: '', ticket: '' };
  }
  return { officeId, drawDate: new Date(Number(day) * DAY_MS).toISOString().slice(0, 10), ticket };
}

export async function personStandings(
  redis: RedisClient,
  nikHashes: string[],
  now: Date,
): Promise<PersonStanding[]> {
  return Promise.all(
    nikHashes.map(async (nikHash) => {
      const [active, banned] = await redis.hmget(keys.nik(nikHash), 'active', 'bannedUntil');
      const until = Number(banned ?? 0);
      return {
        active: active ? parseClaim(active) : null,
        bannedUntil: until > now.getTime() ? new Date(until).toISOString() : null,
      };
    }),
  );
}
