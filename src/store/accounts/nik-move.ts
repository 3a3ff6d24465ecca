// NIK hashing key rotation: one person's keys move from the previous key's hash to the new one.
import { nikKeyId } from '../../auth/identity.ts';
import { keys } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import type { AccountContext } from './context.ts';

/** Holds a moved person's old active slot, so a join still using the old hash is refused (see movePerson). */
const NIK_MOVE_FENCE = 'moved|-|-';
/** How long the old binding and fence outlive a move: far longer than any request that read the old hash. */
const NIK_MOVE_TOMBSTONE_MS = 24 * 3600_000;
/** No-shows older than this are not waited for (their strike has long been written, or has expired). */
const NIK_MOVE_STRIKE_LOOKBACK_MS = 14 * 86_400_000;

/**
 * Moves one person's keys from the previous key's hash to the new one, in single-slot steps (the two
 * hashes are two cluster slots): fence the old keys and read them; bind the new hash and carry the ban,
 * penalty and strikes over; point the account's person record at it; move the draw penalty; let the old
 * keys expire. Joins read the hash from the person record, so until the record changes everything keeps
 * working under the old hash, and the fence refuses a join that read the record just before it changed.
 *
 * Nothing moves while anything else still refers to the old hash: an active entry, waitlist place or
 * appointment (which release the old active slot when they end), or a no-show whose strike is not
 * written yet. The person is then left as is, and moves the next time the NIK is entered.
 */
export async function movePerson(
  ctx: AccountContext,
  accountId: string,
  oldHash: string,
  newHash: string,
): Promise<'moved' | 'deferred' | 'unbound' | 'conflict'> {
  const { redis } = ctx;
  if (await strikePending(ctx, accountId, oldHash)) return 'deferred';
  const out = await runScript<[number, string, string, string, number, string[]]>(
    redis,
    'nikMoveOut',
    [keys.nik(oldHash), keys.nikStrikes(oldHash)],
    [accountId, NIK_MOVE_FENCE, ctx.now().getTime()],
  );
  if (out[0] === 0) return 'unbound';
  if (out[0] === -1) return 'conflict';
  if (out[0] === -2) return 'deferred';
  const [, personId, bannedUntil, penaltyUntil, strikesTtl, strikes] = out;
  const bound = await runScript<number>(
    redis,
    'nikMoveIn',
    [keys.nik(newHash), keys.nikStrikes(newHash)],
    [
      accountId,
      personId,
      bannedUntil,
      penaltyUntil,
      strikesTtl,
      nikKeyId(ctx.secrets.nikHashKey),
      ...strikes,
    ],
  );
  // Only a binding no step of ours could have made; the fence lapses after a minute and nothing moved.
  if (bound !== 1) return 'deferred';
  await runScript(
    redis,
    'accountPersonRehash',
    [keys.accountPersons(accountId)],
    [personId, oldHash, newHash],
  );
  const penalty = await redis.hget(keys.penalties(), oldHash);
  if (penalty !== null) {
    const current = Number((await redis.hget(keys.penalties(), newHash)) ?? 0);
    await redis.hset(keys.penalties(), newHash, String(Math.max(current, Number(penalty))));
    await redis.hdel(keys.penalties(), oldHash);
  }
  await runScript(
    redis,
    'nikMoveDone',
    [keys.nik(oldHash), keys.nikStrikes(oldHash)],
    [NIK_MOVE_TOMBSTONE_MS],
  );
  return 'moved';
}

/**
 * A no-show releases the active slot before its strike is written (two slots): between the two, the old
 * hash looks free while a strike is still on its way to it. Seen from the account's recent appointments.
 */
async function strikePending(ctx: AccountContext, accountId: string, oldHash: string): Promise<boolean> {
  const { redis } = ctx;
  const since = new Date(ctx.now().getTime() - NIK_MOVE_STRIKE_LOOKBACK_MS).toISOString().slice(0, 10);
  const appts = await redis.hgetall(keys.accountAppointments(accountId));
  for (const [code, where] of Object.entries(appts)) {
    const [officeId = '', day = ''] = where.split('|');
    if (day < since) continue;
    const [hash, state] = await redis.hmget(keys.appointment(officeId, code), 'nikHash', 'state');
    if (hash !== oldHash) continue;
    if (state === 'offered' || state === 'confirmed') return true;
    if (state === 'no_show' && (await redis.zscore(keys.nikStrikes(oldHash), code)) === null) return true;
  }
  return false;
}
