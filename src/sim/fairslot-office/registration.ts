// Accounts and persons under simulation, through AccountStore: ordinary people one account each, brokers
// many accounts from few connections holding clients' and invented identities.
import { maskNik, validateNik } from '../../domain/nik.ts';
import { IdentityCheck, NO_MATCH_LIMITS } from '../../identity/identity-check.ts';
import { NikSeal } from '../../identity/seal.ts';
import { bump } from '../outcome.ts';
import type { GenuineApplicant, Identity } from '../population.ts';
import type { BrokerState, OfficeSim, SimPerson } from './state.ts';

/**
 * Ordinary people: one account each, verified from their own connection, one person. Each phase is one
 * batch whose calls take their random ids synchronously, in list order (see the file comment).
 */
export async function registerGenuine(sim: OfficeSim, all: GenuineApplicant[]): Promise<SimPerson[]> {
  // Applicants first (one account each), then their relatives on the applicant's account.
  const heads = await registerBatch(
    sim,
    all.filter((g) => g.group === g.key),
    null,
  );
  const relatives = all.filter((g) => g.group !== g.key);
  return relatives.length ? [...heads, ...(await registerBatch(sim, relatives, heads))] : heads;
}

async function registerBatch(
  sim: OfficeSim,
  list: GenuineApplicant[],
  heads: SimPerson[] | null,
): Promise<SimPerson[]> {
  const { accounts } = sim.deps;
  const headOf = new Map((heads ?? []).map((h) => [h.key, h]));
  const ids = heads
    ? list.map((g) => headOf.get(g.group)?.accountId ?? '')
    : await Promise.all(list.map((g) => accounts.ensureAccount(g.contact, 'phone', 'id')));
  if (!heads) await Promise.all(list.map((g, i) => accounts.markVerified(ids[i]!, g.ip)));
  const results = await Promise.all(
    list.map((g, i) => {
      const nik = validateNik(g.nik, g.birthDate);
      if (!nik.ok || !ids[i]) return null;
      return accounts.addPerson(
        ids[i]!,
        {
          nik: nik.nik,
          nikMasked: maskNik(nik.nik),
          name: 'Warga Simulasi',
          birthDate: g.birthDate,
          category: g.category,
        },
        sim.input.householdLimit,
      );
    }),
  );
  const out: SimPerson[] = [];
  list.forEach((g, i) => {
    const r = results[i];
    if (!r || !('person' in r)) {
      bump(sim.tally, `genuineRegistration_${r?.status ?? 'invalid_nik'}`);
      return;
    }
    const p = sim.person(
      g.key,
      'genuine',
      ids[i]!,
      r.person,
      { intentDay: g.intentDay, minute: g.intentMinute, patienceDays: g.patienceDays },
      { group: g.group, minor: g.minor },
    );
    sim.genuineByKey.set(g.key, p);
    const family = sim.families.get(g.group);
    if (family) family.push(p);
    else sim.families.set(g.group, [p]);
    // Relatives act through their applicant: only the applicant's hour brings the family in.
    if (g.group === g.key) sim.byHour[Math.floor(g.intentMinute / 60)]!.push(p);
    out.push(p);
  });
  return out;
}

/** A broker's day 0: many phone numbers verified from few connections, then the invented identities. */
export async function setUpBroker(sim: OfficeSim, b: BrokerState): Promise<void> {
  const { accounts } = sim.deps;
  for (const a of b.broker.accounts) {
    const id = await accounts.ensureAccount(a.contact, 'phone', 'id');
    b.accountIds.push(id);
    sim.brokerAccounts.add(id);
  }
  // One at a time: the per-IP flag fires on the account that crosses the threshold.
  for (let i = 0; i < b.accountIds.length; i++) {
    await accounts.markVerified(b.accountIds[i]!, b.broker.accounts[i]!.ip);
  }
  for (const f of b.broker.fakes) {
    const p = await registerIdentity(sim, b, f, 'fake', {
      intentDay: 0,
      minute: sim.s.brokers.hour * 60,
      patienceDays: sim.s.days,
    });
    if (p) b.identities.push(p);
  }
}

/**
 * What the persons route does for a broker: the NIK must pass the structural check, then it is bound to
 * the broker's accounts one after another as each fills up to the household limit; trying the same NIK on
 * more accounts, to multiply chances, meets the one-NIK-one-account rule.
 */
