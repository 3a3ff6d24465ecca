// From win to visit, one step a file: fanout (offers after a draw), confirmation, cancellation,
// forfeits, waitlist, reminders, no-shows (check-in is the counter desk's). Every step is idempotent and every state change is
// one Lua transition, so retried jobs, the sweep and a user clicking twice all converge on one result.
import type { Appointment } from '../../store/appointments.ts';
import { cancel } from './cancellation.ts';
import { type CloseDayResult, closeDay } from './closed-day.ts';
import { confirm } from './confirmation.ts';
import { LifecycleContext, type LifecycleDeps } from './context.ts';
import { fanout } from './fanout.ts';
import { forfeit, sweep } from './forfeits.ts';
import { markNoShows } from './no-shows.ts';
import { sendReminders } from './reminders.ts';
import { closeWaitlist, offerNext } from './waitlist.ts';

export type { CloseDayResult } from './closed-day.ts';
export { jobIds, type LifecycleDeps, LifecycleError } from './context.ts';

export class Lifecycle {
  private readonly ctx: LifecycleContext;

  constructor(deps: LifecycleDeps) {
    this.ctx = new LifecycleContext(deps);
  }

  fanout(officeId: string, drawDate: string): Promise<{ offered: number; waitlisted: number }> {
    return fanout(this.ctx, officeId, drawDate);
  }
  confirm(accountId: string, code: string): Promise<Appointment> {
    return confirm(this.ctx, accountId, code);
  }
  cancel(accountId: string, code: string): Promise<Appointment> {
    return cancel(this.ctx, accountId, code);
  }
  forfeit(officeId: string, code: string): Promise<boolean> {
    return forfeit(this.ctx, officeId, code);
  }
  sweep(): Promise<number> {
    return sweep(this.ctx);
  }
  offerNext(officeId: string, date: string, sessionId: string, releasedCode: string): Promise<string | null> {
    return offerNext(this.ctx, officeId, date, sessionId, releasedCode);
  }
  closeWaitlist(
    officeId: string,
    date: string,
    drawDate: string,
  ): Promise<{ carried: number; lost: number }> {
    return closeWaitlist(this.ctx, officeId, date, drawDate);
  }
  sendReminders(officeId: string, date: string): Promise<number> {
    return sendReminders(this.ctx, officeId, date);
  }
  markNoShows(officeId: string, date: string, sessionId: string): Promise<number> {
    return markNoShows(this.ctx, officeId, date, sessionId);
  }
  closeDay(officeId: string, date: string, reason: string, by: string): Promise<CloseDayResult> {
    return closeDay(this.ctx, officeId, date, reason, by);
  }
}
