// Staff users (admins, officers) with scrypt passwords, lockout after repeated failures and API tokens.
import { z } from 'zod';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../auth/password.ts';
import { newToken, tokenHash } from '../auth/tokens.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';

export type Role = 'admin' | 'officer';

export interface StaffUser {
  username: string;
  role: Role;
  /** Officers belong to one office; admins to none. */
  officeId: string | null;
}

export const usernameSchema = z
  .string()
  .min(3)
  .max(40)
  .regex(/^[a-z0-9._-]+$/, 'lowercase letters, digits, dot, dash, underscore');
export const passwordSchema = z.string().min(12, 'at least 12 characters').max(200);

const MAX_FAILURES = 5;
const LOCK_SECONDS = 15 * 60;

export class UserStore {
  constructor(private readonly redis: RedisClient) {}

  async create(user: StaffUser, password: string): Promise<boolean> {
    const key = keys.user(user.username);
    const created = await this.redis.hsetnx(key, 'username', user.username);
    if (!created) return false;
    await this.redis.hset(key, {
      role: user.role,
      officeId: user.officeId ?? '',
      passwordHash: await hashPassword(password),
      createdAt: new Date().toISOString(),
    });
    await this.redis.sadd(keys.userIndex(), user.username);
    return true;
  }

  async get(username: string): Promise<StaffUser | null> {
    const h = await this.redis.hgetall(keys.user(username));
    if (!h.username) return null;
    return { username: h.username, role: h.role as Role, officeId: h.officeId || null };
  }

  async list(): Promise<StaffUser[]> {
    const names = (await this.redis.smembers(keys.userIndex())).sort();
    const users = await Promise.all(names.map((n) => this.get(n)));
    return users.filter((u): u is StaffUser => u !== null);
  }

  async setPassword(username: string, password: string): Promise<void> {
    await this.redis.hset(keys.user(username), 'passwordHash', await hashPassword(password));
    await this.redis.del(keys.loginFailures(username));
  }

  /**
   * Unknown user, wrong password and locked account all return null after the same scrypt work,
   * so the caller cannot tell them apart.
   */
  async authenticate(username: string, password: string): Promise<StaffUser | null> {
    const failKey = keys.loginFailures(username);
    const [h, failures] = await Promise.all([
      this.redis.hgetall(keys.user(username)),
      this.redis.get(failKey),
    ]);
    const locked = Number(failures ?? 0) >= MAX_FAILURES;
    const ok = await verifyPassword(password, h.passwordHash ?? DUMMY_HASH);
    if (!ok || locked || !h.username) {
      await this.redis.multi().incr(failKey).expire(failKey, LOCK_SECONDS).exec();
      return null;
    }
    await this.redis.del(failKey);
    return { username: h.username, role: h.role as Role, officeId: h.officeId || null };
  }

  async createToken(username: string, label: string): Promise<string> {
    const token = `fst_${newToken()}`;
    await this.redis.hset(keys.apiToken(tokenHash(token)), {
      username,
      label,
      createdAt: new Date().toISOString(),
    });
    return token;
  }

  async userForToken(token: string): Promise<StaffUser | null> {
    if (!token.startsWith('fst_') || token.length > 100) return null;
    const username = await this.redis.hget(keys.apiToken(tokenHash(token)), 'username');
    return username ? this.get(username) : null;
  }
}
