// Lifecycle queue processor: fan-out after a draw, forfeits at deadlines, waitlist offers, the end of a
// day's waitlist, no-shows and the periodic sweep. Each job only calls an idempotent Lifecycle step.
import type { Job } from 'bullmq';
import type { Deps } from '../src/deps.ts';

export function lifecycleProcessor(deps: Deps) {
  const lc = deps.lifecycle;
  return async (job: Job) => {
    const d = job.data as Record<string, string>;
    switch (job.name) {
      case 'fanout':
        return lc.fanout(d.officeId!, d.drawDate!);
      case 'forfeit':
        return { forfeited: await lc.forfeit(d.officeId!, d.code!) };
      case 'offer-next':
        return { offered: await lc.offerNext(d.officeId!, d.date!, d.sessionId!, d.releasedCode!) };
      case 'waitlist-close':
        return lc.closeWaitlist(d.officeId!, d.date!, d.drawDate!);
      case 'no-show':
        return { noShows: await lc.markNoShows(d.officeId!, d.date!, d.sessionId!) };
      case 'reminder':
        return { reminded: await lc.sendReminders(d.officeId!, d.date!) };
      case 'sweep':
        return { forfeited: await lc.sweep() };
      default:
        throw new Error(`unknown lifecycle job ${job.name}`);
    }
  };
}
