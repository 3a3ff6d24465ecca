// The draw that entries currently go into. An admin may close a draw before its scheduled time ("run
// now"), so the next draw by the calendar is skipped when it is no longer open.

import { type NextDraw, nextDraw } from '../domain/calendar.ts';
import { withClosedDays } from '../domain/closed-days.ts';
import type { Rules } from '../domain/rules.ts';
import type { ClosedDayStore } from '../store/closed-days.ts';
import type { DrawStore } from '../store/draws.ts';

interface Memo {
  from: number;
  next: NextDraw;
}

// nextDraw runs luxon zone arithmetic for every candidate day, and every join asks it. Its answer for
// a time t computed at t0 holds for every t in [t0, closesAt): draw days before it had closed by t0,
// and a draw always closes on its own local date. Keyed by the rules object, so edited rules (a new
// object from the office cache) start afresh and old ones are collected.
const memo = new WeakMap<Rules, Map<string, Memo>>();

export function nextDrawMemo(rules: Rules, tz: string, at: Date): NextDraw | null {
  const t = at.getTime();
  let byTz = memo.get(rules);
  const hit = byTz?.get(tz);
  if (hit && hit.from <= t && t < Date.parse(hit.next.closesAt)) return hit.next;
  const next = nextDraw(rules, tz, at);
  if (next) {
    if (!byTz) {
      byTz = new Map();
      memo.set(rules, byTz);
    }
    byTz.set(tz, { from: t, next });
  }
  return next;
}

// The rules with the closed days added, one object per (rules, closed list) pair: the closed-day store
// hands out the same array while nothing changes, so the memo above keeps its hits on the join path.
const calendars = new WeakMap<Rules, { closed: readonly string[]; rules: Rules }>();

function calendarOf(rules: Rules, closed: readonly string[]): Rules {
  const hit = calendars.get(rules);
  if (hit && hit.closed === closed) return hit.rules;
  const merged = withClosedDays(rules, closed);
  calendars.set(rules, { closed, rules: merged });
  return merged;
}

/** The draw entries go into now: the next by the calendar (closed days skipped) that is still open. */
export async function openDraw(
  deps: { draws: Pick<DrawStore, 'isOpen'>; closedDays: Pick<ClosedDayStore, 'dates'> },
  officeId: string,
  tz: string,
  office: Rules,
  now: Date,
): Promise<NextDraw | null> {
  const rules = calendarOf(office, await deps.closedDays.dates(officeId));
  let at = now;
  for (let i = 0; i < 5; i++) {
    const next = nextDrawMemo(rules, tz, at);
    if (!next) return null;
    if (await deps.draws.isOpen(officeId, next.drawDate)) return next;
    at = new Date(Date.parse(next.closesAt) + 1);
  }
  return null;
}
