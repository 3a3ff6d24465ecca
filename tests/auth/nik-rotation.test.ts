// Rotating NIK_HASH_KEY against a real Redis: persons registered under the old key stay "taken", banned
// and one-active-entry while the rotation runs, and move to the new hash the next time their NIK is
// entered — unless something still refers to the old hash. docs/operations.md, "Rotating the NIK hashing key".
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { nikHash, nikKeyId } from '../../src/auth/identity.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { exampleNik } from '../../src/domain/nik.ts';
import { createLogger } from '../../src/log.ts';
import { keys } from '../../src/redis/keys.ts';
import { runScript } from '../../src/redis/scripts.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { dumpRedis } from '../support/scan.ts';
import { call, powFor, signInApplicant, startTestSystem, type TestSystem } from '../support/system.ts';

const OLD_KEY = 'old-nik-hash-key-0123456789abcdef0123456';
const NEW_KEY = 'new-nik-hash-key-0123456789abcdef0123456';
const APP_SECRET = 'test-app-secret-0123456789abcdef012345';
const MONDAY = new Date('2026-11-30T01:00:00Z');
const NO_SHOW = { strikeDays: 90, strikesForBan: 1, banDays: 30 };

/** Before the rotation: the test system runs with the old key only. */
let before: TestSystem;
/** During the rotation: same Redis, NIK_HASH_KEY = new, NIK_HASH_KEY_PREVIOUS = old. */
let during: TestSystem;
let duringDeps: Deps;

const nik = (serial: number) => exampleNik({ birthDate: '1988-05-20', sex: 'F', serial });
const oldHash = (serial: number) => nikHash(OLD_KEY, nik(serial));
const newHash = (serial: number) => nikHash(NEW_KEY, nik(serial));
const redis = () => before.redis.client;

/** KEYS on every master, so the file also runs on a cluster (TEST_CLUSTER=1). */
async function keysMatching(pattern: string): Promise<string[]> {
  const client = redis() as any;
  const nodes = typeof client.nodes === 'function' ? client.nodes('master') : [client];
  return (await Promise.all(nodes.map((n: any) => n.keys(pattern) as Promise<string[]>))).flat();
}

function addPerson(sys: TestSystem, h: Record<string, string>, serial: number) {
  return call(
    sys,
    'POST',
    '/api/me/persons',
    { nik: nik(serial), name: 'Dewi Lestari', birthDate: '1988-05-20' },
    h,
  );
}

async function join(sys: TestSystem, h: Record<string, string>, personId: string) {
  return call(
    sys,
    'POST',
    '/api/me/entries',
    { personId, officeId: 'medan', prefs: 'any', pow: await powFor(sys, 'entry') },
    h,
  );
}

let a: Record<string, string>;
let b: Record<string, string>;
let c: Record<string, string>;
let d: Record<string, string>;
let accountA: string;
let accountB: string;
let accountD: string;

// Account b is refused a NIK many times here; the daily budget of such answers is not what this file tests.
const RATE_LIMIT_MULTIPLIER = '100';

beforeAll(async () => {
  before = await startTestSystem({ NIK_HASH_KEY: OLD_KEY, APP_SECRET, RATE_LIMIT_MULTIPLIER });
  before.clock.now = MONDAY;
  await seedDemoOffices(before.redis.client, before.deps.offices);
  const config = loadConfig({
    LOG_LEVEL: 'debug',
    POW_COST: '0',
    NIK_HASH_KEY: NEW_KEY,
    NIK_HASH_KEY_PREVIOUS: OLD_KEY,
    APP_SECRET,
    DATA_DIR: before.redis.dir,
    RATE_LIMIT_MULTIPLIER,
  });
  const sink = new Writable({
    write(chunk, _enc, cb) {
      before.logLines.push(chunk.toString());
      cb();
    },
  });
  duringDeps = createDeps(config, before.redis.client, createLogger('debug', sink), () => before.clock.now);
  during = { ...before, deps: duringDeps, app: createApp(duringDeps) };
  a = await signInApplicant(before, 'rot-a@example.com', '10.9.0.1');
  b = await signInApplicant(before, 'rot-b@example.com', '10.9.0.2');
  c = await signInApplicant(before, 'rot-c@example.com', '10.9.0.3');
  d = await signInApplicant(before, 'rot-d@example.com', '10.9.0.4');
  accountA = (await before.deps.accounts.accountIdForContact('rot-a@example.com'))!;
  accountB = (await before.deps.accounts.accountIdForContact('rot-b@example.com'))!;
  accountD = (await before.deps.accounts.accountIdForContact('rot-d@example.com'))!;
});

