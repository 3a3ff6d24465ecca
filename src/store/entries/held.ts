// Entries held back from the draw while their person's identity awaits the registry (entry-codec.ts,
// `unverified`). Released in place once the registry matches, while the draw is still open.
import { entryBucket, keys } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import { packEntry, unpackEntry } from '../entry-codec.ts';
import { forAccount } from './account-entries.ts';
import type { EntryContext } from './context.ts';

/** Releases the person's held pending entries; returns how many the draw now takes. */
export async function releaseHeld(ctx: EntryContext, accountId: string, personId: string): Promise<number> {
  let released = 0;
  for (const e of await forAccount(ctx, accountId)) {
    if (e.personId !== personId || e.status !== 'pending') continue;
    const drawKey = keys.draw(e.officeId, e.drawDate);
    const bucket = keys.drawEntries(e.officeId, e.drawDate, entryBucket(e.ticket));
    const packed = await ctx.redis.hget(bucket, e.ticket);
    if (!packed) continue;
    const entry = unpackEntry(packed);
    if (!entry.unverified) continue;
    const r = await runScript<number>(
      ctx.redis,
      'entryRelease',
      [drawKey, bucket],
      [e.ticket, packed, packEntry({ ...entry, unverified: false })],
    );
    if (r === 1) released++;
  }
  return released;
}
