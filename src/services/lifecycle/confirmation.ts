// An applicant confirms an offer before its deadline.
import type { Appointment } from '../../store/appointments.ts';
import { type LifecycleContext, LifecycleError } from './context.ts';

export async function confirm(ctx: LifecycleContext, accountId: string, code: string): Promise<Appointment> {
  const a = await ctx.ownAppointment(accountId, code);
  const r = await ctx.deps.appointments.transition(a, ['offered'], 'confirmed', 'confirmed by applicant', {
    deadline: 'before',
  });
  if (!r.ok) {
    if (r.reason === 'deadline')
      throw new LifecycleError('deadline_passed', 'the confirmation deadline has passed');
    if (r.state === 'confirmed') return a; // a double click is not an error
    throw new LifecycleError('wrong_state', `the appointment is ${r.state}`);
  }
  const { office, rules } = await ctx.officeRules(a.officeId);
  await ctx.notify({
    event: `confirmed:${a.code}`,
    accountId,
    template: 'confirmed',
    vars: { office: office.name, slot: ctx.slotText(office, rules, a.date, a.sessionId), code: a.code },
    appointment: ctx.appointmentInfo(office, rules, a),
  });
  return ctx.reread(a);
}
