// Binding persons against the civil registry (docs/identity.md), through the API, against a real
// registry double over HTTP, real Redis and real BullMQ workers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import {
  generatePopulation,
  type RegistryDouble,
  type Resident,
  startRegistryDouble,
} from '../../src/identity/registry-double.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { parseResults } from '../../src/store/draws.ts';
import { sleep, waitFor } from '../support/processes.ts';
import { dumpRedis } from '../support/scan.ts';
import {
  call,
  outbox,
  powFor,
  signInApplicant,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

const MONDAY_MORNING = new Date('2026-11-30T01:00:00Z');
const OFFICE = 'jakarta-selatan';
const population = generatePopulation(50);
const resident = (i: number): Resident => population[i]!;
/** A NIK of the right shape that the registry does not know (serial beyond the population). */
const invented = { ...resident(0), nik: `${resident(0).nik.slice(0, 12)}9999` };

let registry: RegistryDouble;
let sys: TestSystem;
let phone = 100;

async function bind(h: Record<string, string>, r: Resident) {
  return call(sys, 'POST', '/api/me/persons', { nik: r.nik, name: r.name, birthDate: r.birthDate }, h);
}
async function join(h: Record<string, string>, personId: string, pow?: unknown) {
  return call(
    sys,
    'POST',
    '/api/me/entries',
    { personId, officeId: OFFICE, prefs: 'any', pow: pow ?? (await powFor(sys, 'entry')) },
    h,
  );
}
const applicant = () => signInApplicant(sys, `0812-5555-${String(phone++).padStart(4, '0')}`);

beforeAll(async () => {
  registry = await startRegistryDouble({ population, token: 'registry-test-token' });
  sys = await startTestSystem(
    {
      IDENTITY_VERIFIER: 'registry',
      IDENTITY_REGISTRY_URL: registry.url,
      IDENTITY_REGISTRY_TOKEN: 'registry-test-token',
      IDENTITY_TIMEOUT_MS: '300',
      IDENTITY_RETRIES: '1',
      IDENTITY_BACKOFF_MS: '20',
      IDENTITY_BREAKER_FAILURES: '4',
      IDENTITY_BREAKER_COOLDOWN_MS: '400',
      IDENTITY_RECHECK_DELAY_MS: '150',
    },
    { workers: true },
  );
  sys.clock.now = MONDAY_MORNING;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
});
afterAll(async () => {
  await sys.stop();
  await registry.close();
});
beforeEach(async () => {
  registry.switches.delayMs = 0;
  registry.switches.outage = null;
  // Let an open circuit from an earlier case close again.
  await sleep(450);
});

describe('binding a person against the registry', () => {
  it('match: bound as registry-verified, and the match is cached (no second request)', async () => {
    const h = await applicant();
    const res = await bind(h, resident(1));
    expect(res.status).toBe(201);
    expect(res.body.person.identity).toBe('registry');
    const before = registry.requests;
    const again = await bind(h, resident(1));
    expect(again.status).toBe(200);
    expect(again.body.person.identity).toBe('registry');
    expect(registry.requests).toBe(before);
  });

  it('no match: 422 in Indonesian and English, nothing bound; repeated, the account is flagged', async () => {
    const h = await applicant();
    const wrongName = { ...resident(2), name: 'Nama Lain' };
    for (const r of [invented, wrongName, { ...resident(3), name: 'Orang Lain' }]) {
      const res = await bind(h, r);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.code).toBe('identity_no_match');
      expect(res.body.error.messages.id).toMatch(/tidak cocok/);
      expect(res.body.error.messages.en).toMatch(/do not match/);
    }
    const persons = await call(sys, 'GET', '/api/me/persons', undefined, h);
    expect(persons.body.persons).toEqual([]);
    expect(await sys.redis.client.exists(keys.nik(sys.deps.accounts.hashNik(invented.nik)))).toBe(0);
    const me = await call(sys, 'GET', '/api/me', undefined, h);
    const flags = await sys.deps.flags.list();
    const mine = flags.flags.filter(
      (f) => f.reason === 'identity_no_match' && f.accountId === me.body.account.id,
    );
    expect(mine).toHaveLength(1);
    // A failed answer is never cached: the real person, entered right, still binds.
    expect((await bind(h, resident(2))).body.person.identity).toBe('registry');
  });

  it('no-match answers are few a day per account: then the registry is not asked at all', async () => {
    const h = await applicant();
    for (let i = 0; i < 5; i++) {
      expect((await bind(h, { ...resident(30 + i), name: 'Bukan Dia' })).status).toBe(422);
    }
    const asked = registry.requests;
    const spent = await bind(h, resident(35));
    expect(spent.status).toBe(429);
    expect(spent.body.error.code).toBe('identity_checks_used');
    expect(registry.requests).toBe(asked);
  });

  it('unknown then verified: bound provisionally, the job re-checks, the held entry is released', async () => {
    const h = await applicant();
    // The proof of work is solved before the outage: the re-check backs off exponentially, so the longer
    // the registry is down, the longer after it comes back the next re-check runs.
    const pow = await powFor(sys, 'entry');
    registry.switches.outage = 'down';
    const res = await bind(h, resident(4));
    expect(res.status).toBe(201);
    expect(res.body.person.identity).toBe('provisional');
    const personId = res.body.person.id;
    const j = await join(h, personId, pow);
    expect(j.status).toBe(201);
    const bucket = keys.drawEntries(OFFICE, j.body.entry.drawDate, j.body.entry.ticket.slice(0, 2));
    expect(await sys.redis.client.hget(bucket, j.body.entry.ticket)).toMatch(/\|u$/);
    registry.switches.outage = null;
    await waitFor(async () => {
      const p = await sys.deps.accounts.person(
        (await call(sys, 'GET', '/api/me', undefined, h)).body.account.id,
        personId,
      );
      return p?.identity === 'registry' ? p : null;
    }, 'the re-check to confirm the person');
    expect(await sys.redis.client.hget(bucket, j.body.entry.ticket)).not.toMatch(/\|u$/);
    const persons = await call(sys, 'GET', '/api/me/persons', undefined, h);
    expect(persons.body.persons[0].identity).toBe('registry');
  });

  it('a re-check that died after marking the person verified: the next try releases the held entry', async () => {
    const h = await applicant();
    const accountId = (await call(sys, 'GET', '/api/me', undefined, h)).body.account.id;
    const pow = await powFor(sys, 'entry');
    registry.switches.outage = 'down';
    const personId = (await bind(h, resident(47))).body.person.id;
    const j = await join(h, personId, pow);
    const bucket = keys.drawEntries(OFFICE, j.body.entry.drawDate, j.body.entry.ticket.slice(0, 2));
    // What the dead try left: the person marked, the entry still held.
    await sys.deps.accounts.setIdentity(accountId, personId, 'registry');
    expect(await sys.redis.client.hget(bucket, j.body.entry.ticket)).toMatch(/\|u$/);
    expect(await sys.deps.identity.recheck(accountId, personId)).toBe('done');
    expect(await sys.redis.client.hget(bucket, j.body.entry.ticket)).not.toMatch(/\|u$/);
    registry.switches.outage = null;
  });

  it('unknown then refused: the job unbinds the person and voids the held entry', async () => {
    const h = await applicant();
    const accountId = (await call(sys, 'GET', '/api/me', undefined, h)).body.account.id;
    const pow = await powFor(sys, 'entry');
    registry.switches.outage = 'down';
    const fake = { ...invented, nik: `${invented.nik.slice(0, 12)}9998` };
    const res = await bind(h, fake);
    expect(res.body.person.identity).toBe('provisional');
    const j = await join(h, res.body.person.id, pow);
    expect(j.status).toBe(201);
    registry.switches.outage = null;
    await waitFor(
      async () => ((await sys.deps.accounts.persons(accountId)).length === 0 ? true : null),
      'the re-check to refuse the person',
    );
    expect(
      await sys.redis.client.hget(keys.nik(sys.deps.accounts.hashNik(fake.nik)), 'accountId'),
    ).toBeNull();
    const entries = await sys.deps.entries.forAccount(accountId);
    expect(entries.map((e) => e.status)).toEqual(['void']);
    const bucket = keys.drawEntries(OFFICE, j.body.entry.drawDate, j.body.entry.ticket.slice(0, 2));
    expect(await sys.redis.client.hexists(bucket, j.body.entry.ticket)).toBe(0);

    // The applicant is told, by message (their ticket, no NIK, no name) and on their page.
    const told = await waitFor(async () => {
      const m = outbox(sys).filter((x) => x.template === 'identity_refused');
      return m.length ? m : null;
    }, 'the refusal message');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(j.body.entry.ticket);
    expect(told[0]!.text).toMatch(/tidak cocok dengan Dukcapil/);
    expect(told[0]!.text).not.toContain(fake.nik);
    expect(told[0]!.text).not.toContain(fake.name);
    const me = await call(sys, 'GET', '/api/me', undefined, h);
    expect(me.body.identityRefused).toEqual([{ name: fake.name, at: sys.clock.now.toISOString() }]);
    // Bound again as on the ID card, the notice has been acted on.
    expect((await bind(h, resident(45))).status).toBe(201);
    expect((await call(sys, 'GET', '/api/me', undefined, h)).body.identityRefused).toEqual([]);
  });

  it('a person bound on the NIK form alone (before the registry) is confirmed when entered again', async () => {
    const h = await applicant();
    const accountId = (await call(sys, 'GET', '/api/me', undefined, h)).body.account.id;
    const personId = (await bind(h, resident(46))).body.person.id;
    // As bound while IDENTITY_VERIFIER was still `shape`: no NIK kept, so no job can check it.
    await sys.deps.accounts.setIdentity(accountId, personId, 'shape');
    const me = await call(sys, 'GET', '/api/me', undefined, h);
    expect(me.body.identityCheck).toBe('registry');
    expect(me.body.persons[0]).toMatchObject({ id: personId, identity: 'shape' });
    // The wrong name is refused and changes nothing; the right one confirms the person.
    expect((await bind(h, { ...resident(46), name: 'Orang Lain' })).status).toBe(422);
    expect((await sys.deps.accounts.person(accountId, personId))!.identity).toBe('shape');
    const again = await bind(h, resident(46));
    expect(again.status).toBe(200);
    expect(again.body.person).toMatchObject({ id: personId, identity: 'registry' });
  });

  it('timeouts: a registry slower than the timeout answers unknown within timeout × tries', async () => {
    const h = await applicant();
    registry.switches.delayMs = 2_000;
    const started = Date.now();
    const res = await bind(h, resident(5));
    const took = Date.now() - started;
    expect(res.body.person.identity).toBe('provisional');
    // 2 tries of 300 ms and a backoff of at most 20 ms, not the registry's 2 s.
    expect(took).toBeLessThan(1_500);
    expect(took).toBeGreaterThanOrEqual(550);
  });

  it('the circuit breaker: after 4 failures it answers at once without asking; it closes again', async () => {
    const h = await applicant();
    registry.switches.outage = 'hang';
    await bind(h, resident(6)); // 2 failures
    await bind(h, resident(7)); // 4: open
    const asked = registry.requests;
    const started = Date.now();
    const res = await bind(h, resident(8));
    expect(Date.now() - started).toBeLessThan(200);
    expect(res.body.person.identity).toBe('provisional');
    expect(registry.requests).toBe(asked);
    registry.switches.outage = null;
    await sleep(450);
    const after = await bind(h, resident(9));
    // Half-open: one trial request goes out, it answers, the circuit closes.
    expect(after.body.person.identity).toBe('registry');
  });
});

