// "This NIK is registered to another account" through HTTP: the honest applicant still hears it, but each
// account and each address hears it only a few times a day, and after that every registration is refused
// the same way whether the NIK is taken or not, before any NIK is looked up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NIK_TAKEN_LIMITS } from '../../src/api/applicant/persons.ts';
import { exampleNik } from '../../src/domain/nik.ts';
import { call, signInApplicant, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let owner: Record<string, string>;
const taken: { nik: string; birthDate: string }[] = [];
let serial = 100;

const person = (nik: string, birthDate: string) => ({ nik, name: 'Dewi Lestari', birthDate });
const fresh = () => {
  const birthDate = '1988-08-08';
  return { nik: exampleNik({ birthDate, sex: 'F', serial: ++serial }), birthDate };
};

beforeAll(async () => {
  sys = await startTestSystem({ RATE_LIMIT_MULTIPLIER: '1' });
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  owner = await signInApplicant(sys, 'owner@example.com', '10.30.0.1');
  // The owner's household: NIKs a broker would like to find out about.
  for (let i = 0; i < 5; i++) {
    const p = fresh();
    const r = await call(sys, 'POST', '/api/me/persons', person(p.nik, p.birthDate), owner);
    expect(r.status).toBe(201);
    taken.push(p);
  }
});
afterAll(() => sys.stop());

describe('nik_taken', () => {
  it('is answered a few times per account a day, then nothing is looked up', async () => {
    const prober = await signInApplicant(sys, 'prober@example.com', '10.30.1.1');
    const add = (p: { nik: string; birthDate: string }) =>
      call(sys, 'POST', '/api/me/persons', person(p.nik, p.birthDate), prober);
    for (let i = 0; i < NIK_TAKEN_LIMITS.account.limit; i++) {
      const r = await add(taken[i]!);
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('nik_taken');
    }
    // Spent: a taken NIK and a free one get the same answer, and the free one is not registered.
    const onTaken = await add(taken[4]!);
    const free = fresh();
    const onFree = await add(free);
    expect([onTaken.status, onFree.status]).toEqual([429, 429]);
    expect(onFree.body).toEqual(onTaken.body);
    expect(onTaken.body.error.code).toBe('nik_checks_used');
    expect(Number(onTaken.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(sys, 'GET', '/api/me/persons', undefined, prober)).body.persons).toEqual([]);
    // A day later the budget is back.
    sys.clock.now = new Date('2026-12-01T01:00:00Z');
    expect((await add(free)).status).toBe(201);
    sys.clock.now = new Date('2026-11-30T01:00:00Z');
  });

  it('is answered a few times per address a day, across accounts', async () => {
    const ip = '10.30.2.1';
    let answered = 0;
    for (let a = 0; a < 6; a++) {
      const h = await signInApplicant(sys, `farm${a}@example.com`, ip);
      for (let i = 0; i < NIK_TAKEN_LIMITS.account.limit; i++) {
        const r = await call(sys, 'POST', '/api/me/persons', person(taken[i]!.nik, taken[i]!.birthDate), h);
        if (r.status === 409) answered++;
        else expect(r.body.error.code).toBe('nik_checks_used');
      }
    }
    expect(answered).toBe(NIK_TAKEN_LIMITS.ip.limit);
    // Another address is unaffected, and the NIK's owner registers as usual.
    const elsewhere = await signInApplicant(sys, 'elsewhere@example.com', '10.30.3.1');
    const r = await call(
      sys,
      'POST',
      '/api/me/persons',
      person(taken[0]!.nik, taken[0]!.birthDate),
      elsewhere,
    );
    expect(r.status).toBe(409);
    const own = await call(sys, 'POST', '/api/me/persons', person(taken[0]!.nik, taken[0]!.birthDate), owner);
    expect(own.status).toBe(200);
  });
});
