// Check-in at the counter: the officer's own office, the appointment's day, inside the session window
// (from an hour before its start until its end plus grace).
import { DateTime } from 'luxon';
import { sessionWindow } from '../../domain/calendar.ts';
import type { Appointment } from '../../store/appointments.ts';
import type { StaffUser } from '../../store/users.ts';
import { formatLocal, type LifecycleContext, LifecycleError } from './context.ts';

export async function checkIn(ctx: LifecycleContext, officer: StaffUser, code: string): Promise<Appointment> {
  const a = await ctx.deps.appointments.byCode(code);
  if (!a) throw new LifecycleError('unknown_code', 'no appointment has this code', 404);
  if (officer.role === 'officer' && officer.officeId !== a.officeId) {
    throw new LifecycleError('wrong_office', 'this appointment is for another office', 403);
  }
  const { office, rules } = await ctx.officeRules(a.officeId);
  const w = sessionWindow(rules, office.tz, a.date, a.sessionId);
  const now = ctx.deps.now();
  if (a.state === 'checked_in') throw new LifecycleError('already_checked_in', 'this code was already used');
  if (a.state !== 'confirmed') throw new LifecycleError('not_confirmed', `the appointment is ${a.state}`);
  if (!w) throw new LifecycleError('wrong_day', 'the session no longer exists');
  const today = DateTime.fromJSDate(now, { zone: office.tz }).toISODate();
  if (today !== a.date) throw new LifecycleError('wrong_day', `the appointment is on ${a.date}`);
  // Early arrivals may check in up to an hour before their session; the counter decides beyond that.
  if (now.getTime() < w.start.getTime() - 3600_000 || now > w.checkInUntil) {
    throw new LifecycleError('outside_window', `the session is ${formatLocal(office.tz, w.start.getTime())}`);
  }
  const r = await ctx.deps.appointments.transition(
    a,
    ['confirmed'],
    'checked_in',
    `checked in by ${officer.username}`,
    {
      endsActive: true,
    },
  );
  if (!r.ok) throw new LifecycleError('not_confirmed', `the appointment is ${r.state}`);
  return ctx.reread(a);
}
