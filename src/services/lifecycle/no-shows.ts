// After a session's check-in window: confirmed but absent becomes no_show, with a strike that raises a
// weight penalty for later draws and, after enough strikes, a ban.
import { sessionWindow } from '../../domain/calendar.ts';
import type { LifecycleContext } from './context.ts';

export async function markNoShows(
  ctx: LifecycleContext,
  officeId: string,
  date: string,
  sessionId: string,
): Promise<number> {
  const { deps } = ctx;
  const { office, rules } = await ctx.officeRules(officeId);
  const w = sessionWindow(rules, office.tz, date, sessionId);
  if (!w || deps.now() < w.checkInUntil) return 0;
  let n = 0;
  for (const a of await deps.appointments.forDay(officeId, date)) {
    if (a.sessionId !== sessionId || a.state !== 'confirmed') continue;
    const r = await deps.appointments.transition(a, ['confirmed'], 'no_show', 'did not check in', {
      endsActive: true,
    });
    if (!r.ok) continue;
    n++;
    const strike = await deps.appointments.strike(a.nikHash, a.code, rules.noShow);
    await ctx.notify({
      event: `noshow:${a.code}`,
      accountId: a.accountId,
      template: 'no_show_strike',
      vars: {
        code: a.code,
        until: ctx.instant(office, deps.now().getTime() + rules.noShow.strikeDays * 86_400_000),
        strikes: strike.strikes,
      },
    });
  }
  return n;
}
