// One-time sign-in codes: stored only as an HMAC, five minutes' life, a minute between sends, at most
// perWindow sent per rolling window, and burned after five wrong tries (otp-issue.lua reserves a send,
// otp-store.lua stores the code once it went out, otp-verify.lua checks it).
import { randomInt } from 'node:crypto';
import { otpHash } from '../../auth/identity.ts';
import { keys } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import { flagRecord } from '../flags.ts';
import { accountIdForContact, contactKey } from './account.ts';
import type { AccountContext } from './context.ts';

/**
 * Guessing is bounded by maxTries per code × perWindow codes per window: at most 25 guesses an hour at
 * one contact, a 1 in 40,000 chance. Neither a refused resend nor a wrong code stops the contact's owner
 * from asking for a new code (docs/operations.md, "Sign-in codes and enumeration").
 */
export const OTP = {
  lifetimeMs: 5 * 60_000,
  resendMs: 60_000,
  maxTries: 5,
  perWindow: 5,
  windowMs: 3600_000,
} as const;

export type IssueResult =
  | { ok: true; code: string }
  | { ok: false; reason: 'too_soon' | 'window_used'; waitMs: number };
export type VerifyResult = { ok: true } | { ok: false; reason: 'invalid'; triesLeft: number };

/**
 * Issues a code: reserves the send, hands the code to `send`, and stores it only once `send` resolved.
 * A send that throws gives the reservation back, so the applicant may ask again at once; a process that
 * dies mid-send leaves a reservation that lapses after `sendMs`. perWindow: codes per OTP.windowMs
 * (OTP.perWindow scaled by RATE_LIMIT_MULTIPLIER for load tests); only codes sent count towards it.
 */
export async function issueCode(
  ctx: AccountContext,
  contact: string,
  sendMs: number,
  send: (code: string) => Promise<void>,
  perWindow: number = OTP.perWindow,
): Promise<IssueResult> {
  const key = keys.otp(contactKey(ctx, contact));
  const [status, wait] = await runScript<[number, number]>(
    ctx.redis,
    'otpIssue',
    [key],
    [ctx.now().getTime(), OTP.resendMs, sendMs, perWindow, OTP.windowMs],
  );
  if (status !== 1) return { ok: false, reason: status === -3 ? 'window_used' : 'too_soon', waitMs: wait };
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  try {
    await send(code);
  } catch (err) {
    await ctx.redis.hdel(key, 'pendingUntil').catch(() => {});
    throw err;
  }
  await runScript(
    ctx.redis,
    'otpStore',
    [key],
    [
      otpHash(ctx.secrets.appSecret, contact, code),
      ctx.now().getTime(),
      OTP.lifetimeMs,
      OTP.resendMs,
      OTP.windowMs,
    ],
  );
  return { ok: true, code };
}

export async function verifyCode(ctx: AccountContext, contact: string, code: string): Promise<VerifyResult> {
  const [status, triesLeft, burned] = await runScript<[number, number, number]>(
    ctx.redis,
    'otpVerify',
    [keys.otp(contactKey(ctx, contact))],
    [
      otpHash(ctx.secrets.appSecret, contact, code),
      ctx.now().getTime(),
      OTP.maxTries,
      OTP.lifetimeMs + OTP.resendMs,
    ],
  );
  if (status === 1) return { ok: true };
  // Exactly the try that burned an outstanding code is flagged, once per code.
  if (burned === 1) await flagFailedCodes(ctx, contact);
  return { ok: false, reason: 'invalid', triesLeft };
}

async function flagFailedCodes(ctx: AccountContext, contact: string): Promise<void> {
  const accountId = await accountIdForContact(ctx, contact);
  await ctx.flags.add(flagRecord('failed_codes', accountId, { wrongTries: OTP.maxTries }, ctx.now()));
}