describe('registry down for longer than a draw cycle', () => {
  it('draws only verified persons; the provisional entry is left out of the frozen list', async () => {
    // Its own office day: the draw of the earlier cases is still open on this one.
    const h = await applicant();
    const verified = await bind(h, resident(20));
    const ok = await join(h, verified.body.person.id);
    registry.switches.outage = 'down';
    const other = await applicant();
    const held = await bind(other, resident(21));
    expect(held.body.person.identity).toBe('provisional');
    const heldJoin = await join(other, held.body.person.id);
    expect(heldJoin.status).toBe(201);
    const drawDate = heldJoin.body.entry.drawDate;
    // The registry stays down through the whole draw: every re-check answers unknown.
    const run = await sys.deps.drawControl.runNow(OFFICE, drawDate);
    expect(run).toMatchObject({ done: true });
    const results = parseResults((await sys.deps.draws.results(OFFICE, drawDate)) ?? '');
    const tickets = results.map((r) => r.ticket);
    expect(tickets).toContain(ok.body.entry.ticket);
    expect(tickets).not.toContain(heldJoin.body.entry.ticket);
    // No held entry of any person reached the draw.
    const heldTickets: string[] = [];
    for (const b of await sys.redis.client.keys(`${keys.drawEntries(OFFICE, drawDate, '*')}`)) {
      const all = await sys.redis.client.hgetall(b);
      for (const [t, v] of Object.entries(all)) if (v.endsWith('|u')) heldTickets.push(t);
    }
    expect(heldTickets.length).toBeGreaterThan(0);
    for (const t of heldTickets) expect(tickets).not.toContain(t);
    expect((await sys.deps.draws.meta(OFFICE, drawDate))?.entryCount).toBe(tickets.length);
  });
});

