// Staff sign-in under attack: guessing from one address locks that address out, not the user; failures
// from many addresses throttle the name (429 with Retry-After) rather than lock it; a browser that signed
// in as the user before is not throttled; and none of it tells an existing username from an unknown one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_DEVICE_COOKIE } from '../../src/api/staff/auth.ts';
import { LOGIN_LIMITS } from '../../src/store/users.ts';
import { dumpRedis } from '../support/scan.ts';
import { call, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the password at all';
let ipSeq = 0;
const freshIp = () => `198.51.100.${++ipSeq % 250}-${ipSeq}`;

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
});
afterAll(() => sys.stop());

function login(username: string, password: string, ip: string, cookie?: string) {
  return call(
    sys,
    'POST',
    '/api/staff/login',
    { username, password },
    {
      'x-test-ip': ip,
      ...(cookie ? { cookie } : {}),
    },
  );
}

/** The device cookie a successful sign-in sets, as a Cookie header value. */
function deviceCookie(res: { headers: Headers }): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${STAFF_DEVICE_COOKIE}=`));
  expect(set, 'device cookie').toBeDefined();
  expect(set).toMatch(/HttpOnly/i);
  expect(set).toMatch(/SameSite=Strict/i);
  expect(set).toMatch(/Path=\/api\/staff\/login/i);
  return set!.split(';')[0]!;
}

/** KEYS on every master, so the file also runs on a cluster (TEST_CLUSTER=1). */
async function keysMatching(pattern: string): Promise<string[]> {
  const client = sys.redis.client as any;
  const nodes = typeof client.nodes === 'function' ? client.nodes('master') : [client];
  return (await Promise.all(nodes.map((n: any) => n.keys(pattern) as Promise<string[]>))).flat();
}

/** Lets the throttle's one-attempt window pass without waiting for it. */
async function passThrottleWindow(): Promise<void> {
  const gates = await keysMatching('fs:loginfail:*:gate');
  for (const k of gates) await sys.redis.client.del(k);
}

describe('lockout per (username, address)', () => {
  it('locks the guessing address out after five failures; the user signs in from elsewhere', async () => {
    await sys.deps.users.create({ username: 'lk-admin', role: 'admin', officeId: null }, PASSWORD);
    const attacker = freshIp();
    const first = await login('lk-admin', WRONG, attacker);
    expect(first.status).toBe(401);
    for (let i = 1; i < LOGIN_LIMITS.sourceFailures; i++) await login('lk-admin', WRONG, attacker);
    const locked = await login('lk-admin', PASSWORD, attacker);
    expect(locked.status).toBe(401);
    expect(locked.body).toEqual(first.body);
    expect(locked.headers.get('set-cookie')).toBeNull();
    // Same for a name that does not exist: the same answers, in the same order.
    const ghostFirst = await login('lk-ghost', WRONG, attacker);
    expect(ghostFirst.body).toEqual(first.body);

    const real = await login('lk-admin', PASSWORD, freshIp());
    expect(real.status).toBe(200);
    expect(real.body.user.username).toBe('lk-admin');
  });

  it('a successful sign-in clears only that address’s count', async () => {
    await sys.deps.users.create({ username: 'lk-officer', role: 'officer', officeId: 'medan' }, PASSWORD);
    const ip = freshIp();
    for (let i = 1; i < LOGIN_LIMITS.sourceFailures; i++) await login('lk-officer', WRONG, ip);
    expect((await login('lk-officer', PASSWORD, ip)).status).toBe(200);
    // Four more failures would have locked it without the reset.
    for (let i = 1; i < LOGIN_LIMITS.sourceFailures; i++) await login('lk-officer', WRONG, ip);
    expect((await login('lk-officer', PASSWORD, ip)).status).toBe(200);
  });
});

describe('throttle per username across addresses', () => {
  let trusted: string;

  beforeAll(async () => {
    await sys.deps.users.create({ username: 'th-admin', role: 'admin', officeId: null }, PASSWORD);
    // The real admin signed in from this browser last week.
    trusted = deviceCookie(await login('th-admin', PASSWORD, freshIp()));
  });

  /** A spray from many addresses, each staying under its own lockout. */
  async function spray(username: string): Promise<Array<{ status: number; body: any }>> {
    const out: Array<{ status: number; body: any }> = [];
    for (let i = 0; i < LOGIN_LIMITS.userFailures; i++) out.push(await login(username, WRONG, freshIp()));
    return out;
  }

  it('throttles a sprayed name to one attempt per window, with 429 and Retry-After, existing or not', async () => {
    const real = await spray('th-admin');
    const ghost = await spray('th-ghost');
    expect(real.every((r) => r.status === 401)).toBe(true);
    expect(ghost.map((r) => r.status)).toEqual(real.map((r) => r.status));
    expect(ghost[0]!.body).toEqual(real[0]!.body);

    for (const name of ['th-admin', 'th-ghost']) {
      // The window's one attempt goes through to the password check (and fails)...
      const through = await login(name, WRONG, freshIp());
      expect(through.status, name).toBe(401);
      // ...the next ones, from anywhere, wait: not even the right password is checked.
      const held = await login(name, name === 'th-admin' ? PASSWORD : WRONG, freshIp());
      expect(held.status, name).toBe(429);
      expect(held.body.error.code).toBe('sign_in_throttled');
      const retry = Number(held.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(LOGIN_LIMITS.throttleSeconds);
      expect(held.headers.get('set-cookie')).toBeNull();
    }
    const a = await login('th-admin', WRONG, freshIp());
    const b = await login('th-ghost', WRONG, freshIp());
    expect(b.status).toBe(a.status);
    expect(b.body).toEqual(a.body);
  });

  it('the real user still gets in: at once from a trusted browser, or after the window from a new one', async () => {
    const fromTrusted = await login('th-admin', PASSWORD, freshIp(), trusted);
    expect(fromTrusted.status).toBe(200);
    // Another user's device cookie, or a forged one, is no pass.
    await sys.deps.users.create({ username: 'th-other', role: 'officer', officeId: 'medan' }, PASSWORD);
    const otherDevice = deviceCookie(await login('th-other', PASSWORD, freshIp()));
    expect((await login('th-admin', PASSWORD, freshIp(), otherDevice)).status).toBe(429);
    const [name, value] = trusted.split('=');
    const forged = `${name}=${value!.slice(0, -2)}xx`;
    expect((await login('th-admin', PASSWORD, freshIp(), forged)).status).toBe(429);

    await passThrottleWindow();
    const fresh = await login('th-admin', PASSWORD, freshIp());
    expect(fresh.status).toBe(200);
  });

  it('a trusted browser still meets the per-address lockout', async () => {
    const ip = freshIp();
    for (let i = 0; i < LOGIN_LIMITS.sourceFailures; i++) {
      expect((await login('th-admin', WRONG, ip, trusted)).status).toBe(401);
    }
    expect((await login('th-admin', PASSWORD, ip, trusted)).status).toBe(401);
  });
});

describe('what the counters store', () => {
  it('keeps no typed username (or password typed into it) and no client address in its keys', async () => {
    const typed = 'correct-horse-typed-into-username';
    const ip = '203.0.113.77';
    await login(typed, WRONG, ip);
    const dump = await dumpRedis(sys.redis.client);
    expect(dump.includes(typed)).toBe(false);
    expect(dump.includes('th-ghost')).toBe(false);
    const failureKeys = await keysMatching('fs:loginfail:*');
    expect(failureKeys.length).toBeGreaterThan(0);
    expect(failureKeys.join('\n').includes(ip)).toBe(false);
    for (const k of failureKeys) expect(await sys.redis.client.ttl(k), k).toBeGreaterThan(0);
  });
});
