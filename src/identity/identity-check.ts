// Binding a person against the civil registry, and re-checking those bound while it did not answer.
// A match is cached (keyed by the NIK hash, holding only a keyed fingerprint); a no-match binds nothing
// and, repeated, flags the account; "unknown" binds provisionally: the NIK is sealed (seal.ts) for the
// re-check job, which carries only account and person ids, and the person's entries are held from the
// draw until the registry matches (docs/identity.md).
import type { Queue } from 'bullmq';
import type { Logger } from '../log.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import type { AccountStore, IdentityStatus, Person } from '../store/accounts/index.ts';
import type { EntryStore } from '../store/entries/index.ts';
import { type FlagStore, flagRecord } from '../store/flags.ts';
import type { IdentityQuery, IdentityVerifier } from './port.ts';
import type { NikSeal } from './seal.ts';

/**
 * A registry no-match tells whether a NIK, a name and a birth date belong together: a way to confirm a
 * stranger's personal data. Each account and address gets few such answers a day; once spent, the registry
 * is not asked (docs/identity.md).
 */
export const NO_MATCH_LIMITS = {
  account: { bucket: 'idv-nomatch-acct', limit: 5, windowSeconds: 86_400 },
  ip: { bucket: 'idv-nomatch-ip', limit: 20, windowSeconds: 86_400 },
} as const;

/** No-match answers on one account before it is flagged for an admin to look at. */
export const NO_MATCH_FLAG_AT = 3;
export const RECHECK_JOB = 'identity-recheck';

export interface RecheckData {
  accountId: string;
  personId: string;
}

export interface IdentityCheckDeps {
  verifier: IdentityVerifier;
  seal: NikSeal;
  redis: RedisClient;
  accounts: AccountStore;
  entries: EntryStore;
  flags: FlagStore;
  log: Logger;
  now: () => Date;
  cacheTtlS: number;
  sealTtlS: number;
  /** The queue the re-check job goes to (maintenance); absent where no workers run. */
  queue: () => Queue | undefined;
  /** First re-check delay; BullMQ doubles it on each "unknown". */
  recheckDelayMs?: number;
  recheckAttempts?: number;
  /** Tells the applicant a provisional person was refused (the message: deps.ts), with the tickets voided. */
  onRefused?: (accountId: string, personId: string, tickets: string[]) => Promise<void>;
}

/** A person the registry refused after a provisional binding, as the applicant's page shows it. */
export interface Refusal {
  name: string;
  at: string;
}

/** Refusals kept on the account for its page, newest first, until a person is bound again. */
const REFUSALS_KEPT = 5;

export type CheckOutcome = IdentityStatus | 'no_match';
export type RecheckOutcome = 'verified' | 'refused' | 'pending' | 'done';

/** Thrown by the re-check while the registry still does not answer, so BullMQ tries again later. */
export class RegistryUnavailable extends Error {
  constructor() {
    super('the identity registry did not answer');
  }
}

export class IdentityCheck {
  constructor(private readonly d: IdentityCheckDeps) {}

  get kind(): IdentityVerifier['kind'] {
    return this.d.verifier.kind;
  }

  /** What binding this person would be: `registry`, `shape`, `provisional`, or refused (`no_match`). */
  async check(accountId: string, q: IdentityQuery, nikHash: string): Promise<CheckOutcome> {
    if (this.d.verifier.kind === 'shape') return 'shape';
    const fp = this.d.seal.fingerprint(q.nik, q.name, q.birthDate);
    if ((await this.d.redis.get(keys.identityMatch(nikHash))) === fp) return 'registry';
    const answer = await this.d.verifier.verify(q);
    if (answer === 'match') {
      await this.d.redis.set(keys.identityMatch(nikHash), fp, 'EX', this.d.cacheTtlS);
      return 'registry';
    }
    if (answer === 'no_match') {
      await this.noMatch(accountId);
      return 'no_match';
    }
    return 'provisional';
  }

