// Applicant accounts: verified contact, one-time codes, the persons (by NIK hash) an account applies for.
import { randomInt } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { contactHash, ipHash, nikHash, otpHash } from '../auth/identity.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { type FlagStore, flagRecord } from './flags.ts';

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
    private readonly secrets: { nikHashKey: string; appSecret: string },
    private readonly flags: FlagStore,
    private readonly now: () => Date,
  ) {}

  contactKey(contact: string): string {
    return contactHash(this.secrets.appSecret, contact);
  }

  hashNik(nik: string): string {
    return nikHash(this.secrets.nikHashKey, nik);
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
    const h = await this.redis.hgetall(keys.account(id));
    if (!h.id) return null;
    return {
      id: h.id,
      contact: h.contact ?? '',
      contactKind: (h.contactKind as Account['contactKind']) ?? 'phone',
      lang: h.lang === 'en' ? 'en' : 'id',
      verified: h.verified === '1',
      blocked: h.blocked === '1',
      createdAt: h.createdAt ?? '',
    };
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
   * Binds the NIK to this account (person slot), then adds the person within the household limit
   * (account slot), unbinding the NIK again if the limit refuses. Each step is atomic on its own slot;
   * a crash between them leaves the NIK bound to this account, and a retry completes the registration.
   */
  async addPerson(
    accountId: string,
    input: { nik: string; nikMasked: string; name: string; birthDate: string; category: string | null },
    householdLimit: number,
  ): Promise<
    { status: 'added' | 'exists'; person: Person } | { status: 'nik_conflict' | 'household_limit' }
  > {
    const at = this.now();
    const hash = this.hashNik(input.nik);
    const [bound, personId] = await runScript<[number, string]>(
      this.redis,
      'nikBind',
      [keys.nik(hash)],
      [accountId, newId()],
    );
    if (bound === -1) {
      if (await this.flagOnce(accountId, 'nikConflicts', 'nik_conflict')) {
        await this.flags.add(flagRecord('nik_conflict', accountId, { nikHash: hash.slice(0, 12) }, at));
      }
      return { status: 'nik_conflict' };
    }
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
    if (added === 0) return { status: 'exists', person: (await this.person(accountId, personId))! };
    return { status: 'added', person };
  }

  private async flagOnce(accountId: string, counter: string, reason: string): Promise<boolean> {
    return (
      (await runScript<number>(this.redis, 'accountFlag', [keys.account(accountId)], [counter, reason])) === 1
    );
  }

  async counters(accountId: string): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(keys.account(accountId));
    return {
      nikConflicts: Number(h.nikConflicts ?? 0),
      householdOverflows: Number(h.householdOverflows ?? 0),
    };
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
        const h = await this.redis.hgetall(keys.account(id));
        if (h.verified !== '1') {
          if (h.contactHash) {
            // Only drop the index entry if it still points at this account.
            const owner = await this.redis.hget(keys.contactIndex(), h.contactHash);
            if (owner === id) await this.redis.hdel(keys.contactIndex(), h.contactHash);
          }
          await this.redis.del(
            keys.account(id),
            keys.accountPersons(id),
            keys.accountEntries(id),
            keys.accountDeliveries(id),
          );
          purged++;
        }
        await this.redis.zrem(keys.unverifiedAccounts(), id);
      }
    }
  }
}
