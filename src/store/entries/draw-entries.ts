// A draw's entries as the office holds them: 1024 bucket hashes of ticket → packed entry
// (store/entry-codec.ts), and the draw's running count.
import { entryBucket, keys } from '../../redis/keys.ts';
import type { EntryContext } from './context.ts';

/** Entries in the draw now (joins minus withdrawals), kept in the draw meta by the Lua steps. */
export async function count(ctx: EntryContext, officeId: string, drawDate: string): Promise<number> {
  return Number((await ctx.redis.hget(keys.draw(officeId, drawDate), 'entries')) ?? 0);
}

export async function hasEntry(
  ctx: EntryContext,
  officeId: string,
  drawDate: string,
  ticket: string,
): Promise<boolean> {
  return (await ctx.redis.hexists(keys.drawEntries(officeId, drawDate, entryBucket(ticket)), ticket)) === 1;
}

/** Indexes of items grouped by the entry bucket each falls into. */
function byBucket(tickets: readonly string[], step = 1): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < tickets.length; i += step) {
    const b = entryBucket(tickets[i]!);
    const list = out.get(b);
    if (list) list.push(i);
    else out.set(b, [i]);
  }
  return out;
}

/**
 * The packed entries of these tickets of one draw, in their order; null where a ticket has no entry.
 * One round trip: an HMGET per bucket the tickets fall into, pipelined (the buckets share the office's
 * slot, so this also holds on a cluster).
 */
export async function packedEntries(
  ctx: EntryContext,
  officeId: string,
  drawDate: string,
  tickets: readonly string[],
): Promise<(string | null)[]> {
  const out = new Array<string | null>(tickets.length).fill(null);
  if (tickets.length === 0) return out;
  const pipe = ctx.redis.pipeline();
  const groups = [...byBucket(tickets).entries()];
  for (const [b, idx] of groups)
    pipe.hmget(keys.drawEntries(officeId, drawDate, b), ...idx.map((i) => tickets[i]!));
  const replies = (await pipe.exec()) ?? [];
  groups.forEach(([, idx], g) => {
    const [err, values] = replies[g] as [Error | null, (string | null)[]];
    if (err) throw err;
    idx.forEach((i, j) => {
      out[i] = values[j] ?? null;
    });
  });
  return out;
}

/**
 * Writes entries ([ticket, packed, ...]) straight into a draw's buckets and counts them, without the
 * join's checks and claims: only for fixtures and the bench, which need hundreds of thousands of entries
 * in seconds in a draw a real join has already opened.
 */
export async function addBulk(
  ctx: EntryContext,
  officeId: string,
  drawDate: string,
  flat: readonly string[],
): Promise<void> {
  const pipe = ctx.redis.pipeline();
  for (const [b, idx] of byBucket(flat, 2))
    pipe.hset(keys.drawEntries(officeId, drawDate, b), ...idx.flatMap((i) => [flat[i]!, flat[i + 1]!]));
  pipe.hincrby(keys.draw(officeId, drawDate), 'entries', flat.length / 2);
  for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
}
