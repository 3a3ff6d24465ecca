// Staff sign-in and sign-out.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { readJson } from '../../http/body.ts';
import { ApiError } from '../../http/errors.ts';
import type { AppEnv } from '../env.ts';
import { limitByIp } from '../middleware/rate-limit.ts';
import { requireStaff, STAFF_COOKIE } from '../middleware/staff-auth.ts';

const loginSchema = z
  .object({ username: z.string().min(1).max(60), password: z.string().min(1).max(200) })
  .strict();

export const staffAuthRoutes = new Hono<AppEnv>()
  .post('/login', limitByIp({ bucket: 'staff-login', limit: 20, windowSeconds: 300 }), async (c) => {
    const { users, staffSessions, config, log } = c.get('deps');
    const body = await readJson(c, loginSchema);
    const user = await users.authenticate(body.username.toLowerCase(), body.password);
    if (!user) {
      log.info({ requestId: c.get('requestId') }, 'staff sign-in refused');
      throw new ApiError(401, 'invalid_credentials', 'wrong username or password, or the account is locked');
    }
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
