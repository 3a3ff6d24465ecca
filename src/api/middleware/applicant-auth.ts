// Applicant authentication: the session cookie from code verification, CSRF token on writes.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { safeEqual } from '../../auth/tokens.ts';
import { ApiError } from '../../http/errors.ts';
import type { Account } from '../../store/accounts/index.ts';
import type { AppEnv } from '../env.ts';

export const APPLICANT_COOKIE = 'fs_app';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const unauthenticated = () => new ApiError(401, 'unauthenticated', 'sign in first');
export const csrfFailed = () => new ApiError(403, 'csrf_failed', 'missing or wrong CSRF token');
export const accountBlocked = () =>
  new ApiError(403, 'account_blocked', 'this account is blocked; contact the office');

/** The signed-in applicant's account, or a 401/403 ApiError; sets 'account' and 'csrf' on the context. */
export async function authenticateApplicant(c: Context<AppEnv>): Promise<Account> {
  const sid = getCookie(c, APPLICANT_COOKIE);
  // Session and account in one round trip (ApplicantSessionStore.authenticate).
  const auth = sid ? await c.get('deps').applicantSessions.authenticate(sid) : null;
  if (!auth) throw unauthenticated();
  if (!SAFE_METHODS.has(c.req.method)) {
    const sent = c.req.header('x-csrf-token') ?? '';
    if (!safeEqual(sent, auth.csrf)) throw csrfFailed();
  }
  const { account } = auth;
  if (!account) throw unauthenticated();
  if (account.blocked) throw accountBlocked();
  c.set('account', account);
  c.set('csrf', auth.csrf);
  return account;
}

export function requireApplicant(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await authenticateApplicant(c);
    await next();
  };
}

export const currentAccount = (c: Context<AppEnv>): Account => c.get('account');
