// Which draw of an office is the one to act on now, in terms of draw states only (open → closed → drawn):
//  1. a draw that is closed but not drawn (the oldest first: it must finish before any later one);
//  2. else the last draw whose close time has passed, if it has entries and is not drawn (its tick was missed);
//  3. else the next draw by the calendar: open, or already drawn when an admin ran it early.
// "Run now" acts on this draw only, and the watchdog (workers/maintenance.ts) re-queues the draws of 1–2.
// Steps 2 and 3 read the calendar with the office's closed days: a draw that would fill a closed day is
// never drawn (its entries moved to the next draw), so it is neither overdue nor the one to run.
import { addDays, drawCloseInstant, isDrawDay, localDate, nextDraw } from '../domain/calendar.ts';
import { withClosedDays } from '../domain/closed-days.ts';
import type { Rules } from '../domain/rules.ts';
import type { ClosedDayStore } from '../store/closed-days.ts';
import type { DrawState, DrawStore } from '../store/draws.ts';
import type { EntryStore } from '../store/entries/index.ts';
import type { Office, OfficeStore } from '../store/offices.ts';

/** How many past days a missed draw is still run late rather than left to an admin. */
export const OVERDUE_LOOKBACK_DAYS = 3;
/** Recent draw records searched for one that closed but was never drawn. */
const CLOSED_SEARCH = 10;
/** A draw due for longer than this is stuck: logged, counted in a metric, shown in the admin console. */
export const DRAW_STUCK_AFTER_MS = 5 * 60_000;

export interface CurrentDraw {
  drawDate: string;
  /** 'open' also for a draw nobody has entered yet. */
  state: DrawState;
  /** The announced close, ISO UTC. */
  closesAt: string;
  entries: number;
  /** Closing it now would be before its announced close. */
  early: boolean;
  /** Since when it should be drawn (closed or past its close time), ISO UTC; null while open and not due. */
  dueSince: string | null;
  stuck: boolean;
}

export interface CurrentDrawDeps {
  draws: Pick<DrawStore, 'meta' | 'list'>;
  entries: Pick<EntryStore, 'count'>;
  closedDays: Pick<ClosedDayStore, 'dates'>;
}

async function describe(
  deps: CurrentDrawDeps,
  office: Office,
  rules: Rules,
  drawDate: string,
  now: Date,
): Promise<CurrentDraw> {
  const [meta, entries] = await Promise.all([
    deps.draws.meta(office.id, drawDate),
    deps.entries.count(office.id, drawDate),
  ]);
  const state: DrawState = meta?.state ?? 'open';
  const closes = drawCloseInstant(rules, office.tz, drawDate);
  let due: number | null = null;
  if (state !== 'drawn') {
    if (closes <= now) due = closes.getTime();
    if (state === 'closed') due = Math.min(due ?? Number.POSITIVE_INFINITY, meta?.closedAt ?? now.getTime());
  }
  return {
    drawDate,
    state,
    closesAt: closes.toISOString(),
    entries: meta?.entryCount ?? entries,
    early: state === 'open' && now < closes,
    dueSince: due === null ? null : new Date(due).toISOString(),
    stuck: due !== null && now.getTime() - due > DRAW_STUCK_AFTER_MS,
  };
}

/** The draws that should be drawn by now and are not: closed ones, then an overdue one. */
export async function dueDraws(
  deps: CurrentDrawDeps,
  office: Office,
  rules: Rules,
  now: Date,
): Promise<CurrentDraw[]> {
  const out: CurrentDraw[] = [];
  const recent = await deps.draws.list(office.id, CLOSED_SEARCH);
  const metas = await Promise.all(recent.map((d) => deps.draws.meta(office.id, d)));
  const closed = recent.filter((_, i) => metas[i]?.state === 'closed').sort();
  for (const d of closed) out.push(await describe(deps, office, rules, d, now));
  const calendar = withClosedDays(rules, await deps.closedDays.dates(office.id));
  const today = localDate(office.tz, now);
  for (let i = 0; i <= OVERDUE_LOOKBACK_DAYS; i++) {
    const d = addDays(today, -i);
    if (!isDrawDay(calendar, d) || drawCloseInstant(rules, office.tz, d) > now) continue;
    // Only the latest past draw day: an older one that never ran was either drawn or is beyond help here.
    // A draw nobody entered has no record: there is nothing to draw, and no empty record to publish.
    if (!closed.includes(d) && (await deps.draws.meta(office.id, d))) {
      const c = await describe(deps, office, rules, d, now);
      if (c.state !== 'drawn') out.push(c);
    }
    break;
  }
  return out;
}

export async function currentDraw(
  deps: CurrentDrawDeps,
  office: Office,
  rules: Rules,
  now: Date,
): Promise<CurrentDraw | null> {
  const due = await dueDraws(deps, office, rules, now);
  if (due[0]) return due[0];
  const calendar = withClosedDays(rules, await deps.closedDays.dates(office.id));
  const next = nextDraw(calendar, office.tz, now);
  return next ? describe(deps, office, rules, next.drawDate, now) : null;
}

/** Every office's stuck draws, as `office:date` (for the metric at scrape time). */
export async function stuckDraws(
  deps: CurrentDrawDeps & { offices: Pick<OfficeStore, 'list' | 'rules'> },
  now: Date,
): Promise<string[]> {
  const out: string[] = [];
  for (const office of await deps.offices.list()) {
    const rules = await deps.offices.rules(office.id);
    if (!rules) continue;
    for (const d of await dueDraws(deps, office, rules.rules, now))
      if (d.stuck) out.push(`${office.id}:${d.drawDate}`);
  }
  return out;
}
