// The applicant account itself: found or created by its contact, verified, blocked, and purged when it
// never verified.
import { contactHash, ipHash } from '../../auth/identity.ts';
import { keys } from '../../redis/keys.ts';
import { flagRecord } from '../flags.ts';
import { type AccountContext, newId } from './context.ts';

/** Distinct accounts verified from one IP in a day above which the IP is flagged. */
export const IP_ACCOUNTS_FLAG_THRESHOLD = 10;

export interface Account {
  id: string;
  contact: string;
  contactKind: 'phone' | 'email';
  lang: 'id' | 'en';
  verified: boolean;
  blocked: boolean;
  createdAt: string;
}

/** The account hash's own fields, in the order accountFromFields reads them (applicant-auth.lua too). */
export const ACCOUNT_FIELDS = [
  'id',
  'contact',
  'contactKind',
  'lang',
  'verified',
  'blocked',
  'createdAt',
] as const;

export function accountFromFields(fields: readonly (string | null | undefined)[]): Account | null {
  const [accountId, contact, contactKind, lang, verified, blocked, createdAt] = fields;
  if (!accountId) return null;
  return {
    id: accountId,
    contact: contact ?? '',
    contactKind: (contactKind as Account['contactKind']) ?? 'phone',
    lang: lang === 'en' ? 'en' : 'id',
    verified: verified === '1',
    blocked: blocked === '1',
    createdAt: createdAt ?? '',
  };
}

export function contactKey(ctx: AccountContext, contact: string): string {
  return contactHash(ctx.secrets.appSecret, contact);
}

/** Finds or creates the (unverified) account of a contact; callers never reveal which happened. */
export async function ensureAccount(
  ctx: AccountContext,
  contact: string,
  kind: 'phone' | 'email',
  lang: 'id' | 'en',
): Promise<string> {
  const ck = contactKey(ctx, contact);
  const candidate = newId();
  await ctx.redis.hsetnx(keys.contactIndex(), ck, candidate);
  const id = (await ctx.redis.hget(keys.contactIndex(), ck))!;
  if (id === candidate) {
    const at = ctx.now();
    await ctx.redis.hset(keys.account(id), {
      id,
      contact,
      contactKind: kind,
      contactHash: ck,
      lang,
      verified: '0',
      blocked: '0',
      createdAt: at.toISOString(),
    });
    await ctx.redis.zadd(keys.unverifiedAccounts(), at.getTime(), id);
  }
  return id;
}

export async function accountIdForContact(ctx: AccountContext, contact: string): Promise<string | null> {
  return ctx.redis.hget(keys.contactIndex(), contactKey(ctx, contact));
}

export async function getAccount(ctx: AccountContext, id: string): Promise<Account | null> {
  // Named fields only: the account hash also holds one record per entry the account ever made.
  return accountFromFields(await ctx.redis.hmget(keys.account(id), ...ACCOUNT_FIELDS));
}

export async function setLang(ctx: AccountContext, id: string, lang: 'id' | 'en'): Promise<void> {
  await ctx.redis.hset(keys.account(id), 'lang', lang);
}

/** Marks the account verified and records which accounts one IP (hashed) verified today. */
export async function markVerified(ctx: AccountContext, id: string, ip: string): Promise<void> {
  await ctx.redis.hset(keys.account(id), 'verified', '1');
  await ctx.redis.zrem(keys.unverifiedAccounts(), id);
  const day = ctx.now().toISOString().slice(0, 10);
  const ih = ipHash(ctx.secrets.appSecret, ip);
  const key = keys.ipAccounts(ih, day);
  const [[, added], [, count]] = (await ctx.redis
    .multi()
    .sadd(key, id)
    .scard(key)
    .expire(key, 2 * 86_400)
    .exec()) as [[null, number], [null, number], [null, number]];
  if (added === 1 && count === IP_ACCOUNTS_FLAG_THRESHOLD + 1) {
    await ctx.flags.add(flagRecord('ip_many_accounts', id, { ipHash: ih, day, accounts: count }, ctx.now()));
  }
}

export async function counters(ctx: AccountContext, accountId: string): Promise<Record<string, number>> {
  const [nikConflicts, householdOverflows] = await ctx.redis.hmget(
    keys.account(accountId),
    'nikConflicts',
    'householdOverflows',
  );
  return { nikConflicts: Number(nikConflicts ?? 0), householdOverflows: Number(householdOverflows ?? 0) };
}

export async function setBlocked(
  ctx: AccountContext,
  accountId: string,
  blocked: boolean,
  by: string,
): Promise<boolean> {
  const exists = await ctx.redis.hexists(keys.account(accountId), 'id');
  if (!exists) return false;
  await ctx.redis.hset(keys.account(accountId), {
    blocked: blocked ? '1' : '0',
    blockedBy: by,
    blockedAt: ctx.now().toISOString(),
  });
  return true;
}

/** Removes accounts that never verified within maxAgeMs (junk sign-ups). Returns how many. */
export async function purgeUnverified(ctx: AccountContext, maxAgeMs: number, batch = 500): Promise<number> {
  const cutoff = ctx.now().getTime() - maxAgeMs;
  let purged = 0;
  for (;;) {
    const ids = await ctx.redis.zrangebyscore(keys.unverifiedAccounts(), 0, cutoff, 'LIMIT', 0, batch);
    if (ids.length === 0) return purged;
    for (const id of ids) {
      const [verified, contactHash] = await ctx.redis.hmget(keys.account(id), 'verified', 'contactHash');
      if (verified !== '1') {
        if (contactHash) {
          // Only drop the index entry if it still points at this account.
          const owner = await ctx.redis.hget(keys.contactIndex(), contactHash);
          if (owner === id) await ctx.redis.hdel(keys.contactIndex(), contactHash);
        }
        await ctx.redis.del(keys.account(id), keys.accountPersons(id), keys.accountDeliveries(id));
        purged++;
      }
      await ctx.redis.zrem(keys.unverifiedAccounts(), id);
    }
  }
}
