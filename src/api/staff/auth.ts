// Staff sign-in and sign-out.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { ipHash } from '../../auth/identity.ts';
import { deviceToken, deviceTokenValid } from '../../auth/tokens.ts';
import { readJson } from '../../http/body.ts';
import { ApiError } from '../../http/errors.ts';
import type { AppEnv } from '../env.ts';
import { clientIp, limitByIp } from '../middleware/rate-limit.ts';
import { requireStaff, STAFF_COOKIE } from '../middleware/staff-auth.ts';

/** Marks a browser that signed in before; sent only to the sign-in route (see LOGIN_LIMITS). */
export const STAFF_DEVICE_COOKIE = 'fs_sdev';
const DEVICE_COOKIE_DAYS = 180;

export const loginSchema = z
  .object({ username: z.string().min(1).max(60), password: z.string().min(1).max(200) })
  .strict();

export const staffAuthRoutes = new Hono<AppEnv>()
  .post('/login', limitByIp({ bucket: 'staff-login', limit: 20, windowSeconds: 300 }), async (c) => {
    const { users, staffSessions, config, log } = c.get('deps');
    const body = await readJson(c, loginSchema);
    const username = body.username.toLowerCase();
    const result = await users.signIn(username, body.password, {
      source: ipHash(config.appSecret, clientIp(c)),
      trustedDevice: deviceTokenValid(
        config.appSecret,
        username,
        getCookie(c, STAFF_DEVICE_COOKIE),
        DEVICE_COOKIE_DAYS * 86_400,
      ),
    });
    if (!result.ok) {
      log.info({ requestId: c.get('requestId'), reason: result.reason }, 'staff sign-in refused');
      if (result.reason === 'throttled') {
        // Said of the name typed, existing or not, so it reveals nothing about which names exist.
        // Its own code (not the per-address `rate_limited`), so the page can say it is about this name.
        throw new ApiError(
          429,
          'sign_in_throttled',
          'too many failed sign-ins for this username; try again later',
          {
            retryAfterSeconds: result.retryAfterSeconds,
          },
        );
      }
      throw new ApiError(401, 'invalid_credentials', 'wrong username or password, or the account is locked');
    }
    const { user } = result;
    const old = getCookie(c, STAFF_COOKIE);
    if (old) await staffSessions.destroy(old);
    const { sid, csrf } = await staffSessions.create({
      username: user.username,
      role: user.role,
      officeId: user.officeId ?? '',
    });
    setCookie(c, STAFF_COOKIE, sid, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: config.COOKIE_SECURE,
      path: '/',
      maxAge: staffSessions.ttlSeconds,
    });
    setCookie(c, STAFF_DEVICE_COOKIE, deviceToken(config.appSecret, user.username), {
      httpOnly: true,
      sameSite: 'Strict',
      secure: config.COOKIE_SECURE,
      path: '/api/staff/login',
      maxAge: DEVICE_COOKIE_DAYS * 86_400,
    });
    return c.json({ user, csrfToken: csrf });
  })
  .post('/logout', requireStaff('admin', 'officer'), async (c) => {
    const sid = getCookie(c, STAFF_COOKIE);
    if (sid) await c.get('deps').staffSessions.destroy(sid);
    deleteCookie(c, STAFF_COOKIE, { path: '/' });
    return c.json({ ok: true });
  })
  .get('/me', requireStaff('admin', 'officer'), async (c) => {
    const sid = getCookie(c, STAFF_COOKIE);
    const session = sid ? await c.get('deps').staffSessions.get(sid) : null;
    return c.json({ user: c.get('staff'), csrfToken: session?.csrf ?? null });
  });
