// Per office and day figures for the admin charts: how many entered, how much of the quota was used,
// how many winners confirmed and came, how many places went through forfeits and the waitlist.
import type { AppointmentStore } from '../store/appointments.ts';
import type { DrawStore } from '../store/draws.ts';
import type { OfficeStore } from '../store/offices.ts';

export interface DayStats {
  drawDate: string;
  targetDate: string;
  entries: number;
  quota: number;
  offers: number;
  confirmed: number;
  checkedIn: number;
  noShows: number;
  forfeits: number;
  cancellations: number;
  waitlistOffers: number;
  waitlistOffersUsed: number;
  /** Places confirmed at some point / quota. */
  fillRate: number | null;
  /** Offers confirmed / offers. */
  confirmationRate: number | null;
  /** Checked in / (checked in + no-shows): only days whose sessions are over count. */
  showRate: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

export async function officeStats(
  deps: { draws: DrawStore; offices: OfficeStore; appointments: AppointmentStore },
  officeId: string,
  days: number,
): Promise<DayStats[]> {
  const dates = await deps.draws.list(officeId, days);
  const out: DayStats[] = [];
  for (const drawDate of dates) {
    const meta = await deps.draws.meta(officeId, drawDate);
    if (!meta) continue;
    const rules = meta.rulesVersion
      ? await deps.offices.rulesVersion(officeId, meta.rulesVersion)
      : await deps.offices.rules(officeId);
    const quota = rules?.rules.sessions.reduce((n, s) => n + s.capacity, 0) ?? 0;
    const appts = (await deps.appointments.forDay(officeId, meta.targetDate)).filter(
      (a) => a.drawDate === drawDate,
    );
    const ever = (state: string) => appts.filter((a) => a.history.some((h) => h.state === state)).length;
    const confirmed = ever('confirmed');
    const checkedIn = ever('checked_in');
    const noShows = ever('no_show');
    const waitlist = appts.filter((a) => a.source === 'waitlist');
    out.push({
      drawDate,
      targetDate: meta.targetDate,
      entries: meta.entryCount ?? 0,
      quota,
      offers: appts.length,
      confirmed,
      checkedIn,
      noShows,
      forfeits: ever('forfeited'),
      cancellations: ever('cancelled'),
      waitlistOffers: waitlist.length,
      waitlistOffersUsed: waitlist.filter((a) => a.history.some((h) => h.state === 'confirmed')).length,
      fillRate: ratio(confirmed, quota),
      confirmationRate: ratio(confirmed, appts.length),
      showRate: ratio(checkedIn, checkedIn + noShows),
    });
  }
  return out.reverse();
}
