// The operator's count of a NIK key rotation: persons by the key that made their hash, on one Redis
// or every master of a cluster, and the admin command that prints it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nikKeyId } from '../../src/auth/identity.ts';
import { keys } from '../../src/redis/keys.ts';
import { markStore } from '../../src/redis/locate.ts';
import { nikKeyCensus } from '../../src/store/nik-key-census.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

const NEW_KEY = 'census-new-key-0123456789abcdef0123456789';
const OLD_KEY = 'census-old-key-0123456789abcdef0123456789';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
  // A server marks its store on start; the admin CLI refuses a Redis without the mark.
  await markStore(redis.client, new Date());
  const bind = (hash: string, fields: Record<string, string>) => redis.client.hset(keys.nik(hash), fields);
  for (let i = 0; i < 1500; i++)
    await bind(`new${i}`, { accountId: `a${i}`, personId: 'p', key: nikKeyId(NEW_KEY) });
  for (let i = 0; i < 40; i++)
    await bind(`old${i}`, { accountId: `b${i}`, personId: 'p', key: nikKeyId(OLD_KEY) });
  for (let i = 0; i < 3; i++) await bind(`pre${i}`, { accountId: `c${i}`, personId: 'p' });
  // A moved-away shell, and a ban record of a person never bound to an account.
  await bind('shell', { accountId: 'b0', personId: 'p', key: nikKeyId(OLD_KEY), movedAt: '1' });
  await bind('banonly', { bannedUntil: '99999999999999' });
  await redis.client.zadd(keys.nikStrikes('new1'), 1, 'X');
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

describe('NIK key census', () => {
  it('counts live bindings by key id and moved-away shells apart', async () => {
    const census = await nikKeyCensus(redis.client);
    expect(Object.fromEntries(census.byKey)).toEqual({
      [nikKeyId(NEW_KEY)]: 1500,
      [nikKeyId(OLD_KEY)]: 40,
      '': 3,
    });
    expect(census.movedAway).toBe(1);
  });

  it('npm run admin -- nik-key-status names the keys and what is left', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.resolve('src/cli/admin.ts'), 'nik-key-status'],
      {
        env: { ...process.env, REDIS_URL: redis.url, NIK_HASH_KEY: NEW_KEY, NIK_HASH_KEY_PREVIOUS: OLD_KEY },
        timeout: 60_000,
      },
    );
    expect(stdout).toContain(`${nikKeyId(NEW_KEY)}\tNIK_HASH_KEY\t1500`);
    expect(stdout).toContain(`${nikKeyId(OLD_KEY)}\tNIK_HASH_KEY_PREVIOUS\t40`);
    expect(stdout).toContain('-\tno key id\t3');
    expect(stdout).toContain('43 person(s) not under NIK_HASH_KEY yet');
  }, 90_000);
});
