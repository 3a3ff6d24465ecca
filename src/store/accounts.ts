// Applicant accounts: verified contact, one-time codes, the persons (by NIK hash) an account applies for.
import { randomInt } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { contactHash, ipHash, nikHash, nikKeyId, otpHash } from '../auth/identity.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { type FlagStore, flagRecord } from './flags.ts';
import type { Limit, LimitResult } from './rate-limits.ts';

export const newId = customAlphabet('23456789abcdefghjkmnpqrstuvwxyz', 12);

export const OTP = {
  lifetimeMs: 5 * 60_000,
  resendMs: 60_000,
  maxTries: 5,
  lockMs: 15 * 60_000,
} as const;

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

export interface Person {
  id: string;
  nikHash: string;
  nikMasked: string;
  name: string;
  birthDate: string;
  category: string | null;
  createdAt: string;
}

export type AddPersonResult =
  | { status: 'added' | 'exists'; person: Person }
  | { status: 'nik_conflict' | 'household_limit' };

/** Holds a moved person's old active slot, so a join still using the old hash is refused (see movePerson). */
const NIK_MOVE_FENCE = 'moved|-|-';
/** How long the old binding and fence outlive a move: far longer than any request that read the old hash. */
const NIK_MOVE_TOMBSTONE_MS = 24 * 3600_000;
/** No-shows older than this are not waited for (their strike has long been written, or has expired). */
const NIK_MOVE_STRIKE_LOOKBACK_MS = 14 * 86_400_000;

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

export type IssueResult =
  | { ok: true; code: string }
  | { ok: false; reason: 'too_soon' | 'locked'; waitMs: number };
export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: 'locked'; waitMs: number }
  | { ok: false; reason: 'invalid'; triesLeft: number | null };

