// Staff users (admins, officers) with scrypt passwords, sign-in lockout and throttling, and API tokens.
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

/**
 * Failed sign-ins are counted per typed username, whether or not that user exists, so the answers never
 * tell an existing name from an unknown one.
 * - Per source (username + hashed client IP): after `sourceFailures` failures that source is locked out
 *   for `sourceLockSeconds`, answered exactly like a wrong password. It locks the guesser, not the user.
 * - Per username, across all sources: after `userFailures` failures (each one extends the window) the
 *   name is throttled, not locked: one attempt per `throttleSeconds` from sources without a device cookie,
 *   the rest get 429 with Retry-After before any password is checked. A browser that signed in as that
 *   user before (trusted device) skips the throttle, so a spray from many addresses cannot keep the real
 *   user out; it still meets the per-source lockout.
 */
export const LOGIN_LIMITS = {
  sourceFailures: 5,
  sourceLockSeconds: 15 * 60,
  userFailures: 20,
  userWindowSeconds: 15 * 60,
  throttleSeconds: 10,
} as const;

export type SignInResult =
  | { ok: true; user: StaffUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Failure keys of a typed name. Hashed so that whatever was typed (people type passwords into the username
 * field) never becomes a key name; the hash tag keeps a name's counters in one cluster slot for MULTI.
 */
function failureKeys(username: string, source: string) {
  const user = keys.loginFailures(`{u:${tokenHash(`staff-login:${username}`).slice(0, 32)}}`);
  return { user, source: `${user}:src:${source}`, gate: `${user}:gate` };
}

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
    const k = failureKeys(username, '');
    // Per-source locks are left to expire: they only hold back the addresses that guessed wrong.
    await this.redis.del(k.user, k.gate);
  }

  /**
   * Unknown user, wrong password and a locked source all end in {reason: 'invalid'} after the same scrypt
   * work, so the caller cannot tell them apart. `source` identifies the client (a keyed hash of its IP);
   * `trustedDevice` is true when the caller proved an earlier successful sign-in as this user.
   */
  async signIn(
    username: string,
    password: string,
    opts: { source: string; trustedDevice: boolean },
  ): Promise<SignInResult> {
    const L = LOGIN_LIMITS;
    const k = failureKeys(username, opts.source);
    const [h, sourceFailures, userFailures] = await Promise.all([
      this.redis.hgetall(keys.user(username)),
      this.redis.get(k.source),
      this.redis.get(k.user),
    ]);
    if (!opts.trustedDevice && Number(userFailures ?? 0) >= L.userFailures) {
      const pass = await this.redis.set(k.gate, '1', 'EX', L.throttleSeconds, 'NX');
      if (pass !== 'OK') {
        const ttl = await this.redis.ttl(k.gate);
        return { ok: false, reason: 'throttled', retryAfterSeconds: Math.max(1, ttl) };
      }
    }
    const locked = Number(sourceFailures ?? 0) >= L.sourceFailures;
    const ok = await verifyPassword(password, h.passwordHash ?? DUMMY_HASH);
    if (!ok || locked || !h.username) {
      await this.redis
        .multi()
        .incr(k.source)
        .expire(k.source, L.sourceLockSeconds)
        .incr(k.user)
        .expire(k.user, L.userWindowSeconds)
        .exec();
      return { ok: false, reason: 'invalid' };
    }
    // The per-user count is not reset: the real user signing in must not hand an attacker a fresh budget.
    await this.redis.del(k.source);
    return { ok: true, user: { username: h.username, role: h.role as Role, officeId: h.officeId || null } };
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
