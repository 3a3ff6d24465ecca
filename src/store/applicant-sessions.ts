// Applicant sessions. The cookie value is "<accountId>.<random token>": naming the account lets the session
// live under the account's hash tag, so one script reads the session and the account together on a single
// Redis and on a Cluster alike. Only the token's SHA-256 is stored; a cookie naming another account points
// at a key that does not exist there, so the account id in it grants nothing.
import { newToken, tokenHash } from '../auth/tokens.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { ACCOUNT_FIELDS, type Account, accountFromFields } from './accounts/index.ts';
import type { SessionRecord } from './sessions.ts';

/** Account ids (accounts/context.ts newId) and base64url tokens: nothing else reaches a key name. */
const SID = /^([23456789a-z]{12})\.([A-Za-z0-9_-]{20,100})$/;

/**
 * The account a current-form cookie names and its session's key, or null for anything else. Naming an account grants nothing: only the token's hash names the key.
 */
export function sessionKeyParts(sid: string): { accountId: string; sessionKey: string } | null {
  const m = SID.exec(sid);
  return m ? { accountId: m[1]!, sessionKey: keys.applicantSession(m[1]!, tokenHash(m[2]!)) } : null;
}

export interface ApplicantAuth {
  csrf: string;
  account: Account | null;
}

export class ApplicantSessionStore {
  constructor(
    private readonly redis: RedisClient,
    readonly ttlSeconds: number,
  ) {}

  /** A new id every time: sign-in always rotates the session (no fixation). */
  async create(data: { accountId: string }): Promise<{ sid: string; csrf: string }> {
    const token = newToken();
    const csrf = newToken(18);
    const sid = `${data.accountId}.${token}`;
    if (!SID.test(sid)) throw new Error('not an account id');
    const key = keys.applicantSession(data.accountId, tokenHash(token));
    await this.redis
      .multi()
      .hset(key, { accountId: data.accountId, csrf })
      .expire(key, this.ttlSeconds)
      .exec();
    return { sid, csrf };
  }

  /** The session's csrf token and its account (null once the account is gone), or null: no such session. */
  async authenticate(sid: string): Promise<ApplicantAuth | null> {
    const parts = sessionKeyParts(sid);
    if (!parts) return null;
    const { accountId, sessionKey } = parts;
    const reply = await runScript<(string | null)[] | null>(
      this.redis,
      'applicantAuth',
      [sessionKey, keys.account(accountId)],
      [...ACCOUNT_FIELDS],
    );
    if (!reply) return null;
    const [csrf, owner, ...fields] = reply;
    if (!csrf || owner !== accountId) return null;
    const account = accountFromFields(fields);
    return { csrf, account: account?.id === accountId ? account : null };
  }

  async get(sid: string): Promise<SessionRecord | null> {
    const key = this.keyOf(sid);
    if (!key) return null;
    const h = await this.redis.hgetall(key);
    return h.csrf ? (h as SessionRecord) : null;
  }

  async destroy(sid: string): Promise<void> {
    const key = this.keyOf(sid);
    if (key) await this.redis.del(key);
  }

  private keyOf(sid: string): string | null {
    return sessionKeyParts(sid)?.sessionKey ?? null;
  }
}
