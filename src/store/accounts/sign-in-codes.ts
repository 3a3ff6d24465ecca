// One-time sign-in codes: stored only as an HMAC, five minutes' life, a minute between sends, and a lock
// after five wrong tries (otp-issue.lua reserves a send, otp-store.lua stores the code once it went out,
// otp-verify.lua).
import { randomInt } from 'node:crypto';
import { otpHash } from '../../auth/identity.ts';
import { keys } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import { flagRecord } from '../flags.ts';
import { accountIdForContact, contactKey } from './account.ts';
import type { AccountContext } from './context.ts';

export const OTP = {
  lifetimeMs: 5 * 60_000,
  resendMs: 60_000,
  maxTries: 5,
  lockMs: 15 * 60_000,
} as const;

export type IssueResult =
  | { ok: true; code: string }
  | { ok: false; reason: 'too_soon' | 'locked'; waitMs: number };
export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: 'locked'; waitMs: number }
  | { ok: false; reason: 'invalid'; triesLeft: number | null };

/**
 * Issues a code: reserves the send, hands the code to `send`, and stores it only once `send` resolved.
 * A send that throws gives the reservation back, so the applicant may ask again at once; a process that
 * dies mid-send leaves a reservation that lapses after `sendMs`.
 */
export async function issueCode(
  ctx: AccountContext,
  contact: string,
  sendMs: number,
  send: (code: string) => Promise<void>,
): Promise<IssueResult> {
  const key = keys.otp(contactKey(ctx, contact));
  const [status, wait] = await runScript<[number, number]>(
    ctx.redis,
    'otpIssue',
    [key],
    [ctx.now().getTime(), OTP.resendMs, sendMs],
  );
  if (status !== 1) return { ok: false, reason: status === -2 ? 'locked' : 'too_soon', waitMs: wait };
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
    [otpHash(ctx.secrets.appSecret, contact, code), ctx.now().getTime(), OTP.lifetimeMs, OTP.resendMs],
  );
  return { ok: true, code };
}

export async function verifyCode(ctx: AccountContext, contact: string, code: string): Promise<VerifyResult> {
  const [status, n] = await runScript<[number, number]>(
    ctx.redis,
    'otpVerify',
    [keys.otp(contactKey(ctx, contact))],
    [otpHash(ctx.secrets.appSecret, contact, code), ctx.now().getTime(), OTP.maxTries, OTP.lockMs],
  );
  if (status === 1) return { ok: true };
  if (status === -2) {
    // The lock is set by exactly the try that reached the limit (wait = full lock): flag that once.
    if (n === OTP.lockMs) await flagFailedCodes(ctx, contact);
    return { ok: false, reason: 'locked', waitMs: n };
  }
  return { ok: false, reason: 'invalid', triesLeft: status === -4 ? n : null };
}

async function flagFailedCodes(ctx: AccountContext, contact: string): Promise<void> {
  const accountId = await accountIdForContact(ctx, contact);
  await ctx.flags.add(
    flagRecord(
      'failed_codes',
      accountId,
      { wrongTries: OTP.maxTries, lockMinutes: OTP.lockMs / 60_000 },
      ctx.now(),
    ),
  );
}
