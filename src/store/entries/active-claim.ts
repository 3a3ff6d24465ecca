// A person's one active slot (field `active` of the NIK's hash): which entry or appointment holds the
// person, across all offices. A join claims it first; ending the entry or appointment releases it.
import { keys } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import type { EntryContext } from './context.ts';
import { hasEntry } from './draw-entries.ts';

/** A claim older than this with nothing behind it is left over from a crashed join. */
const STALE_CLAIM_MS = 60_000;

const DAY_MS = 86_400_000;
export const epochDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** What a person's active slot points at: "officeId|drawDate|ticket" (lifecycle compares these). */
export const activePointer = (officeId: string, drawDate: string, ticket: string) =>
  `${officeId}|${drawDate}|${ticket}`;

/**
 * The pointer as the person's hash stores it (field `active`, before "@claimedAtMs"): the draw date as its
 * epoch day, "officeId|20423|ticket", five bytes less for every person holding an entry. A value that is
 * not a pointer with a date (a fence set while moving a person) is kept as it is.
 */
export function claimPointer(pointer: string): string {
  const [officeId, drawDate, ticket] = pointer.split('|');
  return drawDate !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(drawDate)
    ? `${officeId}|${epochDay(drawDate)}|${ticket}`
    : pointer;
}

function pointerOfClaim(stored: string): string {
  const [officeId, day, ticket] = stored.split('|');
  return day !== undefined && /^\d+$/.test(day)
    ? activePointer(officeId!, new Date(Number(day) * DAY_MS).toISOString().slice(0, 10), ticket ?? '')
    : stored;
}

export type ClaimRefusal =
  | { ok: false; reason: 'duplicate'; ticket: string }
  | { ok: false; reason: 'active_elsewhere'; officeId: string; drawDate: string }
  | { ok: false; reason: 'banned'; bannedUntil: Date };

/** Step 1 of a join; null when claimed, else the refusal. Clears a stale claim once and retries. */
export async function claim(
  ctx: EntryContext,
  nikHash: string,
  pointer: string,
  nowMs: number,
): Promise<ClaimRefusal | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const [status, detail] = await runScript<[number, string]>(
      ctx.redis,
      'personClaim',
      [keys.nik(nikHash)],
      [claimPointer(pointer), nowMs],
    );
    if (status === 1) return null;
    if (status === -4) return { ok: false, reason: 'banned', bannedUntil: new Date(Number(detail)) };
    const [stored = '', claimedAt = '0'] = detail.split('@');
    const held = pointerOfClaim(stored);
    if (attempt === 0 && (await releaseIfStale(ctx, nikHash, held, Number(claimedAt), nowMs))) continue;
    const [officeId = '', drawDate = '', ticket = ''] = held.split('|');
    // The same person already in this very draw is a duplicate, not a conflict with another office —
    // but only if that entry exists (a claim from a join cut off mid-way has none yet).
    if (pointer.startsWith(`${officeId}|${drawDate}|`) && (await hasEntry(ctx, officeId, drawDate, ticket))) {
      return { ok: false, reason: 'duplicate', ticket };
    }
    return { ok: false, reason: 'active_elsewhere', officeId, drawDate };
  }
  return null;
}

export async function release(ctx: EntryContext, nikHash: string, pointer: string): Promise<boolean> {
  return (
    (await runScript<number>(ctx.redis, 'personRelease', [keys.nik(nikHash)], [claimPointer(pointer)])) === 1
  );
}

/** The pointer ("officeId|drawDate|ticket") the person's active slot holds, without its claim time. */
export async function activeOf(ctx: EntryContext, nikHash: string): Promise<string | null> {
  const v = await ctx.redis.hget(keys.nik(nikHash), 'active');
  return v ? pointerOfClaim(v.split('@')[0]!) : null;
}

/**
 * A claim is stale when nothing it points at still holds the person: no entry in an open or closing
 * draw, no place on the day's waitlist, no appointment holding a place. Only claims older than a
 * minute count, so a join in flight between its steps is never cut off.
 */
export async function releaseIfStale(
  ctx: EntryContext,
  nikHash: string,
  pointer: string,
  claimedAt: number,
  nowMs: number,
): Promise<boolean> {
  if (nowMs - claimedAt < STALE_CLAIM_MS) return false;
  if (await pointerIsLive(ctx, pointer)) return false;
  return release(ctx, nikHash, pointer);
}

export async function pointerIsLive(ctx: EntryContext, pointer: string): Promise<boolean> {
  const { redis } = ctx;
  const [officeId = '', drawDate = '', ticket = ''] = pointer.split('|');
  const [state, target] = await redis.hmget(keys.draw(officeId, drawDate), 'state', 'targetDate');
  if (!(await hasEntry(ctx, officeId, drawDate, ticket))) return false;
  if (state !== 'drawn') return true;
  if (target && (await redis.zscore(keys.dayWaitlist(officeId, target), ticket)) !== null) return true;
  const code = await redis.hget(keys.ticketAppointment(officeId, drawDate), ticket);
  if (!code) return false;
  const apptState = await redis.hget(keys.appointment(officeId, code), 'state');
  return apptState === 'offered' || apptState === 'confirmed';
}
