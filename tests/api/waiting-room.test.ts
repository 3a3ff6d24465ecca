import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { dumpRedis } from '../support/scan.ts';
import {
  call,
  outbox,
  powFor,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

let sys: TestSystem;
const MONDAY_MORNING = new Date('2026-11-30T01:00:00Z');

const nik = (serial: number, birthDate = '1990-03-15') => exampleNik({ birthDate, sex: 'M', serial });

async function addPerson(h: Record<string, string>, serial: number, extra: Record<string, unknown> = {}) {
  return call(
    sys,
    'POST',
    '/api/me/persons',
    { nik: nik(serial), name: 'Budi Santoso', birthDate: '1990-03-15', ...extra },
    h,
  );
}

async function join(
  h: Record<string, string>,
  personId: string,
  officeId = 'jakarta-selatan',
  prefs: unknown = 'any',
) {
  return call(
    sys,
    'POST',
    '/api/me/entries',
    { personId, officeId, prefs, pow: await powFor(sys, 'entry') },
    h,
  );
}

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = MONDAY_MORNING;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
});
afterAll(() => sys.stop());

describe('the applicant path', () => {
  it('code → outbox → verify → person → join → status → withdraw', async () => {
    const h = await signInApplicant(sys, '0812-3456-7890');
    const me = await call(sys, 'GET', '/api/me', undefined, h);
    expect(me.status).toBe(200);
    expect(me.body.account.contact).toBe('+62812****7890');

    const p = await addPerson(h, 1);
    expect(p.status).toBe(201);
    expect(p.body.person).toMatchObject({ name: 'Budi Santoso', nikMasked: '3174********0001' });
    expect(JSON.stringify(p.body)).not.toContain(nik(1));

    const j = await join(h, p.body.person.id, 'jakarta-selatan', ['pagi-2', 'siang-1']);
    expect(j.status).toBe(201);
    expect(j.body.entry).toMatchObject({
      officeId: 'jakarta-selatan',
      drawDate: '2026-11-30',
      targetDate: '2026-12-02',
      status: 'pending',
      zoneLabel: 'WIB',
      prefs: ['pagi-2', 'siang-1'],
    });
    expect(j.body.entry.ticket).toMatch(/^[A-Z0-9]{12}$/);
    expect(j.body.entryCount).toBe(1);
    expect(j.body.quota).toBe(200);

    const list = await call(sys, 'GET', '/api/me/entries', undefined, h);
    expect(list.body.entries).toHaveLength(1);
    expect(list.body.entries[0].status).toBe('pending');

    const w = await call(sys, 'DELETE', `/api/me/entries/${j.body.entry.ticket}`, undefined, h);
    expect(w.status).toBe(200);
    const after = await call(sys, 'GET', '/api/me/entries', undefined, h);
    expect(after.body.entries[0].status).toBe('withdrawn');
    expect(await sys.deps.entries.count('jakarta-selatan', '2026-11-30')).toBe(0);
    // withdrawn frees the person to enter again
    expect((await join(h, p.body.person.id)).status).toBe(201);
  });

  it('asking for a code looks the same whether or not the account exists', async () => {
    await signInApplicant(sys, 'siti@example.com');
    const known = await call(sys, 'POST', '/api/auth/code', {
      contact: 'new.person@example.com',
      pow: await powFor(sys, 'code'),
    });
    sys.clock.now = new Date(MONDAY_MORNING.getTime() + 61_000);
    const again = await call(sys, 'POST', '/api/auth/code', {
      contact: 'siti@example.com',
      pow: await powFor(sys, 'code'),
    });
    sys.clock.now = MONDAY_MORNING;
    expect(known.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(known.body);
  });

  it('an entry after the close belongs to the next draw', async () => {
    const h = await signInApplicant(sys, '081299990001');
    const p = await addPerson(h, 2);
    sys.clock.now = new Date('2026-11-30T12:00:00Z'); // 19:00 WIB exactly: closed
    const j = await join(h, p.body.person.id);
    sys.clock.now = MONDAY_MORNING;
    expect(j.status).toBe(201);
    expect(j.body.entry.drawDate).toBe('2026-12-01');
    expect(j.body.entry.targetDate).toBe('2026-12-03');
  });
});

describe('concurrency and hoarding', () => {
  it('500 concurrent joins for the same person make exactly one entry', async () => {
    const h = await signInApplicant(sys, '081211112222');
    const p = await addPerson(h, 3);
    const pows = await Promise.all(Array.from({ length: 500 }, () => powFor(sys, 'entry')));
    const results = await Promise.all(
      pows.map((pow) =>
        call(
          sys,
          'POST',
          '/api/me/entries',
          { personId: p.body.person.id, officeId: 'medan', prefs: 'any', pow },
          h,
        ),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 409 || s === 429)).toBe(true);
    expect(await sys.deps.entries.count('medan', '2026-11-30')).toBe(1);
  });

  it('one account adding 200 persons concurrently gets exactly householdLimit, and is flagged', async () => {
    const h = await signInApplicant(sys, 'broker1@example.com');
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => addPerson(h, 1000 + i)));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(5);
    expect(results.every((r) => r.status === 201 || r.status === 422 || r.status === 429)).toBe(true);
    const accountId = await sys.deps.accounts.accountIdForContact('broker1@example.com');
    const { flags } = await sys.deps.flags.list();
    expect(flags.some((f) => f.accountId === accountId && f.reason === 'household_limit')).toBe(true);
  });

  it('a NIK claimed by a second account is a 409, recorded for review', async () => {
    const a = await signInApplicant(sys, 'first@example.com');
    const b = await signInApplicant(sys, 'second@example.com');
    expect((await addPerson(a, 4242)).status).toBe(201);
    const res = await addPerson(b, 4242);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('nik_taken');
    const bId = await sys.deps.accounts.accountIdForContact('second@example.com');
    expect(
      (await sys.deps.flags.list()).flags.some((f) => f.accountId === bId && f.reason === 'nik_conflict'),
    ).toBe(true);
  });

  it("the seed's case: 4,600 applications from one account end in ≤ householdLimit entries, flagged, blockable", async () => {
    const h = await signInApplicant(sys, 'calo@example.com', '10.9.9.9');
    const admin = await signInStaff(sys, { username: 'admin-wr', role: 'admin' });
    const statuses: number[] = [];
    const personIds: string[] = [];
    for (let batch = 0; batch < 46; batch++) {
      const res = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const serial = 2000 + batch * 100 + i;
          const p = await addPerson(h, serial);
          statuses.push(p.status);
          if (p.status === 201) personIds.push(p.body.person.id);
          return p;
        }),
      );
      expect(res.length).toBe(100);
    }
    for (const id of personIds) statuses.push((await join(h, id, 'surabaya')).status);
    expect(statuses.filter((s) => s >= 500)).toHaveLength(0);
    expect(personIds.length).toBeLessThanOrEqual(5);
    const accountId = (await sys.deps.accounts.accountIdForContact('calo@example.com'))!;
    const before = await sys.deps.entries.forAccount(accountId);
    expect(before.filter((e) => e.status === 'pending').length).toBeLessThanOrEqual(5);
    expect((await sys.deps.flags.list(500)).flags.some((f) => f.accountId === accountId)).toBe(true);

    const blocked = await call(
      sys,
      'POST',
      `/api/admin/accounts/${accountId}/block`,
      { reason: 'broker' },
      admin,
    );
    expect(blocked.status).toBe(200);
    expect(blocked.body.voided).toBe(before.length);
    expect(await sys.deps.entries.count('surabaya', '2026-11-30')).toBe(0);
    const entries = await sys.deps.entries.forAccount(accountId);
    expect(entries.every((e) => e.status === 'void')).toBe(true);
    // blocked: the session no longer works, and a new sign-in is refused
    expect((await call(sys, 'GET', '/api/me', undefined, h)).status).toBe(403);
    await expect(signInApplicant(sys, 'calo@example.com', '10.9.9.8')).rejects.toThrow(/verify failed/);
    // unblock restores sign-in but not voided entries
    expect((await call(sys, 'POST', `/api/admin/accounts/${accountId}/unblock`, {}, admin)).status).toBe(200);
    sys.clock.now = new Date(MONDAY_MORNING.getTime() + 3600_000);
    const h2 = await signInApplicant(sys, 'calo@example.com', '10.9.9.7');
    sys.clock.now = MONDAY_MORNING;
    const list = await call(sys, 'GET', '/api/me/entries', undefined, h2);
    expect(list.body.entries.every((e: any) => e.status === 'void')).toBe(true);
  });

  it('one IP behind many accounts in a day is flagged', async () => {
    for (let i = 0; i < 12; i++) await signInApplicant(sys, `farm${i}@example.com`, '10.7.7.7');
    const { flags } = await sys.deps.flags.list(500);
    expect(flags.some((f) => f.reason === 'ip_many_accounts')).toBe(true);
  });
});