afterAll(async () => {
  await duringDeps?.drawControl.close();
  await before.stop();
});

describe('configuration', () => {
  it('takes a previous key only next to a new, different one', () => {
    const base = { APP_SECRET, DATA_DIR: '/tmp' };
    expect(() => loadConfig({ ...base, NIK_HASH_KEY_PREVIOUS: OLD_KEY })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NIK_HASH_KEY: OLD_KEY, NIK_HASH_KEY_PREVIOUS: OLD_KEY })).toThrow(
      /must differ/,
    );
    expect(() => loadConfig({ ...base, NIK_HASH_KEY: NEW_KEY, NIK_HASH_KEY_PREVIOUS: 'short' })).toThrow(
      /NIK_HASH_KEY_PREVIOUS/,
    );
    expect(
      loadConfig({ ...base, NIK_HASH_KEY: NEW_KEY, NIK_HASH_KEY_PREVIOUS: OLD_KEY }).nikHashKeyPrevious,
    ).toBe(OLD_KEY);
    expect(loadConfig({ ...base, NIK_HASH_KEY: NEW_KEY }).nikHashKeyPrevious).toBeNull();
  });
});

describe('one NIK, one account', () => {
  it('a NIK registered under the old key is still taken by its account', async () => {
    expect((await addPerson(before, a, 1)).status).toBe(201);
    const second = await addPerson(during, b, 1);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('nik_taken');
    expect(await duringDeps.accounts.counters(accountB)).toMatchObject({ nikConflicts: 1 });
    // The refused account got no binding under the new key either.
    expect(await redis().hget(keys.nik(newHash(1)), 'accountId')).toBeNull();
  });

  it('a new NIK binds under the new key only, and then is taken there', async () => {
    const first = await addPerson(during, c, 2);
    expect(first.status).toBe(201);
    expect(await redis().hgetall(keys.nik(newHash(2)))).toMatchObject({ key: nikKeyId(NEW_KEY) });
    expect(await redis().exists(keys.nik(oldHash(2)))).toBe(0);
    expect((await addPerson(during, b, 2)).status).toBe(409);
  });

  it('racing registrations under both keys end with the old owner and nobody else', async () => {
    expect((await addPerson(before, a, 3)).status).toBe(201);
    const [owner, other, third] = await Promise.all([
      addPerson(during, a, 3),
      addPerson(during, b, 3),
      addPerson(during, c, 3),
    ]);
    expect(owner.status).toBe(200);
    expect(other.status).toBe(409);
    expect(third.status).toBe(409);
    expect(await redis().hget(keys.nik(newHash(3)), 'accountId')).toBe(accountA);
    expect((await addPerson(during, b, 3)).status).toBe(409);
  });
});

