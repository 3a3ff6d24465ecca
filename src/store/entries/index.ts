// Entries in the waiting room, one concept a file: joining (join.ts), the person's one active slot
// (active-claim.ts), withdrawing (withdraw.ts), a draw's entry buckets (draw-entries.ts) and the
// account's own list (account-entries.ts). EntryStore is the one object callers hold.
import { Cluster } from 'ioredis';
import type { DrawOpening } from '../../domain/draw-spec.ts';
import type { RedisClient } from '../../redis/connection.ts';
import type { AccountEntry } from '../account-entry-codec.ts';
import * as accountEntries from './account-entries.ts';
import * as claims from './active-claim.ts';
import type { EntryContext } from './context.ts';
import * as drawEntries from './draw-entries.ts';
import { type GroupJoinResult, type GroupMemberInput, joinGroup } from './group.ts';
import { releaseHeld } from './held.ts';
import { type JoinInput, type JoinResult, join, unanchoredOpenings } from './join.ts';
import { withdraw } from './withdraw.ts';

export type { AccountEntry, EntryStatus } from '../account-entry-codec.ts';
export { activePointer, claimPointer } from './active-claim.ts';
export {
  GROUP_PREFIX,
  type GroupJoinResult,
  type GroupMemberInput,
  groupCandidates,
  groupTickets,
} from './group.ts';
export { type JoinInput, type JoinResult, newTicket, type SingleUseMarker } from './join.ts';

export interface EntryStoreOptions {
  /**
   * Join in one Lua script (entry-join-whole.lua) rather than in single-slot steps. Only a single Redis
   * server can: on Cluster the steps' keys live in different slots. Defaults to whichever the client is.
   */
  wholeJoin?: boolean;
  /**
   * What a join that opens a draw opens it with (seed, commitment, beacon anchor; src/services/draw-opening.ts).
   * Without, draws open unanchored.
   */
  opening?: (officeId: string, drawDate: string) => Promise<DrawOpening>;
  /** Called once the join that opened a draw succeeded (its opening goes to the transparency log). */
  onOpened?: (officeId: string, drawDate: string) => Promise<void>;
}

export class EntryStore {
  private readonly ctx: EntryContext;

  constructor(redis: RedisClient, now: () => Date, opts: EntryStoreOptions = {}) {
    this.ctx = {
      redis,
      now,
      wholeJoin: opts.wholeJoin ?? !(redis instanceof Cluster),
      opening: opts.opening ?? unanchoredOpenings(),
      onOpened: opts.onOpened,
    };
  }

  join(input: JoinInput): Promise<JoinResult> {
    return join(this.ctx, input);
  }
  /** Several persons of one account as one group entry: all join, or none (store/entries/group.ts). */
  joinGroup(
    common: Omit<
      JoinInput,
      'personId' | 'nikHash' | 'birthDate' | 'category' | 'losses' | 'carriedFrom' | 'group'
    >,
    members: readonly GroupMemberInput[],
  ): Promise<GroupJoinResult> {
    return joinGroup(this.ctx, common, members);
  }

  /** Lets the draw take the person's entries held for the registry (identity/). */
  releaseHeld(accountId: string, personId: string): Promise<number> {
    return releaseHeld(this.ctx, accountId, personId);
  }
  withdraw(
    accountId: string,
    entry: Pick<AccountEntry, 'ticket' | 'officeId' | 'drawDate'> & { nikHash: string },
    status: 'withdrawn' | 'void',
  ): Promise<'done' | 'not_found' | 'closed'> {
    return withdraw(this.ctx, accountId, entry, status);
  }
  release(nikHash: string, pointer: string): Promise<boolean> {
    return claims.release(this.ctx, nikHash, pointer);
  }
  activeOf(nikHash: string): Promise<string | null> {
    return claims.activeOf(this.ctx, nikHash);
  }
  releaseIfStale(nikHash: string, pointer: string, claimedAt: number, nowMs: number): Promise<boolean> {
    return claims.releaseIfStale(this.ctx, nikHash, pointer, claimedAt, nowMs);
  }
  pointerIsLive(pointer: string): Promise<boolean> {
    return claims.pointerIsLive(this.ctx, pointer);
  }
  markCarried(accountId: string, ticket: string, carriedTo: string): Promise<void> {
    return accountEntries.markCarried(this.ctx, accountId, ticket, carriedTo);
  }
  forAccount(accountId: string): Promise<AccountEntry[]> {
    return accountEntries.forAccount(this.ctx, accountId);
  }
  forAccountByTicket(accountId: string, ticket: string): Promise<AccountEntry | null> {
    return accountEntries.forAccountByTicket(this.ctx, accountId, ticket);
  }
  count(officeId: string, drawDate: string): Promise<number> {
    return drawEntries.count(this.ctx, officeId, drawDate);
  }
  hasEntry(officeId: string, drawDate: string, ticket: string): Promise<boolean> {
    return drawEntries.hasEntry(this.ctx, officeId, drawDate, ticket);
  }
  packedEntries(officeId: string, drawDate: string, tickets: readonly string[]): Promise<(string | null)[]> {
    return drawEntries.packedEntries(this.ctx, officeId, drawDate, tickets);
  }
  addBulk(officeId: string, drawDate: string, flat: readonly string[]): Promise<void> {
    return drawEntries.addBulk(this.ctx, officeId, drawDate, flat);
  }
}