  /** After a provisional binding: seal the NIK for the re-check and queue it (ids only). */
  async hold(accountId: string, person: Person, nik: string): Promise<void> {
    const key = keys.identitySeal(person.nikHash);
    await this.d.redis
      .multi()
      .hset(key, 'accountId', accountId, 'personId', person.id, 'sealed', this.d.seal.seal(nik, person.id))
      .expire(key, this.d.sealTtlS)
      .exec();
    await this.d.queue()?.add(RECHECK_JOB, { accountId, personId: person.id } satisfies RecheckData, {
      jobId: `idcheck.${person.id}`,
      delay: this.d.recheckDelayMs ?? 60_000,
      attempts: this.d.recheckAttempts ?? 12,
      backoff: { type: 'exponential', delay: this.d.recheckDelayMs ?? 60_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** A confirmed identity: the person is `registry`, its held entries go to the draw. */
  async confirm(accountId: string, person: Person): Promise<void> {
    // The entries go first: a crash before the person is marked leaves it provisional, and the retried job
    // confirms again. The second release takes an entry a join added held while this ran (the join read
    // the person before it was marked); a retried job finding the person marked releases once more.
    let released = await this.d.entries.releaseHeld(accountId, person.id);
    await this.d.accounts.setIdentity(accountId, person.id, 'registry');
    released += await this.d.entries.releaseHeld(accountId, person.id);
    await this.d.redis.del(keys.identitySeal(person.nikHash));
    this.d.log.info({ accountId, personId: person.id, released }, 'identity confirmed by the registry');
  }

  /**
   * The re-check job: asks the registry again with the sealed NIK. Throws RegistryUnavailable while it
   * does not answer; a sealed NIK gone (expired) leaves the person provisional until the applicant enters
   * the NIK again, which checks anew.
   */
  async recheck(accountId: string, personId: string): Promise<RecheckOutcome> {
    const person = await this.d.accounts.person(accountId, personId);
    if (person?.identity === 'registry') {
      // A try that died after marking the person: what it had not released yet.
      await this.d.entries.releaseHeld(accountId, personId);
      return 'done';
    }
    if (person?.identity !== 'provisional') return 'done';
    const [owner, sealed] = await this.d.redis.hmget(
      keys.identitySeal(person.nikHash),
      'accountId',
      'sealed',
    );
    const nik = owner === accountId && sealed ? this.d.seal.open(sealed, personId) : null;
    if (!nik) return 'pending';
    const q = { nik, name: person.name, birthDate: person.birthDate };
    const answer = await this.d.verifier.verify(q);
    if (answer === 'unknown') throw new RegistryUnavailable();
    if (answer === 'match') {
      const fp = this.d.seal.fingerprint(nik, person.name, person.birthDate);
      await this.d.redis.set(keys.identityMatch(person.nikHash), fp, 'EX', this.d.cacheTtlS);
      await this.confirm(accountId, person);
      return 'verified';
    }
    await this.refuse(accountId, person);
    return 'refused';
  }

  /** The registry does not know this person: their held entries are voided and the binding undone. */
  private async refuse(accountId: string, person: Person): Promise<void> {
    const voided: string[] = [];
    for (const e of await this.d.entries.forAccount(accountId)) {
      if (e.personId !== person.id || e.status !== 'pending') continue;
      await this.d.entries.withdraw(accountId, { ...e, nikHash: person.nikHash }, 'void');
      voided.push(e.ticket);
    }
    await this.d.accounts.removePerson(accountId, person);
    await this.d.redis.del(keys.identitySeal(person.nikHash));
    await this.noMatch(accountId);
    // The person is gone from the account: its page says who and when, until a person is bound again.
    const refusal: Refusal = { name: person.name, at: this.d.now().toISOString() };
    const kept = [refusal, ...(await this.refusals(accountId))].slice(0, REFUSALS_KEPT);
    await this.d.redis.hset(keys.account(accountId), 'identityRefused', JSON.stringify(kept));
    await this.d.onRefused?.(accountId, person.id, voided);
    this.d.log.info({ accountId, personId: person.id }, 'provisional identity refused by the registry');
  }

  /** Persons refused after a provisional binding, newest first, for the applicant's page. */
  async refusals(accountId: string): Promise<Refusal[]> {
    const raw = await this.d.redis.hget(keys.account(accountId), 'identityRefused');
    return raw ? (JSON.parse(raw) as Refusal[]) : [];
  }

  /** A person bound again: the refusals have been acted on. */
  async clearRefusals(accountId: string): Promise<void> {
    await this.d.redis.hdel(keys.account(accountId), 'identityRefused');
  }

  private async noMatch(accountId: string): Promise<void> {
    const n = await this.d.redis.hincrby(keys.account(accountId), 'identityNoMatch', 1);
    if (n === NO_MATCH_FLAG_AT) {
      await this.d.flags.add(flagRecord('identity_no_match', accountId, { noMatches: n }, this.d.now()));
    }
  }
}
