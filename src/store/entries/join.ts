// Joining a draw: the person's active slot, the entry in the office's open draw (the first entry opens
// it with a committed seed), and the account's record of it.
import { createHash } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { type DrawOpening, drawIdOf, newOpening } from '../../domain/draw-spec.ts';
import { minorsAlone } from '../../domain/group.ts';
import { entryBucket, keys, TICKET_ALPHABET } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import { type AccountEntry, packAccountEntry } from '../account-entry-codec.ts';
import { packEntry } from '../entry-codec.ts';
import { activePointer, type ClaimRefusal, claim, claimPointer, epochDay, release } from './active-claim.ts';
import type { EntryContext } from './context.ts';
import { withdraw } from './withdraw.ts';

/** Public ticket ids: random, so a ticket says nothing about who holds it or when it was made. */
export const newTicket = customAlphabet(TICKET_ALPHABET, 12);

export type JoinResult =
  | { ok: true; entry: AccountEntry; entryCount: number }
  | ClaimRefusal
  | { ok: false; reason: 'draw_closed' }
  | { ok: false; reason: 'blocked' }
  | { ok: false; reason: 'single_use_taken' }
  /** Only for a ticket the caller chose (a group's member): another entry of the draw holds it. */
  | { ok: false; reason: 'ticket_taken' }
  /** Every person of the join is under 17 on the service day: a minor enters only with an adult. */
  | { ok: false; reason: 'minor_without_adult'; personIds: string[] };

/** A key the join sets with SET NX EX, refusing when it exists: a proof of work used up by this join. */
export interface SingleUseMarker {
  key: string;
  ttlSeconds: number;
}

export interface JoinInput {
  accountId: string;
  personId: string;
  nikHash: string;
  /** The person's birth date (YYYY-MM-DD, as the NIK carries it): a minor alone is refused. */
  birthDate: string;
  category: string | null;
  officeId: string;
  drawDate: string;
  targetDate: string;
  prefs: string[] | null;
  losses?: number;
  /** Ticket of the lost entry this one continues. */
  carriedFrom?: string;
  /**
   * The caller read the account in this request and it was not blocked (the applicant middleware does),
   * so the first blocked check would only repeat it; the one after the entry is written still runs.
   */
  accountCheckedUnblocked?: boolean;
  /** The person is bound provisionally (identity/): the entry is packed held, and not drawn while so. */
  unverified?: boolean;
  /** Set as part of the join; a join whose marker is already set is refused and writes nothing else. */
  singleUse?: SingleUseMarker;
  /** A member of a group entry: its ticket is chosen by the group (group.ts), not drawn here. */
  group?: { ticket: string };
}

/**
 * A join is three single-slot steps (after the single-use marker, if any), so it runs on Redis Cluster:
 * 1. claim the person's active slot (person slot: ban check, one active entry or appointment);
 * 2. add the entry to the office's open draw (office slot: draw open, one entry per person per draw),
 *    releasing the claim if refused;
 * 3. record it in the account's own list (account slot).
 * A crash after 1 leaves a claim with no entry; a later join finds it stale and clears it
 * (see releaseIfStale). A crash after 2 leaves an entry the account list lacks; the draw still counts it.
 * On a single Redis server the same steps run as one script (joinWhole), which leaves no half-join.
 */
export async function join(ctx: EntryContext, input: JoinInput): Promise<JoinResult> {
  const minors = minorsAlone([input], input.targetDate);
  if (minors) return { ok: false, reason: 'minor_without_adult', personIds: minors };
  return ctx.wholeJoin ? joinWhole(ctx, input) : joinInSteps(ctx, input);
}

export function packedOf(input: JoinInput): string {
  return packEntry({
    accountId: input.accountId,
    personId: input.personId,
    nikHash: input.nikHash,
    category: input.category,
    losses: input.losses ?? 0,
    prefs: input.prefs,
    group: input.group !== undefined,
    unverified: input.unverified,
  });
}

export function accountEntry(input: JoinInput, ticket: string, at: Date): AccountEntry {
  return {
    ticket,
    officeId: input.officeId,
    drawDate: input.drawDate,
    targetDate: input.targetDate,
    personId: input.personId,
    prefs: input.prefs,
    status: 'pending',
    createdAt: at.toISOString(),
    ...(input.carriedFrom ? { carriedFrom: input.carriedFrom } : {}),
  };
}

/**
 * Unanchored openings, one candidate per draw and process: entry-join.lua keeps the first one offered and
 * ignores the rest, so a fresh one per join would only cost 32 random bytes and a SHA-256 each.
 */
export function unanchoredOpenings(): (officeId: string, drawDate: string) => Promise<DrawOpening> {
  const candidates = new Map<string, DrawOpening>();
  return async (officeId, drawDate) => {
    const id = drawIdOf(officeId, drawDate);
    let c = candidates.get(id);
    if (!c) {
      c = newOpening(id, null, (d) => createHash('sha256').update(d).digest());
      if (candidates.size >= 1000) candidates.clear();
      candidates.set(id, c);
    }
    return c;
  };
}