export class AccountStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly secrets: { nikHashKey: string; nikHashKeyPrevious?: string | null; appSecret: string },
    private readonly flags: FlagStore,
    private readonly now: () => Date,
  ) {}

  contactKey(contact: string): string {
    return contactHash(this.secrets.appSecret, contact);
  }

  hashNik(nik: string): string {
    return nikHash(this.secrets.nikHashKey, nik);
  }

  /** The NIK's hash under the key being rotated out, while a rotation is under way. */
  previousNikHash(nik: string): string | null {
    const previous = this.secrets.nikHashKeyPrevious;
    return previous ? nikHash(previous, nik) : null;
  }

  /** Finds or creates the (unverified) account of a contact; callers never reveal which happened. */
  async ensureAccount(contact: string, kind: 'phone' | 'email', lang: 'id' | 'en'): Promise<string> {
    const ck = this.contactKey(contact);
    const candidate = newId();
    await this.redis.hsetnx(keys.contactIndex(), ck, candidate);
    const id = (await this.redis.hget(keys.contactIndex(), ck))!;
    if (id === candidate) {
      const at = this.now();
      await this.redis.hset(keys.account(id), {
        id,
        contact,
        contactKind: kind,
        contactHash: ck,
        lang,
        verified: '0',
        blocked: '0',
        createdAt: at.toISOString(),
      });
      await this.redis.zadd(keys.unverifiedAccounts(), at.getTime(), id);
    }
    return id;
  }

  async accountIdForContact(contact: string): Promise<string | null> {
    return this.redis.hget(keys.contactIndex(), this.contactKey(contact));
  }

  async get(id: string): Promise<Account | null> {
    // Named fields only: the account hash also holds one record per entry the account ever made.
    return accountFromFields(await this.redis.hmget(keys.account(id), ...ACCOUNT_FIELDS));
  }

  async setLang(id: string, lang: 'id' | 'en'): Promise<void> {
    await this.redis.hset(keys.account(id), 'lang', lang);
  }

  async issueCode(contact: string): Promise<IssueResult> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const [status, wait] = await runScript<[number, number]>(
      this.redis,
      'otpIssue',
      [keys.otp(this.contactKey(contact))],
      [otpHash(this.secrets.appSecret, contact, code), this.now().getTime(), OTP.lifetimeMs, OTP.resendMs],
    );
    if (status === 1) return { ok: true, code };
    return { ok: false, reason: status === -2 ? 'locked' : 'too_soon', waitMs: wait };
  }

  async verifyCode(contact: string, code: string): Promise<VerifyResult> {
    const [status, n] = await runScript<[number, number]>(
      this.redis,
      'otpVerify',
      [keys.otp(this.contactKey(contact))],
      [otpHash(this.secrets.appSecret, contact, code), this.now().getTime(), OTP.maxTries, OTP.lockMs],
    );
    if (status === 1) return { ok: true };
    if (status === -2) {
      // The lock is set by exactly the try that reached the limit (wait = full lock): flag that once.
      if (n === OTP.lockMs) await this.flagFailedCodes(contact);
      return { ok: false, reason: 'locked', waitMs: n };
    }
    return { ok: false, reason: 'invalid', triesLeft: status === -4 ? n : null };
  }

  private async flagFailedCodes(contact: string): Promise<void> {
    const accountId = await this.accountIdForContact(contact);
    await this.flags.add(
      flagRecord(
        'failed_codes',
        accountId,
        { wrongTries: OTP.maxTries, lockMinutes: OTP.lockMs / 60_000 },
        this.now(),
      ),
    );
  }

  /** Marks the account verified and records which accounts one IP (hashed) verified today. */
  async markVerified(id: string, ip: string): Promise<void> {
    await this.redis.hset(keys.account(id), 'verified', '1');
    await this.redis.zrem(keys.unverifiedAccounts(), id);
    const day = this.now().toISOString().slice(0, 10);
    const ih = ipHash(this.secrets.appSecret, ip);
    const key = keys.ipAccounts(ih, day);
    const [[, added], [, count]] = (await this.redis
      .multi()
      .sadd(key, id)
      .scard(key)
      .expire(key, 2 * 86_400)
      .exec()) as [[null, number], [null, number], [null, number]];
    if (added === 1 && count === IP_ACCOUNTS_FLAG_THRESHOLD + 1) {
      await this.flags.add(
        flagRecord('ip_many_accounts', id, { ipHash: ih, day, accounts: count }, this.now()),
      );
    }
  }

  async persons(accountId: string): Promise<Person[]> {
    const h = await this.redis.hgetall(keys.accountPersons(accountId));
    return Object.values(h)
      .map((v) => JSON.parse(v) as Person)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async person(accountId: string, personId: string): Promise<Person | null> {
    const raw = await this.redis.hget(keys.accountPersons(accountId), personId);
    return raw ? (JSON.parse(raw) as Person) : null;
  }

  /**
   * Counts a hit on one of the account's own limits and reads one of its persons, in one round trip (the
   * counter lives under the account's tag). An empty personId only counts the hit.
   */
  async personUnderLimit(
    accountId: string,
    personId: string,
    limit: Limit,
  ): Promise<LimitResult & { person: Person | null }> {
    const window = Math.floor(this.now().getTime() / 1000 / limit.windowSeconds);
    const [allowed, ttl, raw] = await runScript<[number, number, string | null]>(
      this.redis,
      'accountLimitPerson',
      [keys.accountRateLimit(accountId, limit.bucket, window), keys.accountPersons(accountId)],
      [limit.limit, limit.windowSeconds, personId],
    );
    return {
      allowed: allowed === 1,
      retryAfterSeconds: Math.max(1, ttl),
      person: raw ? (JSON.parse(raw) as Person) : null,
    };
  }

  /**
   * Binds the NIK to this account (person slot), then adds the person within the household limit
   * (account slot), unbinding the NIK again if the limit refuses. Each step is atomic on its own slot;
   * a crash between them leaves the NIK bound to this account, and a retry completes the registration.
   */
  async addPerson(
    accountId: string,
    input: { nik: string; nikMasked: string; name: string; birthDate: string; category: string | null },
    householdLimit: number,
  ): Promise<AddPersonResult> {
    const at = this.now();
    const hash = this.hashNik(input.nik);
    const previous = this.previousNikHash(input.nik);
    if (previous) {
      const settled = await this.resolvePreviousHash(accountId, previous, hash, at);
      if (settled) return settled;
    }
    const [bound, personId] = await runScript<[number, string]>(
      this.redis,
      'nikBind',
      [keys.nik(hash)],
      [accountId, newId()],
    );
    if (bound === -1) return this.nikConflict(accountId, hash, at);
    const person: Person = {
      id: personId,
      nikHash: hash,
      nikMasked: input.nikMasked,
      name: input.name,
      birthDate: input.birthDate,
      category: input.category,
      createdAt: at.toISOString(),
    };
    const [added, firstOverflow] = await runScript<[number, number]>(
      this.redis,
      'accountPersonAdd',
      [keys.accountPersons(accountId), keys.account(accountId)],
      [personId, JSON.stringify(person), householdLimit],
    );
    if (added === -2) {
      if (bound === 1) await runScript(this.redis, 'nikUnbind', [keys.nik(hash)], [accountId, personId]);
      if (firstOverflow === 1)
        await this.flags.add(flagRecord('household_limit', accountId, { householdLimit }, at));
      return { status: 'household_limit' };
    }
    // Names the hashing key on the binding, so a later rotation can count who has not moved yet.
    await this.redis.hset(keys.nik(hash), 'key', nikKeyId(this.secrets.nikHashKey));
    if (added === 0) return { status: 'exists', person: (await this.person(accountId, personId))! };
    return { status: 'added', person };
  }

  private async nikConflict(accountId: string, hash: string, at: Date): Promise<AddPersonResult> {
    if (await this.flagOnce(accountId, 'nikConflicts', 'nik_conflict')) {
      await this.flags.add(flagRecord('nik_conflict', accountId, { nikHash: hash.slice(0, 12) }, at));
    }
    return { status: 'nik_conflict' };
  }

  /**
   * During a NIK key rotation the person may still be bound under the previous key's hash: another
   * account's binding there is a conflict like any other, this account's is moved to the new hash (or
   * stays where it is for now, see movePerson). null: the normal path under the new hash decides.
   */
  private async resolvePreviousHash(
    accountId: string,
    oldHash: string,
    newHash: string,
    at: Date,
  ): Promise<AddPersonResult | null> {
    const [owner, personId] = await this.redis.hmget(keys.nik(oldHash), 'accountId', 'personId');
    if (!owner) return null;
    if (owner !== accountId) return this.nikConflict(accountId, newHash, at);
    const moved = await this.movePerson(accountId, oldHash, newHash);
    if (moved === 'conflict') return this.nikConflict(accountId, newHash, at);
    if (moved === 'unbound') return null;
    const person = personId ? await this.person(accountId, personId) : null;
    // A registration cut off before its record was written: the normal path writes it (new hash).
    return person ? { status: 'exists', person } : null;
  }

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
  async movePerson(
    accountId: string,
    oldHash: string,
    newHash: string,
  ): Promise<'moved' | 'deferred' | 'unbound' | 'conflict'> {
    if (await this.strikePending(accountId, oldHash)) return 'deferred';
    const out = await runScript<[number, string, string, string, number, string[]]>(
      this.redis,
      'nikMoveOut',
      [keys.nik(oldHash), keys.nikStrikes(oldHash)],
      [accountId, NIK_MOVE_FENCE, this.now().getTime()],
    );
    if (out[0] === 0) return 'unbound';
    if (out[0] === -1) return 'conflict';
    if (out[0] === -2) return 'deferred';
    const [, personId, bannedUntil, penaltyUntil, strikesTtl, strikes] = out;
    const bound = await runScript<number>(
      this.redis,
      'nikMoveIn',
      [keys.nik(newHash), keys.nikStrikes(newHash)],
      [
        accountId,
        personId,
        bannedUntil,
        penaltyUntil,
        strikesTtl,
        nikKeyId(this.secrets.nikHashKey),
        ...strikes,
      ],
    );
    // Only a binding no step of ours could have made; the fence lapses after a minute and nothing moved.
    if (bound !== 1) return 'deferred';
    await runScript(
      this.redis,
      'accountPersonRehash',
      [keys.accountPersons(accountId)],
      [personId, oldHash, newHash],
    );
    const penalty = await this.redis.hget(keys.penalties(), oldHash);
    if (penalty !== null) {
      const current = Number((await this.redis.hget(keys.penalties(), newHash)) ?? 0);
      await this.redis.hset(keys.penalties(), newHash, String(Math.max(current, Number(penalty))));
      await this.redis.hdel(keys.penalties(), oldHash);
    }
    await runScript(
      this.redis,
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
  private async strikePending(accountId: string, oldHash: string): Promise<boolean> {
    const since = new Date(this.now().getTime() - NIK_MOVE_STRIKE_LOOKBACK_MS).toISOString().slice(0, 10);
    const appts = await this.redis.hgetall(keys.accountAppointments(accountId));
    for (const [code, where] of Object.entries(appts)) {
      const [officeId = '', day = ''] = where.split('|');
      if (day < since) continue;
      const [hash, state] = await this.redis.hmget(keys.appointment(officeId, code), 'nikHash', 'state');
      if (hash !== oldHash) continue;
      if (state === 'offered' || state === 'confirmed') return true;
      if (state === 'no_show' && (await this.redis.zscore(keys.nikStrikes(oldHash), code)) === null)
        return true;
    }
    return false;
  }

  private async flagOnce(accountId: string, counter: string, reason: string): Promise<boolean> {
    return (
      (await runScript<number>(this.redis, 'accountFlag', [keys.account(accountId)], [counter, reason])) === 1
    );
  }

  async counters(accountId: string): Promise<Record<string, number>> {
    const [nikConflicts, householdOverflows] = await this.redis.hmget(
      keys.account(accountId),
      'nikConflicts',
      'householdOverflows',
    );
    return { nikConflicts: Number(nikConflicts ?? 0), householdOverflows: Number(householdOverflows ?? 0) };
  }

  async setBlocked(accountId: string, blocked: boolean, by: string): Promise<boolean> {
    const exists = await this.redis.hexists(keys.account(accountId), 'id');
    if (!exists) return false;
    await this.redis.hset(keys.account(accountId), {
      blocked: blocked ? '1' : '0',
      blockedBy: by,
      blockedAt: this.now().toISOString(),
    });
    return true;
  }

  /** Removes accounts that never verified within maxAgeMs (junk sign-ups). Returns how many. */
  async purgeUnverified(maxAgeMs: number, batch = 500): Promise<number> {
    const cutoff = this.now().getTime() - maxAgeMs;
    let purged = 0;
    for (;;) {
      const ids = await this.redis.zrangebyscore(keys.unverifiedAccounts(), 0, cutoff, 'LIMIT', 0, batch);
      if (ids.length === 0) return purged;
      for (const id of ids) {
        const [verified, contactHash] = await this.redis.hmget(keys.account(id), 'verified', 'contactHash');
        if (verified !== '1') {
          if (contactHash) {
            // Only drop the index entry if it still points at this account.
            const owner = await this.redis.hget(keys.contactIndex(), contactHash);
            if (owner === id) await this.redis.hdel(keys.contactIndex(), contactHash);
          }
          await this.redis.del(keys.account(id), keys.accountPersons(id), keys.accountDeliveries(id));
          purged++;
        }
        await this.redis.zrem(keys.unverifiedAccounts(), id);
      }
    }
  }
}
