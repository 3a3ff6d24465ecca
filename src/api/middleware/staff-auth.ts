// Staff authentication: a session cookie (with CSRF token for writes) or a bearer API token.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { safeEqual } from '../../auth/tokens.ts';
import { ApiError } from '../../http/errors.ts';
import type { Role, StaffUser } from '../../store/users.ts';
import type { AppEnv } from '../env.ts';
import { APPLICANT_COOKIE } from './applicant-auth.ts';

export const STAFF_COOKIE = 'fs_staff';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const wrongRole = (roles: Role[]) => new ApiError(403, 'forbidden', `requires role ${roles.join(' or ')}`);

/**
 * 401 means "no usable credential": sign in. A caller who is signed in, just not as staff, gets 403 like
 * an officer on an admin route: signing in again would not help, and a client that treats 401 as
 * "show the sign-in form" must not loop on it.
 */
async function unauthenticated(c: Context<AppEnv>, roles: Role[], message: string): Promise<ApiError> {
  const sid = getCookie(c, APPLICANT_COOKIE);
  if (sid && (await c.get('deps').applicantSessions.get(sid))) return wrongRole(roles);
  return new ApiError(401, 'unauthenticated', message);
}

async function authenticate(c: Context<AppEnv>, roles: Role[]): Promise<StaffUser> {
  const { users, staffSessions } = c.get('deps');
  const auth = c.req.header('authorization');
  if (auth) {
    // An explicit Authorization header is the credential being presented; cookies do not rescue it.
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const user = m ? await users.userForToken(m[1]!) : null;
    if (!user) throw new ApiError(401, 'unauthenticated', 'invalid API token');
    return user;
  }
  const sid = getCookie(c, STAFF_COOKIE);
  const session = sid ? await staffSessions.get(sid) : null;
  if (!session) throw await unauthenticated(c, roles, 'sign in first');
  if (!SAFE_METHODS.has(c.req.method)) {
    const sent = c.req.header('x-csrf-token') ?? '';
    if (!safeEqual(sent, session.csrf)) throw new ApiError(403, 'csrf_failed', 'missing or wrong CSRF token');
  }
  const user = await users.get(session.username ?? '');
  if (!user) throw await unauthenticated(c, roles, 'sign in first');
  return user;
}

/** Requires a signed-in staff user with one of the roles. */
export function requireStaff(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = await authenticate(c, roles);
    if (!roles.includes(user.role)) throw wrongRole(roles);
    c.set('staff', user);
    await next();
  };
}

/** Admins see every office; an officer only their own. */
export function assertOfficeAccess(user: StaffUser, officeId: string): void {
  if (user.role === 'admin') return;
  if (user.officeId !== officeId) throw new ApiError(403, 'forbidden', 'not your office');
}