describe('moving a person to the new hash', () => {
  it('bans, penalty and strikes hold before, during and after the move, which leaves no old hash behind', async () => {
    const added = await addPerson(before, a, 4);
    const personId = added.body.person.id as string;
    await before.deps.appointments.strike(oldHash(4), 'NOSHOW4', NO_SHOW);

    // Before the NIK is entered again, the person still joins under the old hash: the ban applies.
    const banned = await join(during, a, personId);
    expect(banned.status).toBe(403);
    expect(banned.body.error.code).toBe('banned');

    const again = await addPerson(during, a, 4);
    expect(again.status).toBe(200);
    expect(again.body.person.id).toBe(personId);
    expect((await duringDeps.accounts.person(accountA, personId))!.nikHash).toBe(newHash(4));

    const moved = await redis().hgetall(keys.nik(newHash(4)));
    const old = await before.deps.accounts.person(accountA, personId); // same record, read by either
    expect(old!.nikHash).toBe(newHash(4));
    expect(moved).toMatchObject({ accountId: accountA, personId, key: nikKeyId(NEW_KEY) });
    expect(Number(moved.bannedUntil)).toBeGreaterThan(MONDAY.getTime());
    expect(Number(moved.penaltyUntil)).toBeGreaterThan(MONDAY.getTime());
    expect(await redis().zscore(keys.nikStrikes(newHash(4)), 'NOSHOW4')).not.toBeNull();
    expect(await redis().pttl(keys.nikStrikes(newHash(4)))).toBeGreaterThan(0);
    expect(await redis().hget(keys.penalties(), newHash(4))).toBe(moved.penaltyUntil);

    // Still banned after the move, and still taken.
    const stillBanned = await join(during, a, personId);
    expect(stillBanned.status).toBe(403);
    expect(stillBanned.body.error.code).toBe('banned');
    expect((await addPerson(during, b, 4)).status).toBe(409);

    // The old hash survives only in the fenced binding, which expires.
    expect(await redis().exists(keys.nikStrikes(oldHash(4)))).toBe(0);
    expect(await redis().hexists(keys.penalties(), oldHash(4))).toBe(0);
    const dump = await dumpRedis(redis());
    const oldKeys = (await keysMatching(`*${oldHash(4)}*`)).sort();
    expect(oldKeys).toEqual([keys.nik(oldHash(4))]);
    const ttl = await redis().pttl(keys.nik(oldHash(4)));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
    expect(dump.split(oldHash(4)).length - 1).toBe(1); // the key name itself, nowhere as a value
  });

  it('an active entry holds the move back; one active entry holds throughout; the move follows its end', async () => {
    const added = await addPerson(before, a, 5);
    const personId = added.body.person.id as string;
    const entered = await join(before, a, personId);
    expect(entered.status).toBe(201);

    const deferred = await addPerson(during, a, 5);
    expect(deferred.status).toBe(200);
    expect((await duringDeps.accounts.person(accountA, personId))!.nikHash).toBe(oldHash(5));
    const twice = await join(during, a, personId);
    expect(twice.status).toBe(409);
    expect(await redis().exists(keys.nik(newHash(5)))).toBe(0);

    const ticket = entered.body.entry.ticket as string;
    expect((await call(during, 'DELETE', `/api/me/entries/${ticket}`, undefined, a)).status).toBe(200);
    expect((await addPerson(during, a, 5)).status).toBe(200);
    expect((await duringDeps.accounts.person(accountA, personId))!.nikHash).toBe(newHash(5));
    const rejoined = await join(during, a, personId);
    expect(rejoined.status).toBe(201);
    expect(await duringDeps.entries.activeOf(newHash(5))).toContain(rejoined.body.entry.ticket);
    expect((await join(during, a, personId)).status).toBe(409);
  });

  it('a join that read the person record before the move meets the fence, not a second active slot', async () => {
    const added = await addPerson(before, a, 6);
    const personId = added.body.person.id as string;
    expect((await addPerson(during, a, 6)).status).toBe(200);
    const draw = { officeId: 'medan', drawDate: '2026-11-30', targetDate: '2026-12-02', prefs: null };
    const stale = await duringDeps.entries.join({
      accountId: accountA,
      personId,
      nikHash: oldHash(6),
      birthDate: '1980-01-01',
      category: null,
      ...draw,
    });
    expect(stale).toMatchObject({ ok: false, reason: 'active_elsewhere' });
    const current = await join(during, a, personId);
    expect(current.status).toBe(201);
  });

  it('a move cut off after its first step leaves the person working under the old hash, and finishes later', async () => {
    const added = await addPerson(before, c, 8);
    const personId = added.body.person.id as string;
    const accountC = (await before.deps.accounts.accountIdForContact('rot-c@example.com'))!;
    // Step 1 only, as if the process died right after it.
    await runScript(
      redis(),
      'nikMoveOut',
      [keys.nik(oldHash(8)), keys.nikStrikes(oldHash(8))],
      [accountC, 'moved|-|-', MONDAY.getTime()],
    );
    expect((await join(during, c, personId)).status).toBe(409); // fenced while a join could be in flight
    before.clock.now = new Date(MONDAY.getTime() + 2 * 60_000);
    try {
      const later = await join(during, c, personId); // the fence is a stale claim by now
      expect(later.status).toBe(201);
      expect((await duringDeps.accounts.person(accountC, personId))!.nikHash).toBe(oldHash(8));
      // Entering the NIK again now finds an active entry under the old hash: it waits for it to end.
      expect((await addPerson(during, c, 8)).status).toBe(200);
      expect((await duringDeps.accounts.person(accountC, personId))!.nikHash).toBe(oldHash(8));
      const ticket = later.body.entry.ticket as string;
      expect((await call(during, 'DELETE', `/api/me/entries/${ticket}`, undefined, c)).status).toBe(200);
      expect((await addPerson(during, c, 8)).status).toBe(200);
      expect((await duringDeps.accounts.person(accountC, personId))!.nikHash).toBe(newHash(8));
    } finally {
      before.clock.now = MONDAY;
    }
  });

  it('a no-show whose strike is not written yet holds the move back until it is', async () => {
    const added = await addPerson(before, d, 7);
    const personId = added.body.person.id as string;
    // The state between a no-show transition (which released the active slot) and its strike.
    await redis().hset(keys.accountAppointments(accountD), 'NOSHOW7', 'medan|2026-11-29');
    await redis().hset(keys.appointment('medan', 'NOSHOW7'), {
      code: 'NOSHOW7',
      nikHash: oldHash(7),
      personId,
      state: 'no_show',
    });
    expect((await addPerson(during, d, 7)).status).toBe(200);
    expect((await duringDeps.accounts.person(accountD, personId))!.nikHash).toBe(oldHash(7));

    await before.deps.appointments.strike(oldHash(7), 'NOSHOW7', NO_SHOW);
    expect((await addPerson(during, d, 7)).status).toBe(200);
    expect((await duringDeps.accounts.person(accountD, personId))!.nikHash).toBe(newHash(7));
    expect(await redis().zscore(keys.nikStrikes(newHash(7)), 'NOSHOW7')).not.toBeNull();
    expect(Number(await redis().hget(keys.nik(newHash(7)), 'bannedUntil'))).toBeGreaterThan(MONDAY.getTime());
  });

  it('a person registered before the rotation and never seen again is counted as not moved', async () => {
    // What the operator's report in docs/operations.md counts: bindings without the new key's id that
    // are not a moved person's expiring old binding.
    const notMoved: string[] = [];
    for (const k of await keysMatching('fs:{n:*}:nik')) {
      const [owner, key, movedAt] = await redis().hmget(k, 'accountId', 'key', 'movedAt');
      if (owner && key !== nikKeyId(NEW_KEY) && !movedAt) notMoved.push(k);
    }
    expect(notMoved).toEqual([keys.nik(oldHash(1))]);
  });
});

describe('secrets at rest', () => {
  it('no plaintext NIK in Redis or the log after the moves', async () => {
    const dump = await dumpRedis(redis());
    const logs = before.logLines.join('\n');
    for (let serial = 1; serial <= 8; serial++) {
      expect(dump.includes(nik(serial)), `NIK ${serial} in Redis`).toBe(false);
      expect(logs.includes(nik(serial)), `NIK ${serial} in the log`).toBe(false);
      expect(logs.includes(newHash(serial)), `hash ${serial} in the log`).toBe(false);
    }
  });
});
