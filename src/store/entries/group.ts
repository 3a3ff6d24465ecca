// Joining a draw as a group: the members' entries are ordinary entries (one ticket, one active claim, one
// account record per person), so withdrawing, confirming, cancelling and checking in stay per person. What
// makes them a group is their tickets: they share the first GROUP_PREFIX characters, and the last one is
// the member's index (TICKET_ALPHABET[i]). All members of a group therefore sit in one entries bucket, the
// draw finds them by prefix, and a member's packed entry spends one flag byte on it.
import { minorsAlone } from '../../domain/group.ts';
import { entryBucket, keys, TICKET_ALPHABET } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import { type AccountEntry, packAccountEntry } from '../account-entry-codec.ts';
import { GROUP_PREFIX } from '../entry-codec.ts';
import { activePointer, claim, claimPointer, epochDay, release } from './active-claim.ts';
import type { EntryContext } from './context.ts';
import { accountEntry, type JoinInput, type JoinResult, joined, newTicket, packedOf } from './join.ts';

export { GROUP_PREFIX };

/** The tickets of a new group of `size` members (at most 20, the largest household limit). */
export function groupTickets(size: number): string[] {
  if (!Number.isInteger(size) || size < 1 || size > 20) throw new RangeError(`group size ${size}`);
  const prefix = newTicket().slice(0, GROUP_PREFIX);
  return Array.from({ length: size }, (_, i) => prefix + TICKET_ALPHABET[i]!);
}

/** The member tickets a group with this lead (any member's) ticket can have, member 0 first. */
export function groupCandidates(ticket: string, limit = 20): string[] {
  const prefix = ticket.slice(0, GROUP_PREFIX);
  return Array.from({ length: limit }, (_, i) => prefix + TICKET_ALPHABET[i]!);
}

export interface GroupMemberInput {
  personId: string;
  nikHash: string;
  /** YYYY-MM-DD: a group of minors only is refused (a minor enters only with an adult). */
  birthDate: string;
  category: string | null;
  losses?: number;
  carriedFrom?: string;
  /** Bound provisionally (identity/): this member's entry is held from the draw. */
  unverified?: boolean;
}

export type GroupJoinResult =
  | { ok: true; entries: AccountEntry[]; entryCount: number }
  | (Exclude<JoinResult, { ok: true }> & { personId: string });

type Common = Omit<
  JoinInput,
  'personId' | 'nikHash' | 'birthDate' | 'category' | 'losses' | 'carriedFrom' | 'group'
>;

interface Member {
  input: JoinInput;
  pointer: string;
  entry: AccountEntry;
}

function membersOf(common: Common, members: readonly GroupMemberInput[], at: Date): Member[] {
  const tickets = groupTickets(members.length);
  return members.map((m, i) => {
    const input: JoinInput = { ...common, ...m, group: { ticket: tickets[i]! } };
    return {
      input,
      pointer: activePointer(common.officeId, common.drawDate, tickets[i]!),
      entry: accountEntry(input, tickets[i]!, at),
    };
  });
}

/**
 * Joins every member or none, and the draw never holds part of a group: the members' entries enter the
 * draw in one script (entry-join-group.lua, one bucket), and the account's records are written after it
 * in one more (account-entries-add.lua), so a refused join leaves no record in the account's list. On a
 * single Redis server the whole join is one script (entry-join-group-whole.lua). On Redis Cluster the
 * members' person claims come first, one slot each, and are released if a later step refuses; a crash
 * between steps leaves claims a later join finds stale, or entries the account list lacks (as a single
 * join does), never a partial group.
 */
export async function joinGroup(
  ctx: EntryContext,
  common: Common,
  members: readonly GroupMemberInput[],
): Promise<GroupJoinResult> {
  const minors = minorsAlone(members, common.targetDate);
  if (minors) return { ok: false, reason: 'minor_without_adult', personIds: minors, personId: minors[0]! };
  return ctx.wholeJoin ? joinGroupWhole(ctx, common, members) : joinGroupInSteps(ctx, common, members);
}

const refusalOf = (r: Exclude<JoinResult, { ok: true }>, personId: string): GroupJoinResult => ({
  ...r,
  personId,
});

