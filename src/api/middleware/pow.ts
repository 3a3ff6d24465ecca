// Proof-of-work gate for the public writes bots would hammer (sign-in codes, draw entries).
import type { Context } from 'hono';
import { POW_REUSED, type PowMarker, type PowPurpose, type PowResult } from '../../auth/pow.ts';
import { ApiError } from '../../http/errors.ts';
import type { AppEnv } from '../env.ts';

function powError(r: Extract<PowResult, { ok: false }>): ApiError {
  return new ApiError(r.code === 'pow_required' ? 400 : 403, r.code, r.message);
}

export async function requirePow(c: Context<AppEnv>, payload: unknown, purpose: PowPurpose): Promise<void> {
  const r = await c.get('deps').pow.verify(payload, purpose);
  if (!r.ok) throw powError(r);
}

/**
 * Checks the proof without marking it used, for a handler that marks it in the same Redis script as its
 * own write (a join): the caller must set the marker and answer powReused() when it was already set.
 */
export function checkPow(c: Context<AppEnv>, payload: unknown, purpose: PowPurpose): PowMarker {
  const r = c.get('deps').pow.check(payload, purpose);
  if (!r.ok) throw powError(r);
  return r.marker;
}

export const powReused = (): ApiError => powError(POW_REUSED as Extract<PowResult, { ok: false }>);
