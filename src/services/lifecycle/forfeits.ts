// An offer not confirmed by its deadline is forfeited and its place goes to the waitlist. The offer's
// delayed job and the minute sweep both call forfeit(); whichever comes first wins, the other is a no-op.
import type { LifecycleContext } from './context.ts';
import { release } from './waitlist.ts';

export async function forfeit(ctx: LifecycleContext, officeId: string, code: string): Promise<boolean> {
  const a = await ctx.deps.appointments.get(officeId, code);
  if (!a) return false;
  const r = await ctx.deps.appointments.transition(
    a,
    ['offered'],
    'forfeited',
    'not confirmed by the deadline',
    {
      deadline: 'after',
      endsActive: true,
    },
  );
  if (!r.ok) return false;
  await ctx.notify({
    event: `forfeited:${code}`,
    accountId: a.accountId,
    template: 'forfeited',
    vars: { code },
  });
  await release(ctx, a);
  return true;
}

/** Forfeits every offer past its deadline: the backstop for delayed jobs lost while a worker was down. */
export async function sweep(ctx: LifecycleContext): Promise<number> {
  let n = 0;
  const now = ctx.deps.now().getTime();
  for (const office of await ctx.deps.offices.list()) {
    for (const code of await ctx.deps.appointments.dueOffers(office.id, now)) {
      if (await forfeit(ctx, office.id, code)) n++;
    }
  }
  return n;
}
