// The other members of group entries, found from a ticket of each: members' tickets share their first
// GROUP_PREFIX characters and end in their index (store/entries/group.ts), so they sit in the same entries
// bucket and one HMGET of the possible tickets finds whoever of the group is in the draw.
import type { RedisClient } from '../redis/connection.ts';
import { entryBucket, keys, TICKET_ALPHABET } from '../redis/keys.ts';
import { GROUP_PREFIX, unpackEntry } from './entry-codec.ts';

/** Largest group: the highest household limit the rules allow. */
const MAX_MEMBERS = 20;

/**
 * For each of `tickets` whose entry is a group member: ticket → the group's other members in the draw
 * (ticket order). Tickets of one person, or no longer in the draw, are left out. Two round trips.
 * `drawnOnly` leaves out members held from the draw (identity awaiting the registry): the draw counted no
 * place for them, so they share neither the group's outcome nor its offers.
 */
export async function groupMembersOf(
  redis: RedisClient,
  officeId: string,
  drawDate: string,
  tickets: readonly string[],
  drawnOnly = false,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (tickets.length === 0) return out;
  const read = redis.pipeline();
  for (const t of tickets) read.hget(keys.drawEntries(officeId, drawDate, entryBucket(t)), t);
  const packed = (await read.exec()) ?? [];
  const grouped = tickets.filter((_, i) => {
    const v = packed[i]?.[1];
    return typeof v === 'string' && unpackEntry(v).group === true;
  });
  if (grouped.length === 0) return out;
  const candidates = grouped.map((t) =>
    Array.from({ length: MAX_MEMBERS }, (_, i) => t.slice(0, GROUP_PREFIX) + TICKET_ALPHABET[i]!).filter(
      (c) => c !== t,
    ),
  );
  const more = redis.pipeline();
  grouped.forEach((t, i) => {
    more.hmget(keys.drawEntries(officeId, drawDate, entryBucket(t)), ...candidates[i]!);
  });
  const found = (await more.exec()) ?? [];
  grouped.forEach((t, i) => {
    const values = (found[i]?.[1] ?? []) as (string | null)[];
    const members = candidates[i]!.filter((_, k) => {
      const v = values[k];
      if (typeof v !== 'string') return false;
      const e = unpackEntry(v);
      return e.group === true && !(drawnOnly && e.unverified);
    });
    if (members.length > 0) out.set(t, members);
  });
  return out;
}
