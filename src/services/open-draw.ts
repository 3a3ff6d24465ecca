// The draw that entries currently go into. An admin may close a draw before its scheduled time ("run
// now"), so the next draw by the calendar is skipped when it is no longer open.

import type { Deps } from '../deps.ts';
import { type NextDraw, nextDraw } from '../domain/calendar.ts';
import type { Rules } from '../domain/rules.ts';

export async function openDraw(
  deps: Pick<Deps, 'draws'>,
  officeId: string,
  tz: string,
  rules: Rules,
  now: Date,
): Promise<NextDraw | null> {
  let at = now;
  for (let i = 0; i < 5; i++) {
    const next = nextDraw(rules, tz, at);
    if (!next) return null;
    if (await deps.draws.isOpen(officeId, next.drawDate)) return next;
    at = new Date(Date.parse(next.closesAt) + 1);
  }
  return null;
}