describe('bad input changes nothing', () => {
  let h: Record<string, string>;
  beforeAll(async () => {
    h = await signInApplicant(sys, 'careful@example.com');
  });

  it('invalid NIKs are 400 with the field', async () => {
    const cases = [
      { nik: '123', birthDate: '1990-03-15', code: 'nik_format' },
      { nik: '9974011503900001', birthDate: '1990-03-15', code: 'nik_province' },
      { nik: nik(7), birthDate: '1991-03-15', code: 'nik_birth_date' },
    ];
    for (const c of cases) {
      const res = await call(
        sys,
        'POST',
        '/api/me/persons',
        { nik: c.nik, name: 'Ani', birthDate: c.birthDate },
        h,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(c.code);
      expect(res.body.error.fields[0].path).toMatch(/nik|birthDate/);
    }
    const me = await call(sys, 'GET', '/api/me/persons', undefined, h);
    expect(me.body.persons).toHaveLength(0);
  });

  it('wrong types, unknown office, oversized bodies, missing CSRF', async () => {
    const p = await addPerson(h, 31);
    const personId = p.body.person.id;
    const bad = [
      await call(
        sys,
        'POST',
        '/api/me/entries',
        { personId, officeId: 'atlantis', prefs: 'any', pow: await powFor(sys, 'entry') },
        h,
      ),
      await call(sys, 'POST', '/api/me/entries', { personId: 5, officeId: [], prefs: {} }, h),
      await call(
        sys,
        'POST',
        '/api/me/entries',
        { personId, officeId: 'medan', prefs: ['nope'], pow: await powFor(sys, 'entry') },
        h,
      ),
      await call(
        sys,
        'POST',
        '/api/me/entries',
        { personId, officeId: 'medan', prefs: 'any', pad: 'x'.repeat(100_000) },
        h,
      ),
      await call(
        sys,
        'POST',
        '/api/me/entries',
        { personId, officeId: 'medan', prefs: 'any' },
        { cookie: h.cookie! },
      ),
      await call(sys, 'POST', '/api/me/entries', '{"personId":', h),
    ];
    expect(bad.map((r) => r.status)).toEqual([404, 400, 400, 413, 403, 400]);
    for (const r of bad) expect(r.body.error.code).toEqual(expect.any(String));
    expect(
      await sys.deps.entries.forAccount(
        (await sys.deps.accounts.accountIdForContact('careful@example.com'))!,
      ),
    ).toHaveLength(0);
  });

  it('missing, reused and wrong-purpose proof-of-work', async () => {
    const p = await call(sys, 'GET', '/api/me/persons', undefined, h);
    const personId = p.body.persons[0].id;
    const body = { personId, officeId: 'makassar', prefs: 'any' };
    expect((await call(sys, 'POST', '/api/me/entries', body, h)).body.error.code).toBe('pow_required');
    const wrong = await call(sys, 'POST', '/api/me/entries', { ...body, pow: await powFor(sys, 'code') }, h);
    expect(wrong.status).toBe(403);
    const pow = await powFor(sys, 'entry');
    expect((await call(sys, 'POST', '/api/me/entries', { ...body, pow }, h)).status).toBe(201);
    await call(
      sys,
      'DELETE',
      `/api/me/entries/${(await call(sys, 'GET', '/api/me/entries', undefined, h)).body.entries[0].ticket}`,
      undefined,
      h,
    );
    const reused = await call(sys, 'POST', '/api/me/entries', { ...body, pow }, h);
    expect(reused.status).toBe(403);
    expect(reused.body.error.code).toBe('pow_reused');
  });

  it('wrong, expired and burned codes', async () => {
    const contact = 'codes@example.com';
    await call(sys, 'POST', '/api/auth/code', { contact, pow: await powFor(sys, 'code') });
    const wrong = await call(sys, 'POST', '/api/auth/verify', { contact, code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('invalid_code');
    // expired after 5 minutes
    const real = /(\d{6})/.exec(
      outbox(sys)
        .filter((m) => m.to === contact)
        .at(-1)!.text,
    )![1];
    sys.clock.now = new Date(MONDAY_MORNING.getTime() + 5 * 60_000 + 1);
    const expired = await call(sys, 'POST', '/api/auth/verify', { contact, code: real });
    expect(expired.status).toBe(400);
    // resend too soon
    sys.clock.now = new Date(MONDAY_MORNING.getTime() + 6 * 60_000);
    expect(
      (await call(sys, 'POST', '/api/auth/code', { contact, pow: await powFor(sys, 'code') })).status,
    ).toBe(202);
    const soon = await call(sys, 'POST', '/api/auth/code', { contact, pow: await powFor(sys, 'code') });
    expect(soon.status).toBe(429);
    expect(soon.headers.get('retry-after')).toBeTruthy();
    // five wrong tries burn the code, even against the right code; a new code is not locked out
    const fresh = /(\d{6})/.exec(
      outbox(sys)
        .filter((m) => m.to === contact)
        .at(-1)!.text,
    )![1]!;
    const wrongCode = fresh === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++) await call(sys, 'POST', '/api/auth/verify', { contact, code: wrongCode });
    const burned = await call(sys, 'POST', '/api/auth/verify', { contact, code: fresh });
    expect([burned.status, burned.body.error.code, burned.body.error.triesLeft]).toEqual([
      400,
      'invalid_code',
      0,
    ]);
    expect((await sys.deps.flags.list(500)).flags.some((f) => f.reason === 'failed_codes')).toBe(true);
    sys.clock.now = new Date(MONDAY_MORNING.getTime() + 7 * 60_000);
    expect(
      (await call(sys, 'POST', '/api/auth/code', { contact, pow: await powFor(sys, 'code') })).status,
    ).toBe(202);
    sys.clock.now = MONDAY_MORNING;
    expect((await call(sys, 'POST', '/api/auth/verify', { contact, code: 'abc' })).status).toBe(400);
    expect((await call(sys, 'POST', '/api/auth/code', { contact: 'not a contact', pow: 'x' })).status).toBe(
      400,
    );
  });

  it('a banned person is refused with the end date', async () => {
    const p = await addPerson(h, 77);
    const person = await sys.deps.accounts.person(
      (await sys.deps.accounts.accountIdForContact('careful@example.com'))!,
      p.body.person.id,
    );
    const until = Date.parse('2026-12-30T00:00:00Z');
    await sys.redis.client.hset(keys.nik(person!.nikHash), 'bannedUntil', String(until));
    const res = await join(h, p.body.person.id, 'ambon');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'banned', bannedUntil: '2026-12-30T00:00:00.000Z' });
  });
});

