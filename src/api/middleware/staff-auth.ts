// Staff authentication: a session cookie (with CSRF token for writes) or a bearer API token.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { safeEqual } from '../../auth/tokens.ts';
import { ApiError } from '../../http/errors.ts';
import type { Role, StaffUser } from '../../store/users.ts';
import type { AppEnv } from '../env.ts';

export const STAFF_COOKIE = 'fs_staff';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authenticate(c: Context<AppEnv>): Promise<StaffUser> {
  const { users, staffSessions } = c.get('deps');
  const auth = c.req.header('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const user = m ? await users.userForToken(m[1]!) : null;
    if (!user) throw new ApiError(401, 'unauthenticated', 'invalid API token');
    return user;
  }
  const sid = getCookie(c, STAFF_COOKIE);
  const session = sid ? await staffSessions.get(sid) : null;
  if (!session) throw new ApiError(401, 'unauthenticated', 'sign in first');
  if (!SAFE_METHODS.has(c.req.method)) {
    const sent = c.req.header('x-csrf-token') ?? '';
    if (!safeEqual(sent, session.csrf)) throw new ApiError(403, 'csrf_failed', 'missing or wrong CSRF token');
  }
  const user = await users.get(session.username ?? '');
  if (!user) throw new ApiError(401, 'unauthenticated', 'sign in first');
  return user;
}

/** Requires a signed-in staff user with one of the roles. */
export function requireStaff(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = await authenticate(c);
    if (!roles.includes(user.role))
      throw new ApiError(403, 'forbidden', `requires role ${roles.join(' or ')}`);
    c.set('staff', user);
    await next();
  };
}

/** Admins see every office; an officer only their own. */
export function assertOfficeAccess(user: StaffUser, officeId: string): void {
  if (user.role === 'admin') return;
  if (user.officeId !== officeId) throw new ApiError(403, 'forbidden', 'not your office');
}