describe('no NIK in clear', () => {
  it('reaches neither Redis (every key and value), the logs, the queues nor the outbox', async () => {
    // One binding still waiting for the registry, so a sealed NIK and its re-check job are there now.
    registry.switches.outage = 'down';
    const waiting = await bind(await applicant(), resident(22));
    expect(waiting.body.person.identity).toBe('provisional');
    const dump = await dumpRedis(sys.redis.client);
    const logs = sys.logLines.join('\n');
    const box = JSON.stringify(outbox(sys));
    const jobs = JSON.stringify(
      await sys.deps.queues!.maintenance.getJobs(['waiting', 'delayed', 'completed', 'failed', 'active']),
    );
    expect(jobs).toContain('personId');
    const used = [...population.slice(0, 25), invented, { nik: `${invented.nik.slice(0, 12)}9998` }].map(
      (r) => r.nik,
    );
    for (const nik of used) {
      expect(dump.includes(nik), `Redis holds ${nik.slice(0, 4)}…`).toBe(false);
      expect(logs.includes(nik), 'a log line holds a NIK').toBe(false);
      expect(box.includes(nik), 'the outbox holds a NIK').toBe(false);
      expect(jobs.includes(nik), 'a job holds a NIK').toBe(false);
    }
    // The sealed NIKs are there (provisional persons still waiting), but only as ciphertext.
    expect(dump).toContain('sealed');
  });
});

