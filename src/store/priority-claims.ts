// Priority claims as the counter sees them: per office, how many arrivals claimed each category and how
// many showed the document; a claim shown without it is taken off the person (and stays off).
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import type { Person } from './accounts/index.ts';
import { type FlagStore, flagRecord } from './flags.ts';

export type ProofCheck = 'seen' | 'not_seen';

export interface ClaimRate {
  category: string;
  /** By age from the NIK ('age') or claimed with a document ('claimed'). */
  kind: 'age' | 'claimed';
  count: number;
  /** count / arrivals checked in. */
  share: number;
  seen: number;
  notSeen: number;
}

export class PriorityClaimStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly flags: FlagStore,
    private readonly now: () => Date,
  ) {}

  /** Counts one arrival at the counter, with the category its entry carried and what the officer saw. */
  async recordArrival(
    officeId: string,
    category: { id: string; kind: 'age' | 'claimed' } | null,
    proof: ProofCheck | null,
  ): Promise<void> {
    const m = this.redis.multi().hincrby(keys.officeClaims(officeId), 'checkins', 1);
    if (category) {
      m.hincrby(keys.officeClaims(officeId), `${category.kind}:${category.id}`, 1);
      if (proof === 'seen') m.hincrby(keys.officeClaims(officeId), `seen:${category.id}`, 1);
      if (proof === 'not_seen') m.hincrby(keys.officeClaims(officeId), `notSeen:${category.id}`, 1);
    }
    await m.exec();
  }

  /** Takes back an arrival counted by recordArrival (a check-in undone at the counter). */
  async forgetArrival(
    officeId: string,
    category: { id: string; kind: 'age' | 'claimed' } | null,
    proof: ProofCheck | null,
  ): Promise<void> {
    const m = this.redis.multi().hincrby(keys.officeClaims(officeId), 'checkins', -1);
    if (category) {
      m.hincrby(keys.officeClaims(officeId), `${category.kind}:${category.id}`, -1);
      if (proof === 'seen') m.hincrby(keys.officeClaims(officeId), `seen:${category.id}`, -1);
      if (proof === 'not_seen') m.hincrby(keys.officeClaims(officeId), `notSeen:${category.id}`, -1);
    }
    await m.exec();
  }

  async rates(officeId: string): Promise<{ checkins: number; categories: ClaimRate[] }> {
    const h = await this.redis.hgetall(keys.officeClaims(officeId));
    const checkins = Number(h.checkins ?? 0);
    const categories: ClaimRate[] = [];
    for (const [field, v] of Object.entries(h)) {
      const m = /^(age|claimed):(.+)$/.exec(field);
      if (!m) continue;
      const count = Number(v);
      categories.push({
        category: m[2]!,
        kind: m[1] as 'age' | 'claimed',
        count,
        share: checkins ? count / checkins : 0,
        seen: Number(h[`seen:${m[2]}`] ?? 0),
        notSeen: Number(h[`notSeen:${m[2]}`] ?? 0),
      });
    }
    return { checkins, categories: categories.sort((a, b) => a.category.localeCompare(b.category)) };
  }

  /**
   * Takes a claim off a person after the counter saw no document: later entries carry no claimed
   * category, and the person record says which claim was removed, when and at which appointment.
   */
  async revoke(accountId: string, personId: string, code: string): Promise<Person | null> {
    const key = keys.accountPersons(accountId);
    const raw = await this.redis.hget(key, personId);
    if (!raw) return null;
    const person = JSON.parse(raw) as Person;
    if (!person.category) return person;
    const revoked: Person = {
      ...person,
      category: null,
      claimRevoked: { category: person.category, code, at: this.now().toISOString() },
    };
    await this.redis.hset(key, personId, JSON.stringify(revoked));
    return revoked;
  }

  /** Gives back a claim revoked at appointment `code` (its check-in undone); null if it was not. */
  async restore(accountId: string, personId: string, code: string): Promise<Person | null> {
    const key = keys.accountPersons(accountId);
    const raw = await this.redis.hget(key, personId);
    if (!raw) return null;
    const { claimRevoked, ...person } = JSON.parse(raw) as Person;
    if (!claimRevoked || claimRevoked.code !== code) return null;
    const restored: Person = { ...person, category: claimRevoked.category };
    await this.redis.hset(key, personId, JSON.stringify(restored));
    return restored;
  }

  /** Raises the implausible-claims flag once per account, with the pattern as evidence. */
  async flagImplausible(accountId: string, category: string, persons: number): Promise<void> {
    const first = await this.redis.hsetnx(keys.account(accountId), 'flaggedImplausibleClaims', '1');
    if (first === 1) {
      await this.flags.add(flagRecord('implausible_claims', accountId, { category, persons }, this.now()));
    }
  }
}
