// The persons an account applies for, each bound by the keyed hash of its NIK to exactly one account,
// at most householdLimit per account (nik-bind.lua, account-person-add.lua).
import { nikHash, nikKeyId } from '../../auth/identity.ts';
import { keys } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import { flagRecord } from '../flags.ts';
import { type AccountContext, flagOnce, newId } from './context.ts';
import { movePerson } from './nik-move.ts';

/**
 * How a person's identity stands (identity/): `registry` matched by the civil registry, `provisional` bound
 * while the registry did not answer (its entries are held from the draw), `shape` checked for form only.
 */
export type IdentityStatus = 'registry' | 'provisional' | 'shape';

export interface Person {
  id: string;
  nikHash: string;
  nikMasked: string;
  name: string;
  birthDate: string;
  category: string | null;
  /** A claim the counter removed (its document was not shown): it cannot be claimed again. */
  claimRevoked?: { category: string; code: string; at: string };
  createdAt: string;
  /** Absent on persons bound before identities were checked: read as `shape`. */
  identity?: IdentityStatus;
}

export type AddPersonResult =
  | { status: 'added' | 'exists'; person: Person }
  | { status: 'nik_conflict' | 'household_limit' };

export interface PersonInput {
  nik: string;
  nikMasked: string;
  name: string;
  birthDate: string;
  category: string | null;
  /** Default `shape`. */
  identity?: IdentityStatus;
}

export function hashNik(ctx: AccountContext, nik: string): string {
  return nikHash(ctx.secrets.nikHashKey, nik);
}

/** The NIK's hash under the key being rotated out, while a rotation is under way. */
export function previousNikHash(ctx: AccountContext, nik: string): string | null {
  const previous = ctx.secrets.nikHashKeyPrevious;
  return previous ? nikHash(previous, nik) : null;
}

export async function persons(ctx: AccountContext, accountId: string): Promise<Person[]> {
  const h = await ctx.redis.hgetall(keys.accountPersons(accountId));
  return Object.values(h)
    .map((v) => JSON.parse(v) as Person)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function person(
  ctx: AccountContext,
  accountId: string,
  personId: string,
): Promise<Person | null> {
  const raw = await ctx.redis.hget(keys.accountPersons(accountId), personId);
  return raw ? (JSON.parse(raw) as Person) : null;
}

/**
 * Binds the NIK to this account (person slot), then adds the person within the household limit
 * (account slot), unbinding the NIK again if the limit refuses. Each step is atomic on its own slot;
 * a crash between them leaves the NIK bound to this account, and a retry completes the registration.
 */
export async function addPerson(
  ctx: AccountContext,
  accountId: string,
  input: PersonInput,
  householdLimit: number,
): Promise<AddPersonResult> {
  const at = ctx.now();
  const hash = hashNik(ctx, input.nik);
  const previous = previousNikHash(ctx, input.nik);
  if (previous) {
    const settled = await resolvePreviousHash(ctx, accountId, previous, hash, at);
    if (settled) return settled;
  }
  const [bound, personId] = await runScript<[number, string]>(
    ctx.redis,
    'nikBind',
    [keys.nik(hash)],
    [accountId, newId()],
  );
  if (bound === -1) return nikConflict(ctx, accountId, hash, at);
  const added: Person = {
    id: personId,
    nikHash: hash,
    nikMasked: input.nikMasked,
    name: input.name,
    birthDate: input.birthDate,
    category: input.category,
    createdAt: at.toISOString(),
    identity: input.identity ?? 'shape',
  };
  const [status, firstOverflow] = await runScript<[number, number]>(
    ctx.redis,
    'accountPersonAdd',
    [keys.accountPersons(accountId), keys.account(accountId)],
    [personId, JSON.stringify(added), householdLimit],
  );
  if (status === -2) {
    if (bound === 1) await runScript(ctx.redis, 'nikUnbind', [keys.nik(hash)], [accountId, personId]);
    if (firstOverflow === 1)
      await ctx.flags.add(flagRecord('household_limit', accountId, { householdLimit }, at));
    return { status: 'household_limit' };
  }
  // Names the hashing key on the binding, so a later rotation can count who has not moved yet.
  await ctx.redis.hset(keys.nik(hash), 'key', nikKeyId(ctx.secrets.nikHashKey));
  if (status === 0) return { status: 'exists', person: (await person(ctx, accountId, personId))! };
  return { status: 'added', person: added };
}

async function nikConflict(
  ctx: AccountContext,
  accountId: string,
  hash: string,
  at: Date,
): Promise<AddPersonResult> {
  if (await flagOnce(ctx, accountId, 'nikConflicts', 'nik_conflict')) {
    await ctx.flags.add(flagRecord('nik_conflict', accountId, { nikHash: hash.slice(0, 12) }, at));
  }
  return { status: 'nik_conflict' };
}

/**
 * During a NIK key rotation the person may still be bound under the previous key's hash: another
 * account's binding there is a conflict like any other, this account's is moved to the new hash (or
 * stays where it is for now, see movePerson). null: the normal path under the new hash decides.
 */
async function resolvePreviousHash(
  ctx: AccountContext,
  accountId: string,
  oldHash: string,
  newHash: string,
  at: Date,
): Promise<AddPersonResult | null> {
  const [owner, personId] = await ctx.redis.hmget(keys.nik(oldHash), 'accountId', 'personId');
  if (!owner) return null;
  if (owner !== accountId) return nikConflict(ctx, accountId, newHash, at);
  const moved = await movePerson(ctx, accountId, oldHash, newHash);
  if (moved === 'conflict') return nikConflict(ctx, accountId, newHash, at);
  if (moved === 'unbound') return null;
  const found = personId ? await person(ctx, accountId, personId) : null;
  // A registration cut off before its record was written: the normal path writes it (new hash).
  return found ? { status: 'exists', person: found } : null;
}

/** Records a new identity status on the person (a registry answer for a provisional binding). */
export async function setIdentity(
  ctx: AccountContext,
  accountId: string,
  personId: string,
  identity: IdentityStatus,
): Promise<Person | null> {
  const found = await person(ctx, accountId, personId);
  if (!found) return null;
  const updated: Person = { ...found, identity };
  await ctx.redis.hset(keys.accountPersons(accountId), personId, JSON.stringify(updated));
  return updated;
}

/** Removes a person the registry refused: the NIK binding, then the account's record of the person. */
export async function removePerson(ctx: AccountContext, accountId: string, found: Person): Promise<void> {
  await runScript(ctx.redis, 'nikUnbind', [keys.nik(found.nikHash)], [accountId, found.id]);
  await ctx.redis.hdel(keys.accountPersons(accountId), found.id);
}
