// The checks in front of a join, in one round trip: session, CSRF token, account, the account's join limit
// and the person (join-gate.lua). The answers come in the order the applicant middleware gives them on
// every other route: 401, 403, then 429.
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { ACCOUNT_FIELDS, type Account, accountFromFields, type Person } from './accounts/index.ts';
import { sessionKeyParts } from './applicant-sessions.ts';
import type { Limit, LimitResult } from './rate-limits.ts';

export type JoinGateResult =
  | { status: 'unauthenticated' | 'csrf_failed' | 'blocked' }
  | { status: 'ok'; account: Account; limit: LimitResult; person: Person | null };

const REFUSED = {
  '-1': 'unauthenticated',
  '-2': 'csrf_failed',
  '-3': 'unauthenticated',
  '-4': 'blocked',
} as const;

export class JoinGate {
  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => Date,
  ) {}

  async check(sid: string, csrf: string, personId: string, limit: Limit): Promise<JoinGateResult> {
    const parts = sessionKeyParts(sid);
    if (!parts) return { status: 'unauthenticated' };
    const { accountId, sessionKey } = parts;
    const window = Math.floor(this.now().getTime() / 1000 / limit.windowSeconds);
    const reply = await runScript<[number, number?, number?, (string | null)?, ...(string | null)[]]>(
      this.redis,
      'joinGate',
      [
        sessionKey,
        keys.account(accountId),
        keys.accountRateLimit(accountId, limit.bucket, window),
        keys.accountPersons(accountId),
      ],
      [accountId, csrf, limit.limit, limit.windowSeconds, personId, ...ACCOUNT_FIELDS],
    );
    const [status, allowed, ttl, rawPerson, ...fields] = reply;
    if (status !== 1) return { status: REFUSED[String(status) as keyof typeof REFUSED] ?? 'unauthenticated' };
    const account = accountFromFields(fields);
    // The script compared the id already; this only narrows the type.
    if (!account) return { status: 'unauthenticated' };
    return {
      status: 'ok',
      account,
      limit: { allowed: allowed === 1, retryAfterSeconds: Math.max(1, ttl ?? 1) },
      person: rawPerson ? (JSON.parse(rawPerson) as Person) : null,
    };
  }
}
