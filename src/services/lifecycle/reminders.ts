// The evening before: a reminder to everyone confirmed for that day, with the plea to cancel if they
// cannot come (SMS reminders cut no-shows by about a third in trials).
import type { LifecycleContext } from './context.ts';

export async function sendReminders(ctx: LifecycleContext, officeId: string, date: string): Promise<number> {
  const { office, rules } = await ctx.officeRules(officeId);
  let n = 0;
  for (const a of await ctx.deps.appointments.forDay(officeId, date)) {
    if (a.state !== 'confirmed') continue;
    await ctx.notify({
      event: `reminder.${a.code}`,
      accountId: a.accountId,
      template: 'reminder',
      vars: { office: office.name, slot: ctx.slotText(office, rules, date, a.sessionId), code: a.code },
      appointment: ctx.appointmentInfo(office, rules, a),
    });
    n++;
  }
  return n;
}