async function joinGroupWhole(
  ctx: EntryContext,
  common: Common,
  members: readonly GroupMemberInput[],
): Promise<GroupJoinResult> {
  let singleUse = common.singleUse;
  const lead = members[0]!.personId;
  for (let attempt = 0; ; attempt++) {
    const at = ctx.now();
    const ms = membersOf(common, members, at);
    const bucket = entryBucket(ms[0]!.entry.ticket);
    const { seed, commitment, anchor } = await ctx.opening(common.officeId, common.drawDate);
    const [status, detail, index] = await runScript<[number, string | number, number?]>(
      ctx.redis,
      'entryJoinGroupWhole',
      [
        singleUse?.key ?? keys.account(common.accountId),
        keys.draw(common.officeId, common.drawDate),
        keys.drawEntries(common.officeId, common.drawDate, bucket),
        keys.drawIndex(common.officeId),
        keys.account(common.accountId),
        ...ms.map((m) => keys.nik(m.input.nikHash)),
      ],
      [
        singleUse?.ttlSeconds ?? 0,
        at.getTime(),
        seed,
        commitment,
        common.targetDate,
        common.drawDate,
        epochDay(common.drawDate),
        common.officeId,
        anchor,
        ...ms.flatMap((m) => [
          claimPointer(m.pointer),
          m.entry.ticket,
          packedOf(m.input),
          packAccountEntry(m.entry),
        ]),
      ],
    );
    const who = index ? members[index - 1]!.personId : lead;
    switch (status) {
      case 1: {
        const r = await joined(ctx, ms[0]!.input, ms[0]!.entry, Number(detail));
        return { ok: true, entries: ms.map((m) => m.entry), entryCount: r.ok ? r.entryCount : 0 };
      }
      case -7:
        return refusalOf({ ok: false, reason: 'blocked' }, lead);
      case -6:
        return refusalOf({ ok: false, reason: 'single_use_taken' }, lead);
      case -4:
        return refusalOf({ ok: false, reason: 'banned', bannedUntil: new Date(Number(detail)) }, who);
      case -2:
        // A member holds a claim: the steps tell a stale claim, a duplicate and another office apart.
        return joinGroupInSteps(
          ctx,
          { ...common, singleUse: undefined, accountCheckedUnblocked: true },
          members,
        );
      case -5:
        singleUse = undefined;
        if (attempt < 2) continue;
        return refusalOf({ ok: false, reason: 'ticket_taken' }, lead);
      default:
        return refusalOf({ ok: false, reason: 'draw_closed' }, lead);
    }
  }
}

async function joinGroupInSteps(
  ctx: EntryContext,
  common: Common,
  members: readonly GroupMemberInput[],
): Promise<GroupJoinResult> {
  const { redis } = ctx;
  const lead = members[0]!.personId;
  if (
    !common.accountCheckedUnblocked &&
    (await redis.hget(keys.account(common.accountId), 'blocked')) === '1'
  ) {
    return refusalOf({ ok: false, reason: 'blocked' }, lead);
  }
  if (
    common.singleUse &&
    (await redis.set(common.singleUse.key, '1', 'EX', common.singleUse.ttlSeconds, 'NX')) === null
  ) {
    return refusalOf({ ok: false, reason: 'single_use_taken' }, lead);
  }
  for (let attempt = 0; ; attempt++) {
    const at = ctx.now();
    const ms = membersOf(common, members, at);
    const claimed: Member[] = [];
    const releaseClaimed = async () => {
      for (const m of claimed) await release(ctx, m.input.nikHash, m.pointer);
    };
    for (const m of ms) {
      const refused = await claim(ctx, m.input.nikHash, m.pointer, at.getTime());
      if (refused !== null) {
        await releaseClaimed();
        return refusalOf(refused, m.input.personId);
      }
      claimed.push(m);
    }
    const { seed, commitment, anchor } = await ctx.opening(common.officeId, common.drawDate);
    const [status, detail] = await runScript<[number, string | number]>(
      redis,
      'entryJoinGroup',
      [
        keys.draw(common.officeId, common.drawDate),
        keys.drawEntries(common.officeId, common.drawDate, entryBucket(ms[0]!.entry.ticket)),
        keys.drawIndex(common.officeId),
      ],
      [
        seed,
        commitment,
        at.getTime(),
        common.targetDate,
        common.drawDate,
        epochDay(common.drawDate),
        common.officeId,
        anchor,
        ...ms.flatMap((m) => [m.entry.ticket, packedOf(m.input)]),
      ],
    );
    if (status !== 1) {
      await releaseClaimed();
      if (status === -5 && attempt < 2) continue;
      return refusalOf({ ok: false, reason: status === -5 ? 'ticket_taken' : 'draw_closed' }, lead);
    }
    const blocked = await runScript<number>(
      redis,
      'accountEntriesAdd',
      [keys.account(common.accountId)],
      ms.flatMap((m) => [m.entry.ticket, packAccountEntry(m.entry)]),
    );
    // A block that landed since the first check: take the entries back out (no account record was written).
    if (blocked === 1) {
      for (const m of ms) {
        await runScript(
          redis,
          'entryWithdraw',
          [
            keys.draw(common.officeId, common.drawDate),
            keys.drawEntries(common.officeId, common.drawDate, entryBucket(m.entry.ticket)),
          ],
          [m.entry.ticket, common.accountId],
        );
      }
      await releaseClaimed();
      return refusalOf({ ok: false, reason: 'blocked' }, lead);
    }
    const r = await joined(ctx, ms[0]!.input, ms[0]!.entry, Number(detail));
    return { ok: true, entries: ms.map((m) => m.entry), entryCount: r.ok ? r.entryCount : 0 };
  }
}
