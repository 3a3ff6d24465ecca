// The account's own list of its entries: one packed field per entry in the account hash
// (store/account-entry-codec.ts), read for "my entries" and updated when an entry is carried on.
import { keys } from '../../redis/keys.ts';
import {
  type AccountEntry,
  isAccountEntryField,
  packAccountEntry,
  unpackAccountEntry,
} from '../account-entry-codec.ts';
import type { EntryContext } from './context.ts';

export async function markCarried(
  ctx: EntryContext,
  accountId: string,
  ticket: string,
  carriedTo: string,
): Promise<void> {
  if (!isAccountEntryField(ticket)) return;
  const raw = await ctx.redis.hget(keys.account(accountId), ticket);
  if (!raw) return;
  await ctx.redis.hset(
    keys.account(accountId),
    ticket,
    packAccountEntry({ ...unpackAccountEntry(ticket, raw), carriedTo }),
  );
}

export async function forAccount(ctx: EntryContext, accountId: string): Promise<AccountEntry[]> {
  const h = await ctx.redis.hgetall(keys.account(accountId));
  const out: AccountEntry[] = [];
  for (const [field, v] of Object.entries(h)) {
    if (isAccountEntryField(field)) out.push(unpackAccountEntry(field, v));
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function forAccountByTicket(
  ctx: EntryContext,
  accountId: string,
  ticket: string,
): Promise<AccountEntry | null> {
  // Only a ticket-shaped name can be an entry record; the account's own fields are never one.
  if (!isAccountEntryField(ticket)) return null;
  const raw = await ctx.redis.hget(keys.account(accountId), ticket);
  return raw ? unpackAccountEntry(ticket, raw) : null;
}
