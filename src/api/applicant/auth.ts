// Applicant sign-in by a one-time code sent to a phone or email. Answers never reveal whether an
// account exists for the contact.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { normalizeContact } from '../../domain/contact.ts';
import { readJson } from '../../http/body.ts';
import { ApiError } from '../../http/errors.ts';
import { leaseMs } from '../../notify/deliver.ts';
import { ProviderError } from '../../notify/provider-error.ts';
import { render } from '../../notify/templates.ts';
import { OTP } from '../../store/accounts/index.ts';
import type { AppEnv } from '../env.ts';
import { APPLICANT_COOKIE, requireApplicant } from '../middleware/applicant-auth.ts';
import { requirePow } from '../middleware/pow.ts';
import { clientIp, limitByIp } from '../middleware/rate-limit.ts';

const contactField = z.string().trim().min(3).max(254);
export const codeSchema = z
  .object({
    contact: contactField,
    lang: z.enum(['id', 'en']).default('id'),
    pow: z.string().max(4096).optional(),
  })
  .strict();
export const verifySchema = z
  .object({ contact: contactField, code: z.string().regex(/^\d{6}$/, 'must be 6 digits') })
  .strict();

function contactOr400(raw: string) {
  const c = normalizeContact(raw);
  if (!c.ok) {
    throw new ApiError(400, 'invalid_input', c.message, {
      fields: [{ path: 'contact', message: c.message }],
    });
  }
  return c;
}

export const applicantAuthRoutes = new Hono<AppEnv>()
  .post('/code', limitByIp({ bucket: 'code-ip', limit: 30, windowSeconds: 600 }), async (c) => {
    const deps = c.get('deps');
    const body = await readJson(c, codeSchema);
    const contact = contactOr400(body.contact);
    await requirePow(c, body.pow, 'code');
    const accountId = await deps.accounts.ensureAccount(contact.value, contact.kind, body.lang);
    const account = await deps.accounts.get(accountId);
    const lang = account?.lang ?? body.lang;
    // The code is stored only once it went out: a failed send must not refuse the next request for 60 s.
    const send = async (code: string) => {
      const msg = render('signin_code', lang, { code });
      await deps.notifier.sendNow({
        id: `signin:${accountId}:${Date.now()}`,
        channel: contact.kind === 'phone' ? 'sms' : 'email',
        to: contact.value,
        template: 'signin_code',
        lang,
        subject: msg.subject,
        text: msg.text,
        accountId,
      });
    };
    let issued: Awaited<ReturnType<typeof deps.accounts.issueCode>>;
    try {
      // The per-contact window is inside issueCode: only codes actually sent count towards it.
      issued = await deps.accounts.issueCode(
        contact.value,
        leaseMs(deps.config, 'email'),
        send,
        OTP.perWindow * deps.config.RATE_LIMIT_MULTIPLIER,
      );
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      // The SMS or email provider refused or timed out: say so, and let the applicant retry.
      deps.log.warn(
        { requestId: c.get('requestId'), permanent: err.permanent, status: err.status },
        'sign-in code not sent',
      );
      throw new ApiError(503, 'delivery_failed', 'the code could not be sent right now; try again', {
        retryAfterSeconds: 5,
      });
    }
    if (!issued.ok) {
      const wait = Math.ceil(issued.waitMs / 1000);
      throw issued.reason === 'window_used'
        ? new ApiError(429, 'rate_limited', 'too many codes for this contact; try again later', {
            retryAfterSeconds: wait,
          })
        : new ApiError(429, 'resend_too_soon', `wait ${wait} s before asking for a new code`, {
            retryAfterSeconds: wait,
          });
    }
    return c.json(
      { sent: true, resendAfterSeconds: OTP.resendMs / 1000, expiresInSeconds: OTP.lifetimeMs / 1000 },
      202,
    );
  })
  .post('/verify', limitByIp({ bucket: 'verify-ip', limit: 60, windowSeconds: 600 }), async (c) => {
    const deps = c.get('deps');
    const body = await readJson(c, verifySchema);
    const contact = contactOr400(body.contact);
    const result = await deps.accounts.verifyCode(contact.value, body.code);
    if (!result.ok) {
      // triesLeft is a number whether or not a code is outstanding, so it tells nobody which.
      const message =
        result.triesLeft > 0
          ? 'the code is wrong or has expired'
          : 'the code is wrong or has expired; ask for a new code';
      throw new ApiError(400, 'invalid_code', message, {
        fields: [{ path: 'code', message: 'wrong or expired code' }],
        triesLeft: result.triesLeft,
      });
    }
    const accountId = await deps.accounts.accountIdForContact(contact.value);
    const account = accountId ? await deps.accounts.get(accountId) : null;
    if (!account) throw new ApiError(400, 'invalid_code', 'the code is wrong or has expired');
    if (account.blocked)
      throw new ApiError(403, 'account_blocked', 'this account is blocked; contact the office');
    await deps.accounts.markVerified(account.id, clientIp(c));
    const old = getCookie(c, APPLICANT_COOKIE);
    if (old) await deps.applicantSessions.destroy(old);
    const { sid, csrf } = await deps.applicantSessions.create({ accountId: account.id });
    setCookie(c, APPLICANT_COOKIE, sid, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.config.COOKIE_SECURE,
      path: '/',
      maxAge: deps.applicantSessions.ttlSeconds,
    });
    return c.json({ csrfToken: csrf, lang: account.lang });
  })
  .post('/logout', requireApplicant(), async (c) => {
    const sid = getCookie(c, APPLICANT_COOKIE);
    if (sid) await c.get('deps').applicantSessions.destroy(sid);
    deleteCookie(c, APPLICANT_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });
