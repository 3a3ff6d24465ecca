// Joining a draw as a group: the members' entries are ordinary entries (one ticket, one active claim, one
// account record per person), so withdrawing, confirming, cancelling and checking in stay per person. What
// makes them a group is their tickets: they share the first GROUP_PREFIX characters, and the last one is
// the member's index (TICKET_ALPHABET[i]). All members of a group therefore sit in one entries bucket, the
// draw finds them by prefix, and a member's packed entry spends one flag byte on it.
import { TICKET_ALPHABET } from '../../redis/keys.ts';
import { GROUP_PREFIX } from '../entry-codec.ts';
import type { EntryContext } from './context.ts';
import { type JoinInput, type JoinResult, join, newTicket } from './join.ts';
import { withdraw } from './withdraw.ts';

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
  category: string | null;
  losses?: number;
  carriedFrom?: string;
  /** Bound provisionally (identity/): this member's entry is held from the draw. */
  unverified?: boolean;
}

export type GroupJoinResult =
  | { ok: true; entries: Extract<JoinResult, { ok: true }>['entry'][]; entryCount: number }
  | (Exclude<JoinResult, { ok: true }> & { personId: string });

/**
 * Joins every member or none: the members join one after another (each the ordinary join, on a single
 * Redis one script each), and a refusal withdraws the members already in. The proof of work is used by the
 * first member's join. If the draw closes between two members, the members already in stay in as a
 * smaller group: each is a valid entry, and the draw seats whoever of a group is in as one.
 */
export async function joinGroup(
  ctx: EntryContext,
  common: Omit<JoinInput, 'personId' | 'nikHash' | 'category' | 'losses' | 'carriedFrom' | 'group'>,
  members: readonly GroupMemberInput[],
): Promise<GroupJoinResult> {
  for (let attempt = 0; ; attempt++) {
    const tickets = groupTickets(members.length);
    const joined: { entry: Extract<JoinResult, { ok: true }>['entry']; nikHash: string }[] = [];
    let entryCount = 0;
    let refusal: GroupJoinResult | null = null;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const r = await join(ctx, {
        ...common,
        ...m,
        group: { ticket: tickets[i]! },
        ...(i === 0 ? {} : { singleUse: undefined }),
      });
      if (!r.ok) {
        refusal = { ...r, personId: m.personId };
        break;
      }
      joined.push({ entry: r.entry, nikHash: m.nikHash });
      entryCount = r.entryCount;
    }
    if (refusal === null) return { ok: true, entries: joined.map((j) => j.entry), entryCount };
    for (const j of joined) await withdraw(ctx, common.accountId, { ...j.entry, nikHash: j.nikHash }, 'void');
    if (refusal.reason === 'ticket_taken' && attempt < 2) continue;
    return refusal;
  }
}
