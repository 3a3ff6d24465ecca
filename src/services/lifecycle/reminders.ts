// Before the day's cut-off (rules.reminderLeadHours): everyone confirmed for that day is asked whether they
// still come, and told until when cancelling gives the seat to the waitlist (SMS reminders cut no-shows by
// about a third in trials; a seat given back after the cut-off helps nobody).
import { offerCutoffInstant } from '../../domain/calendar.ts';
import type { LifecycleContext } from './context.ts';

export async function sendReminders(ctx: LifecycleContext, officeId: string, date: string): Promise<number> {
  const { office, rules } = await ctx.officeRules(officeId);
  const until = ctx.instant(office, offerCutoffInstant(rules, office.tz, date).getTime());
  let n = 0;
  for (const a of await ctx.deps.appointments.forDay(officeId, date)) {
    if (a.state !== 'confirmed') continue;
    await ctx.notify({
      event: `reminder.${a.code}`,
      accountId: a.accountId,
      template: 'reminder',
      vars: {
        office: office.name,
        slot: ctx.slotText(office, rules, date, a.sessionId),
        code: a.code,
        until,
      },
      appointment: ctx.appointmentInfo(office, rules, a),
    });
    n++;
  }
  return n;
}
