// A join's session, CSRF, account, hourly limit and person are checked by one script (join-gate.lua), not
// by the applicant middleware. It must answer exactly as the middleware does (401, 403, then 429) and must
// count a request against the account's limit only once the session, the token and the account passed.
// Runs on a single Redis and on a cluster (TEST_CLUSTER=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT_COOKIE } from '../../src/api/middleware/applicant-auth.ts';
import { exampleNik } from '../../src/domain/nik.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { call, powFor, signInApplicant, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const MONDAY_MORNING = new Date('2026-11-30T01:00:00Z');
const JOIN_LIMIT = 30;

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = MONDAY_MORNING;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
}, 60_000);
afterAll(async () => {
  await sys?.stop();
});

type Headers = Record<string, string>;
const sidOf = (h: Headers) => h.cookie!.slice(APPLICANT_COOKIE.length + 1);
const accountOf = (h: Headers) => sidOf(h).split('.')[0]!;
const withSid = (h: Headers, sid: string) => ({ ...h, cookie: `${APPLICANT_COOKIE}=${sid}` });
let serial = 100;

async function applicantWithPerson(contact: string): Promise<{ h: Headers; personId: string }> {
  const h = await signInApplicant(sys, contact);
  const res = await call(
    sys,
    'POST',
    '/api/me/persons',
    {
      nik: exampleNik({ birthDate: '1991-04-20', sex: 'F', serial: serial++ }),
      name: 'Siti Aminah',
      birthDate: '1991-04-20',
    },
    h,
  );
  if (res.status !== 201) throw new Error(`person: ${JSON.stringify(res.body)}`);
  return { h, personId: res.body.person.id };
}

const join = async (h: Headers, personId: string) =>
  call(
    sys,
    'POST',
    '/api/me/entries',
    { personId, officeId: 'jakarta-selatan', prefs: 'any', pow: await powFor(sys, 'entry') },
    h,
  );

/** The account's join counter of this hour (null when nothing was counted). */
async function joinsCounted(accountId: string): Promise<number | null> {
  const window = Math.floor(MONDAY_MORNING.getTime() / 1000 / 3600);
  const v = await sys.redis.client.get(keys.accountRateLimit(accountId, 'join-acct', window));
  return v === null ? null : Number(v);
}

const codeOf = (res: { body: unknown }) => (res.body as { error?: { code: string } }).error?.code;

describe('the join gate', () => {
  it('admits a signed-in applicant and counts the join once', async () => {
    const { h, personId } = await applicantWithPerson('081200000201');
    const res = await join(h, personId);
    expect(res.status).toBe(201);
    expect(await joinsCounted(accountOf(h))).toBe(1);
  });

  it('answers 401 for another account id with a real token, made-up tokens and malformed cookies', async () => {
    const a = await applicantWithPerson('081200000202');
    const b = await applicantWithPerson('081200000203');
    const [, tokenA] = sidOf(a.h).split('.') as [string, string];
    for (const sid of [
      `${accountOf(b.h)}.${tokenA}`,
      `${accountOf(b.h)}.${'A'.repeat(43)}`,
      `${accountOf(b.h)}.`,
      `../${accountOf(b.h)}.${tokenA}`,
      'x'.repeat(2000),
    ]) {
      const res = await join(withSid(a.h, sid), b.personId);
      expect(res.status, sid.slice(0, 60)).toBe(401);
      expect(codeOf(res)).toBe('unauthenticated');
    }
    const { cookie: _, ...noCookie } = a.h;
    expect((await join(noCookie, a.personId)).status).toBe(401);
    expect(await joinsCounted(accountOf(a.h))).toBeNull();
    expect(await joinsCounted(accountOf(b.h))).toBeNull();
    expect(await sys.deps.entries.forAccount(accountOf(b.h))).toEqual([]);
  });

  it('answers 403 to a wrong CSRF token and does not count it: the limit stays the applicant’s own', async () => {
    const { h, personId } = await applicantWithPerson('081200000204');
    for (let i = 0; i < JOIN_LIMIT + 2; i++) {
      const res = await call(
        sys,
        'POST',
        '/api/me/entries',
        { personId, officeId: 'jakarta-selatan', prefs: 'any' },
        {
          ...h,
          'x-csrf-token': i % 2 ? 'wrong' : '',
        },
      );
      expect(res.status).toBe(403);
      expect(codeOf(res)).toBe('csrf_failed');
    }
    expect(await joinsCounted(accountOf(h))).toBeNull();
    expect((await join(h, personId)).status).toBe(201);
  });

  it('answers 401 once the account is gone and 403 once it is blocked, counting neither', async () => {
    const gone = await applicantWithPerson('081200000205');
    await sys.redis.client.del(keys.account(accountOf(gone.h)));
    const r1 = await join(gone.h, gone.personId);
    expect([r1.status, codeOf(r1)]).toEqual([401, 'unauthenticated']);

    const blocked = await applicantWithPerson('081200000206');
    await sys.redis.client.hset(keys.account(accountOf(blocked.h)), 'blocked', '1');
    const r2 = await join(blocked.h, blocked.personId);
    expect([r2.status, codeOf(r2)]).toEqual([403, 'account_blocked']);
    expect(await joinsCounted(accountOf(gone.h))).toBeNull();
    expect(await joinsCounted(accountOf(blocked.h))).toBeNull();
  });

  it('answers 429 past the limit, before looking at the body, and 404 for a person of another account', async () => {
    const a = await applicantWithPerson('081200000207');
    const b = await applicantWithPerson('081200000208');
    const other = await join(a.h, b.personId);
    expect([other.status, codeOf(other)]).toEqual([404, 'not_found']);
    for (let i = 1; i < JOIN_LIMIT; i++) {
      const bad = await call(sys, 'POST', '/api/me/entries', { personId: a.personId, officeId: '' }, a.h);
      expect(bad.status).toBe(400);
    }
    expect(await joinsCounted(accountOf(a.h))).toBe(JOIN_LIMIT);
    const over = await join(a.h, a.personId);
    expect([over.status, codeOf(over)]).toEqual([429, 'rate_limited']);
    expect(await sys.deps.entries.forAccount(accountOf(a.h))).toEqual([]);
  });

  it('refuses a wrong CSRF token with a valid proof of work, writing nothing: the proof stays usable', async () => {
    const { h, personId } = await applicantWithPerson('081200000210');
    const pow = await powFor(sys, 'entry');
    const body = { personId, officeId: 'jakarta-selatan', prefs: 'any', pow };
    const wrong = await call(sys, 'POST', '/api/me/entries', body, { ...h, 'x-csrf-token': 'wrong' });
    expect([wrong.status, codeOf(wrong)]).toEqual([403, 'csrf_failed']);
    expect(await joinsCounted(accountOf(h))).toBeNull();
    expect(await sys.deps.entries.forAccount(accountOf(h))).toEqual([]);
    const right = await call(sys, 'POST', '/api/me/entries', body, h);
    expect(right.status).toBe(201);
    const again = await call(sys, 'POST', '/api/me/entries', body, h);
    expect([again.status, codeOf(again)]).toEqual([403, 'pow_reused']);
  });

  it('refuses a cookie that does not name its account, counting nothing', async () => {
    const { h, personId } = await applicantWithPerson('081200000209');
    const res = await join({ ...withSid(h, 'M'.repeat(43)) }, personId);
    expect([res.status, codeOf(res)]).toEqual([401, 'unauthenticated']);
    expect(await joinsCounted(accountOf(h))).toBeNull();
  });
});
