// What an applicant's entry became: derived on read from the committed draw, so the draw commit never
// has to rewrite a million account records.
import { localDate, offerCutoffInstant, standbyMoment } from '../domain/calendar.ts';
import type { DrawStore } from '../store/draws.ts';
import type { AccountEntry, EntryStatus, EntryStore } from '../store/entries/index.ts';
import { GROUP_PREFIX } from '../store/entry-codec.ts';
import type { OfficeStore } from '../store/offices.ts';
import type { StandbyStore } from '../store/standby.ts';

export interface ResolvedEntry extends AccountEntry {
  rank: number | null;
  sessionId: string | null;
  waitlistPosition: number | null;
  /** On the day's standby line (until that day ends): the day and the latest time to come. */
  standby?: { date: string; until: string } | null;
}

export class OutcomeResolver {
  constructor(
    private readonly deps: {
      draws: DrawStore;
      offices: OfficeStore;
      now: () => Date;
      standby?: StandbyStore;
    },
  ) {}

  async resolve(list: AccountEntry[]): Promise<ResolvedEntry[]> {
    return Promise.all(list.map((e) => this.resolveOne(e)));
  }

  async resolveOne(e: AccountEntry): Promise<ResolvedEntry> {
    const base: ResolvedEntry = { ...e, rank: null, sessionId: null, waitlistPosition: null };
    if (e.status !== 'pending') return base;
    const meta = await this.deps.draws.meta(e.officeId, e.drawDate);
    if (meta?.state !== 'drawn') return base;
    // Far down the waitlist there is no per-ticket row: such an entry is waitlisted without a position.
    const outcome = (await this.deps.draws.outcome(e.officeId, e.drawDate, e.ticket)) ?? {
      rank: null,
      sessionId: null,
      waitlistPosition: null,
    };
    let status: EntryStatus = outcome.sessionId ? 'won' : 'waitlisted';
    if (!outcome.sessionId) {
      // After the offer cut-off the waitlist for that day is over: the entry was carried or lost.
      const office = await this.deps.offices.get(e.officeId);
      const rules = await this.deps.offices.rules(e.officeId);
      if (office && rules && this.deps.now() >= offerCutoffInstant(rules.rules, office.tz, e.targetDate)) {
        status = e.carriedTo ? 'carried_over' : 'lost';
        const until = office && rules ? await this.standbyUntil(e, office.tz, rules.rules) : null;
        if (until) return { ...base, status, ...outcome, standby: { date: e.targetDate, until } };
      }
    }
    return { ...base, status, ...outcome };
  }

  /** The first standby moment the entry's preferences allow, while its day has not passed; else null. */
  private async standbyUntil(
    e: AccountEntry,
    tz: string,
    rules: Parameters<typeof standbyMoment>[0],
  ): Promise<string | null> {
    if (!this.deps.standby || localDate(tz, this.deps.now()) > e.targetDate) return null;
    if ((await this.deps.standby.dateOf(e.officeId, e.ticket)) !== e.targetDate) return null;
    const moments = rules.sessions
      .filter((s) => !e.prefs || e.prefs.includes(s.id))
      .map((s) => standbyMoment(rules, tz, e.targetDate, s.id)?.getTime() ?? Infinity);
    const first = Math.min(...moments);
    return Number.isFinite(first) ? new Date(first).toISOString() : null;
  }
}

/**
 * An account's entries with what each became: the one status derivation behind both the applicant's own
 * list and the admin's view of the account, so the two never disagree.
 */
export async function resolvedEntriesOf(
  deps: { entries: EntryStore; outcomes: OutcomeResolver },
  accountId: string,
): Promise<ResolvedEntry[]> {
  return deps.outcomes.resolve(await deps.entries.forAccount(accountId));
}

/** A family entered together: the tickets' shared prefix, and how many members are still in it. */
export interface EntryGroup {
  id: string;
  size: number;
}

/**
 * The list with each entry's group (null for one person alone), members next to each other where the
 * first of them stood. A group is its tickets' shared prefix in one draw (store/entries/group.ts); a
 * member who withdrew is still listed with it (staff see who entered together) but no longer counted.
 */
export function withGroups<E extends AccountEntry>(list: readonly E[]): (E & { group: EntryGroup | null })[] {
  const idOf = (e: E) => `${e.officeId}|${e.drawDate}|${e.ticket.slice(0, GROUP_PREFIX)}`;
  const members = new Map<string, E[]>();
  for (const e of list) members.set(idOf(e), [...(members.get(idOf(e)) ?? []), e]);
  const out: (E & { group: EntryGroup | null })[] = [];
  for (const e of list) {
    const all = members.get(idOf(e))!;
    if (all[0] !== e) continue;
    const size = all.filter((m) => m.status !== 'withdrawn' && m.status !== 'void').length;
    const group = all.length > 1 ? { id: e.ticket.slice(0, GROUP_PREFIX), size } : null;
    for (const m of all) out.push({ ...m, group });
  }
  return out;
}
