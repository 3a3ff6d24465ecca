// An applicant cancels an offer or a confirmed appointment online until the day's cut-off; the place
// goes to the waitlist.
import { offerCutoffInstant } from '../../domain/calendar.ts';
import type { Appointment } from '../../store/appointments.ts';
import { type LifecycleContext, LifecycleError } from './context.ts';
import { release } from './waitlist.ts';

export async function cancel(ctx: LifecycleContext, accountId: string, code: string): Promise<Appointment> {
  const a = await ctx.ownAppointment(accountId, code);
  const { office, rules } = await ctx.officeRules(a.officeId);
  if (ctx.deps.now() >= offerCutoffInstant(rules, office.tz, a.date)) {
    throw new LifecycleError(
      'after_cutoff',
      'appointments can no longer be cancelled online; contact the office',
    );
  }
  const r = await ctx.deps.appointments.transition(
    a,
    ['offered', 'confirmed'],
    'cancelled',
    'cancelled by applicant',
    {
      endsActive: true,
    },
  );
  if (!r.ok) throw new LifecycleError('wrong_state', `the appointment is ${r.state}`);
  await release(ctx, a);
  return ctx.reread(a);
}
