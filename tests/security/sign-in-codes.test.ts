// Sign-in codes under attack, through HTTP: an honest user is not locked out by clicking "resend" or by
// someone else's wrong codes, guessing stays bounded, and the answer to a wrong code says nothing about
// whether the contact has a code outstanding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTP } from '../../src/store/accounts/index.ts';
import { call, outbox, powFor, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const START = new Date('2026-11-30T01:00:00Z');
const at = (ms: number) => {
  sys.clock.now = new Date(START.getTime() + ms);
};

beforeAll(async () => {
  sys = await startTestSystem({ RATE_LIMIT_MULTIPLIER: '1' });
  at(0);
});
afterAll(() => sys.stop());

// Each test its own address: the per-address limits are not what these tests are about.
let ipSeq = 0;
const ask = async (contact: string, ip: string) =>
  call(sys, 'POST', '/api/auth/code', { contact, pow: await powFor(sys, 'code') }, { 'x-test-ip': ip });
const verify = (contact: string, code: string, ip: string) =>
  call(sys, 'POST', '/api/auth/verify', { contact, code }, { 'x-test-ip': ip });
const lastCode = (contact: string) =>
  /(\d{6})/.exec(
    outbox(sys)
      .filter((m) => m.to === contact)
      .at(-1)!.text,
  )![1]!;
const notThe = (code: string) => (code === '111111' ? '222222' : '111111');

describe('asking for codes', () => {
  it('refused resends do not count: five early clicks, then every code of the hour still comes', async () => {
    const contact = 'resend@example.com';
    const ip = `10.20.0.${++ipSeq}`;
    at(0);
    expect((await ask(contact, ip)).status).toBe(202);
    for (let i = 0; i < 5; i++) {
      const early = await ask(contact, ip);
      expect(early.status).toBe(429);
      expect(early.body.error.code).toBe('resend_too_soon');
      expect(Number(early.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // The page says "wait 60 s": after each wait a code comes, up to the hour's five.
    for (let k = 1; k < OTP.perWindow; k++) {
      at(k * 61_000);
      expect((await ask(contact, ip)).status, `code ${k + 1}`).toBe(202);
    }
    at(OTP.perWindow * 61_000);
    const sixth = await ask(contact, ip);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('rate_limited');
    // The window rolls from the first code: a new one is due an hour after it, not an hour after now.
    expect(Number(sixth.headers.get('retry-after'))).toBe(3600 - OTP.perWindow * 61);
    at(3600_000 + 1);
    expect((await ask(contact, ip)).status).toBe(202);
  });

  it("someone else's wrong codes burn the code but never stop its owner asking for a new one", async () => {
    const contact = 'victim@example.com';
    at(2 * 3600_000);
    expect((await ask(contact, `10.20.1.${++ipSeq}`)).status).toBe(202);
    const first = lastCode(contact);
    // The attacker, from anywhere, sends five wrong codes.
    for (let i = 0; i < OTP.maxTries; i++) {
      const r = await verify(contact, notThe(first), `10.20.2.${i}`);
      expect(r.body.error).toMatchObject({ code: 'invalid_code', triesLeft: OTP.maxTries - 1 - i });
    }
    expect((await verify(contact, first, '10.20.3.1')).body.error).toMatchObject({
      code: 'invalid_code',
      triesLeft: 0,
    });
    // The owner asks again after the resend wait and signs in; no 423, no 15-minute lock.
    at(2 * 3600_000 + OTP.resendMs);
    const again = await ask(contact, '10.20.3.1');
    expect(again.status).toBe(202);
    const ok = await verify(contact, lastCode(contact), '10.20.3.1');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/^fs_app=/);
  });

  it('guessing stays bounded: at most maxTries guesses per code and perWindow codes an hour', async () => {
    const contact = 'target@example.com';
    const base = 4 * 3600_000;
    let judged = 0;
    let codes = 0;
    for (let minute = 0; minute < 59; minute++) {
      at(base + minute * 61_000);
      const asked = await ask(contact, `10.20.4.${minute}`);
      if (asked.status !== 202) continue;
      codes++;
      const real = lastCode(contact);
      // Every guess that still had a live code to be judged against is one the attacker got.
      for (let i = 0; i < OTP.maxTries + 3; i++) {
        const r = await verify(contact, notThe(real), `10.20.5.${minute}`);
        if (r.body.error.triesLeft > 0 || i === OTP.maxTries - 1) judged++;
      }
      // Once burned, even the right code fails.
      expect((await verify(contact, real, '10.20.6.1')).status).toBe(400);
    }
    expect(codes).toBe(OTP.perWindow);
    expect(judged).toBe(OTP.perWindow * OTP.maxTries);
  });
});

describe('the answer to a wrong code', () => {
  it('is the same whether or not the contact has a code outstanding', async () => {
    at(6 * 3600_000);
    const withCode = 'has-code@example.com';
    const without = 'no-code@example.com';
    expect((await ask(withCode, '10.20.7.1')).status).toBe(202);
    const wrong = notThe(lastCode(withCode));
    for (let i = 0; i < OTP.maxTries + 2; i++) {
      const a = await verify(withCode, wrong, '10.20.7.2');
      const b = await verify(without, wrong, '10.20.7.3');
      expect([a.status, b.status]).toEqual([400, 400]);
      expect(typeof a.body.error.triesLeft).toBe('number');
      expect(b.body).toEqual(a.body);
    }
  });
});
