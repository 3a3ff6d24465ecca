// Withdrawing (by the applicant) or voiding (by a block) an entry while its draw is open: the office's
// bucket, then the person's slot, then the account's record.
import { entryBucket, keys } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import { type AccountEntry, packTime, statusCode } from '../account-entry-codec.ts';
import { activePointer, release } from './active-claim.ts';
import type { EntryContext } from './context.ts';

export async function withdraw(
  ctx: EntryContext,
  accountId: string,
  entry: Pick<AccountEntry, 'ticket' | 'officeId' | 'drawDate'> & { nikHash: string },
  status: 'withdrawn' | 'void',
): Promise<'done' | 'not_found' | 'closed'> {
  const r = await runScript<number>(
    ctx.redis,
    'entryWithdraw',
    [
      keys.draw(entry.officeId, entry.drawDate),
      keys.drawEntries(entry.officeId, entry.drawDate, entryBucket(entry.ticket)),
    ],
    [entry.ticket, accountId],
  );
  if (r === -3) return 'closed';
  if (r !== 1) return 'not_found';
  await release(ctx, entry.nikHash, activePointer(entry.officeId, entry.drawDate, entry.ticket));
  await runScript(
    ctx.redis,
    'accountEntryStatus',
    [keys.account(accountId)],
    [entry.ticket, statusCode(status), packTime(ctx.now().getTime())],
  );
  return 'done';
}