export async function registerIdentity(
  sim: OfficeSim,
  b: BrokerState,
  id: Identity,
  kind: 'client' | 'fake',
  when: { intentDay: number; minute: number; patienceDays: number },
): Promise<SimPerson | null> {
  const nik = validateNik(id.nik, id.birthDate);
  if (!nik.ok) {
    bump(sim.tally, `${kind}NiksRejected`);
    return null;
  }
  // The registry knows every real person (genuine applicants and brokers' paying clients) and no invented one.
  if (kind === 'fake' && sim.s.identityRegistry) {
    await askRegistry(sim, b, { nik: nik.nik, name: 'Klien Calo', birthDate: id.birthDate });
    return null;
  }
  const input = {
    nik: nik.nik,
    nikMasked: maskNik(nik.nik),
    name: 'Klien Calo',
    birthDate: id.birthDate,
    category: null,
  };
  let person: SimPerson | null = null;
  while (b.cursor < b.accountIds.length) {
    const accountId = b.accountIds[b.cursor]!;
    const r = await sim.deps.accounts.addPerson(accountId, input, sim.input.householdLimit);
    if (!('person' in r)) {
      if (r.status === 'nik_conflict') {
        bump(sim.tally, 'nikConflicts');
        return null;
      }
      bump(sim.tally, 'householdLimitRefusals');
      b.cursor++;
      continue;
    }
    person = sim.person(id.key, kind, accountId, r.person, when);
    break;
  }
  if (!person) {
    bump(sim.tally, 'identitiesWithoutRoom');
    return null;
  }
  for (let k = 1; k < sim.s.brokers.accountsPerIdentity; k++) {
    const other = b.accountIds[(b.cursor + k) % b.accountIds.length]!;
    if (other === person.accountId) continue;
    const r = await sim.deps.accounts.addPerson(other, input, sim.input.householdLimit);
    bump(sim.tally, r.status === 'nik_conflict' ? 'nikConflicts' : `duplicateRegistration_${r.status}`);
  }
  return person;
}

/**
 * What the persons route does with an invented identity under the registry: within the account's and the
 * address's daily no-match budgets it asks, and the real IdentityCheck counts the no-match (flagging the
 * account at its third); nothing is bound. A spent budget moves the broker to its next account.
 */
async function askRegistry(
  sim: OfficeSim,
  b: BrokerState,
  q: { nik: string; name: string; birthDate: string },
): Promise<void> {
  const { deps } = sim;
  const scale = (l: { bucket: string; limit: number; windowSeconds: number }) => ({
    ...l,
    limit: l.limit * deps.config.RATE_LIMIT_MULTIPLIER,
  });
  for (; b.registryCursor < b.accountIds.length; b.registryCursor++) {
    const accountId = b.accountIds[b.registryCursor]!;
    const budgets: [ReturnType<typeof scale>, string][] = [
      [scale(NO_MATCH_LIMITS.account), accountId],
      [scale(NO_MATCH_LIMITS.ip), b.broker.accounts[b.registryCursor]!.ip],
    ];
    const rooms = await Promise.all(budgets.map(([l, k]) => deps.rateLimiter.peek(l, k)));
    if (!rooms.every((r) => r.allowed)) continue;
    const answer = await registry(sim).check(accountId, q, deps.accounts.hashNik(q.nik));
    if (answer === 'no_match') for (const [l, k] of budgets) await deps.rateLimiter.hit(l, k);
    bump(sim.tally, 'fakeRefusedByRegistry');
    return;
  }
  // Every account's budget spent for the day: the registry is not asked, and nothing is bound either.
  bump(sim.tally, 'fakeRefusedByRegistryBudget');
}

/** The production identity check with a registry that knows no invented identity (the only ones asked). */
function registry(sim: OfficeSim): IdentityCheck {
  const { deps } = sim;
  sim.registry ??= new IdentityCheck({
    verifier: { kind: 'registry', verify: async () => 'no_match' },
    seal: new NikSeal(deps.config.IDENTITY_SEAL_KEY, deps.config.appSecret),
    redis: deps.redis,
    accounts: deps.accounts,
    entries: deps.entries,
    flags: deps.flags,
    log: deps.log,
    now: deps.now,
    cacheTtlS: deps.config.IDENTITY_CACHE_TTL_S,
    sealTtlS: deps.config.IDENTITY_SEAL_TTL_S,
    queue: () => undefined,
  });
  return sim.registry;
}