describe('personal data', () => {
  it('no plaintext NIK anywhere in Redis or the logs', async () => {
    const dump = await dumpRedis(sys.redis.client);
    const logs = sys.logLines.join('\n');
    for (const serial of [1, 2, 3, 4242, 1000, 1004, 2000, 31, 77]) {
      expect(dump).not.toContain(nik(serial));
      expect(logs).not.toContain(nik(serial));
    }
    // and no sign-in code in Redis either
    for (const m of outbox(sys).slice(-20)) {
      const code = /(\d{6})/.exec(m.text)?.[1];
      if (code) expect(dump).not.toMatch(new RegExp(`"${code}"`));
    }
  });
});

describe('housekeeping', () => {
  it('purges accounts that never verified within 24 h', async () => {
    await call(sys, 'POST', '/api/auth/code', {
      contact: 'ghost@example.com',
      pow: await powFor(sys, 'code'),
    });
    expect(await sys.deps.accounts.accountIdForContact('ghost@example.com')).not.toBeNull();
    sys.clock.now = new Date(MONDAY_MORNING.getTime() + 25 * 3600_000);
    const purged = await sys.deps.accounts.purgeUnverified(24 * 3600_000);
    sys.clock.now = MONDAY_MORNING;
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await sys.deps.accounts.accountIdForContact('ghost@example.com')).toBeNull();
    // verified accounts stay
    expect(await sys.deps.accounts.accountIdForContact('careful@example.com')).not.toBeNull();
  });
});
