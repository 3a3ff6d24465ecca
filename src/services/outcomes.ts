// What an applicant's entry became: derived on read from the committed draw, so the draw commit never
// has to rewrite a million account records.
import { offerCutoffInstant } from '../domain/calendar.ts';
import type { DrawStore } from '../store/draws.ts';
import type { AccountEntry, EntryStatus } from '../store/entries/index.ts';
import type { OfficeStore } from '../store/offices.ts';

export interface ResolvedEntry extends AccountEntry {
  rank: number | null;
  sessionId: string | null;
  waitlistPosition: number | null;
}

export class OutcomeResolver {
  constructor(private readonly deps: { draws: DrawStore; offices: OfficeStore; now: () => Date }) {}

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
      }
    }
    return { ...base, status, ...outcome };
  }
}
