// Applicant authentication: the session cookie from code verification, CSRF token on writes.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { safeEqual } from '../../auth/tokens.ts';
import { ApiError } from '../../http/errors.ts';
import type { Account } from '../../store/accounts.ts';
import type { AppEnv } from '../env.ts';

export const APPLICANT_COOKIE = 'fs_app';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireApplicant(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const sid = getCookie(c, APPLICANT_COOKIE);
    // Session and account in one round trip (ApplicantSessionStore.authenticate).
    const auth = sid ? await c.get('deps').applicantSessions.authenticate(sid) : null;
    if (!auth) throw new ApiError(401, 'unauthenticated', 'sign in first');
    if (!SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? '';
      if (!safeEqual(sent, auth.csrf)) throw new ApiError(403, 'csrf_failed', 'missing or wrong CSRF token');
    }
    const { account } = auth;
    if (!account) throw new ApiError(401, 'unauthenticated', 'sign in first');
    if (account.blocked)
      throw new ApiError(403, 'account_blocked', 'this account is blocked; contact the office');
    c.set('account', account);
    c.set('csrf', auth.csrf);
    await next();
  };
}

export const currentAccount = (c: Context<AppEnv>): Account => c.get('account');