export async function joined(
  ctx: EntryContext,
  input: JoinInput,
  entry: AccountEntry,
  entryCount: number,
): Promise<JoinResult> {
  // The draw's opening is logged by the close anyway; a failure here must not fail the applicant's join.
  if (entryCount === 1 && ctx.onOpened) await ctx.onOpened(input.officeId, input.drawDate).catch(() => {});
  return { ok: true, entry, entryCount };
}

/**
 * The same steps in one script and one round trip (a single Redis server only). The rare refusals that
 * need a closer look (the person holds a claim: stale, a duplicate, or elsewhere) go on in steps.
 */
async function joinWhole(ctx: EntryContext, input: JoinInput): Promise<JoinResult> {
  const packed = packedOf(input);
  const nikKey = keys.nik(input.nikHash);
  let singleUse = input.singleUse;
  for (let attempt = 0; ; attempt++) {
    const ticket = input.group?.ticket ?? newTicket();
    const at = ctx.now();
    const { seed, commitment, anchor } = await ctx.opening(input.officeId, input.drawDate);
    const entry = accountEntry(input, ticket, at);
    const [status, detail] = await runScript<[number, string | number]>(
      ctx.redis,
      'entryJoinWhole',
      [
        singleUse?.key ?? nikKey,
        nikKey,
        keys.draw(input.officeId, input.drawDate),
        keys.drawEntries(input.officeId, input.drawDate, entryBucket(ticket)),
        keys.drawIndex(input.officeId),
        keys.account(input.accountId),
      ],
      [
        singleUse?.ttlSeconds ?? 0,
        claimPointer(activePointer(input.officeId, input.drawDate, ticket)),
        at.getTime(),
        ticket,
        packed,
        seed,
        commitment,
        input.targetDate,
        input.drawDate,
        epochDay(input.drawDate),
        input.officeId,
        packAccountEntry(entry),
        anchor,
      ],
    );
    switch (status) {
      case 1:
        return joined(ctx, input, entry, Number(detail));
      case -7:
        return { ok: false, reason: 'blocked' };
      case -6:
        return { ok: false, reason: 'single_use_taken' };
      case -4:
        return { ok: false, reason: 'banned', bannedUntil: new Date(Number(detail)) };
      case -2:
        // The marker is set by now; the steps tell a stale claim, a duplicate and another office apart.
        return joinInSteps(ctx, { ...input, singleUse: undefined, accountCheckedUnblocked: true });
      case -5:
        if (input.group) return { ok: false, reason: 'ticket_taken' };
        singleUse = undefined;
        if (attempt < 2) continue;
        return { ok: false, reason: 'draw_closed' };
      default:
        return { ok: false, reason: 'draw_closed' };
    }
  }
}

async function joinInSteps(ctx: EntryContext, input: JoinInput): Promise<JoinResult> {
  const { redis } = ctx;
  if (
    !input.accountCheckedUnblocked &&
    (await redis.hget(keys.account(input.accountId), 'blocked')) === '1'
  ) {
    return { ok: false, reason: 'blocked' };
  }
  if (
    input.singleUse &&
    (await redis.set(input.singleUse.key, '1', 'EX', input.singleUse.ttlSeconds, 'NX')) === null
  ) {
    return { ok: false, reason: 'single_use_taken' };
  }
  const packed = packedOf(input);
  // A fresh ticket that happens to be taken in this draw (2^-60 odds per pair) gets another one.
  for (let attempt = 0; ; attempt++) {
    const ticket = input.group?.ticket ?? newTicket();
    const at = ctx.now();
    const pointer = activePointer(input.officeId, input.drawDate, ticket);
    const refused = await claim(ctx, input.nikHash, pointer, at.getTime());
    if (refused !== null) return refused;

    const { seed, commitment, anchor } = await ctx.opening(input.officeId, input.drawDate);
    const [status, detail] = await runScript<[number, string | number]>(
      redis,
      'entryJoin',
      [
        keys.draw(input.officeId, input.drawDate),
        keys.drawEntries(input.officeId, input.drawDate, entryBucket(ticket)),
        keys.drawIndex(input.officeId),
      ],
      [
        ticket,
        packed,
        seed,
        commitment,
        at.getTime(),
        input.targetDate,
        input.drawDate,
        epochDay(input.drawDate),
        input.officeId,
        anchor,
      ],
    );
    if (status !== 1) {
      await release(ctx, input.nikHash, pointer);
      if (status === -5 && input.group) return { ok: false, reason: 'ticket_taken' };
      if (status === -5 && attempt < 2) continue;
      return { ok: false, reason: 'draw_closed' };
    }
    const entry = accountEntry(input, ticket, at);
    const blocked = await runScript<number>(
      redis,
      'accountEntryAdd',
      [keys.account(input.accountId)],
      [ticket, packAccountEntry(entry)],
    );
    // A block that landed between the first check and now must not leave a live entry behind.
    if (blocked === 1) {
      await withdraw(ctx, input.accountId, { ...entry, nikHash: input.nikHash }, 'void');
      return { ok: false, reason: 'blocked' };
    }
    return joined(ctx, input, entry, Number(detail));
  }
}
