// Proof-of-work gate for the public writes bots would hammer (sign-in codes, draw entries).
import type { Context } from 'hono';
import type { PowPurpose } from '../../auth/pow.ts';
import { ApiError } from '../../http/errors.ts';
import type { AppEnv } from '../env.ts';

export async function requirePow(c: Context<AppEnv>, payload: unknown, purpose: PowPurpose): Promise<void> {
  const r = await c.get('deps').pow.verify(payload, purpose);
  if (!r.ok) throw new ApiError(r.code === 'pow_required' ? 400 : 403, r.code, r.message);
}
