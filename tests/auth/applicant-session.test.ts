// Applicant sessions live under the account's hash tag and are read with the account in one script. The
// cookie now names the account, so it must grant nothing by itself: another account's id with a real token,
// a made-up token, a deleted account all answer 401. Sessions issued before the move keep working until
// they expire, and signing out ends them. Runs on a single Redis and on a cluster (TEST_CLUSTER=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT_COOKIE } from '../../src/api/middleware/applicant-auth.ts';
import { tokenHash } from '../../src/auth/tokens.ts';
import { keys } from '../../src/redis/keys.ts';
import { call, signInApplicant, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
}, 60_000);
afterAll(async () => {
  await sys?.stop();
});

const sidOf = (h: Record<string, string>) => h.cookie!.slice(APPLICANT_COOKIE.length + 1);
const withSid = (h: Record<string, string>, sid: string) => ({ ...h, cookie: `${APPLICANT_COOKIE}=${sid}` });
const me = (h: Record<string, string>) => call(sys, 'GET', '/api/me', undefined, h);

/** A key's hash tag: the part Redis Cluster hashes to choose its slot. */
const tagOf = (key: string) => /\{([^}]+)\}/.exec(key)?.[1];

describe('applicant sessions', () => {
  it('names the account in the cookie and keeps the session in the account slot, storing only a hash', async () => {
    const h = await signInApplicant(sys, '081200000101');
    const sid = sidOf(h);
    const [accountId, token] = sid.split('.') as [string, string];
    expect(accountId).toMatch(/^[23456789a-z]{12}$/);
    const key = keys.applicantSession(accountId, tokenHash(token));
    expect(await sys.redis.client.hget(key, 'accountId')).toBe(accountId);
    expect(await sys.redis.client.ttl(key)).toBeGreaterThan(29 * 86_400);
    expect(tagOf(key)).toBe(`a:${accountId}`);
    expect(tagOf(keys.account(accountId))).toBe(`a:${accountId}`);
    expect(JSON.stringify(await sys.redis.client.hgetall(key))).not.toContain(token);
    const res = await me(h);
    expect(res.status).toBe(200);
    expect((res.body as { account: { id: string } }).account.id).toBe(accountId);
  });

  it('refuses a real token under another account id, a made-up token, and malformed cookies', async () => {
    const a = await signInApplicant(sys, '081200000102');
    const b = await signInApplicant(sys, '081200000103');
    const [, tokenA] = sidOf(a).split('.') as [string, string];
    const [accountB] = sidOf(b).split('.') as [string, string];
    for (const sid of [
      `${accountB}.${tokenA}`,
      `${accountB}.${'A'.repeat(43)}`,
      `${accountB}.`,
      `${accountB}`,
      `${accountB}.${tokenA}.x`,
      `../${accountB}.${tokenA}`,
      `{a:${accountB}}.${tokenA}`,
      'x'.repeat(2000),
    ]) {
      const res = await me(withSid(a, sid));
      expect(res.status, sid.slice(0, 60)).toBe(401);
      expect((res.body as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
    expect((await me(a)).status).toBe(200);
    expect((await me(b)).status).toBe(200);
  });

  it('checks the CSRF token of the session on writes', async () => {
    const h = await signInApplicant(sys, '081200000104');
    const res = await call(sys, 'POST', '/api/auth/logout', {}, { ...h, 'x-csrf-token': 'wrong' });
    expect(res.status).toBe(403);
    expect((await me(h)).status).toBe(200);
  });

  it('answers 401 once the account is gone, 403 once it is blocked', async () => {
    const gone = await signInApplicant(sys, '081200000105');
    const [goneId] = sidOf(gone).split('.') as [string];
    await sys.redis.client.del(keys.account(goneId));
    expect((await me(gone)).status).toBe(401);

    const blocked = await signInApplicant(sys, '081200000106');
    const [blockedId] = sidOf(blocked).split('.') as [string];
    await sys.redis.client.hset(keys.account(blockedId), 'blocked', '1');
    const res = await me(blocked);
    expect(res.status).toBe(403);
    expect((res.body as { error: { code: string } }).error.code).toBe('account_blocked');
  });

  it('refuses a cookie that is not <account>.<token>', async () => {
    const h = await signInApplicant(sys, '081200000107');
    const [accountId, token] = sidOf(h).split('.') as [string, string];
    for (const sid of [token, `${accountId}${token}`, `${accountId}.`, 'L'.repeat(43)]) {
      expect((await me({ ...withSid(h, sid) })).status).toBe(401);
    }
    expect((await me(h)).status).toBe(200);
  });

  it('signing out ends the session on the server, whatever the browser keeps', async () => {
    const h = await signInApplicant(sys, '081200000108');
    const [accountId, token] = sidOf(h).split('.') as [string, string];
    expect((await call(sys, 'POST', '/api/auth/logout', {}, h)).status).toBe(200);
    expect(await sys.redis.client.exists(keys.applicantSession(accountId, tokenHash(token)))).toBe(0);
    expect((await me(h)).status).toBe(401);
  });
});