describe('configuration', () => {
  const base = {
    NIK_HASH_KEY: 'Xq7vR2mK9pL4wT8nB3cF6hJ1sD5gZ0aE',
    APP_SECRET: 'Yt4kP8wQ2zN6xV1mC9rL3bH7jF5dS0gU',
    LOG_SIGNING_KEY: `${'9f'.repeat(16)}a1b2c3d4e5f60718293a4b5c6d7e8f90`,
    BEACON: 'off',
  };
  it('production refuses a registry over plain http, and one without a seal key', () => {
    expect(() =>
      loadConfig({
        ...base,
        NODE_ENV: 'production',
        IDENTITY_VERIFIER: 'registry',
        IDENTITY_REGISTRY_URL: 'http://registry.example/verify',
        IDENTITY_SEAL_KEY: 'b'.repeat(64),
      }),
    ).toThrow(/IDENTITY_REGISTRY_URL: must be https/);
    expect(() =>
      loadConfig({
        ...base,
        NODE_ENV: 'production',
        IDENTITY_VERIFIER: 'registry',
        IDENTITY_REGISTRY_URL: 'https://registry.example/verify',
      }),
    ).toThrow(/IDENTITY_SEAL_KEY/);
    expect(() => loadConfig({ ...base, IDENTITY_VERIFIER: 'registry' })).toThrow(/IDENTITY_REGISTRY_URL/);
  });
});
