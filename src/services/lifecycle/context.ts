// What every lifecycle step shares: the office and rules in force, delayed jobs, messages, deadlines and
// how instants travel to templates. Steps live one per file beside this one.
import { DateTime } from 'luxon';
import { offerCutoffInstant, sessionWindow, zoneLabel } from '../../domain/calendar.ts';
import type { Rules } from '../../domain/rules.ts';
import type { Logger } from '../../log.ts';
import type { NotificationRequest } from '../../notify/request.ts';
import type { Queues } from '../../queues.ts';
import type { RedisClient } from '../../redis/connection.ts';
import type { AccountStore } from '../../store/accounts/index.ts';
import type { Appointment, AppointmentStore } from '../../store/appointments.ts';
import type { ClosedDayStore } from '../../store/closed-days.ts';
import type { DrawStore } from '../../store/draws.ts';
import type { EntryStore } from '../../store/entries/index.ts';
import type { Office, OfficeStore } from '../../store/offices.ts';

export interface LifecycleDeps {
  offices: OfficeStore;
  draws: DrawStore;
  appointments: AppointmentStore;
  entries: EntryStore;
  closedDays: ClosedDayStore;
  /** Persons' birth dates, for carrying an entry over (a minor enters only with an adult). */
  accounts: AccountStore;
  redis: RedisClient;
  now: () => Date;
  log: Logger;
  /** Read at each step: a process wires its queues after building its services. */
  queues: () => Queues | undefined;
  notify: (req: NotificationRequest) => Promise<void>;
}

/** Deterministic job ids, so a retried step schedules each delayed job once. */
export const jobIds = {
  forfeit: (code: string) => `forfeit.${code}`,
  offerNext: (releasedCode: string) => `offer-next.${releasedCode}`,
  waitlistClose: (officeId: string, date: string) => `wlclose.${officeId}.${date}`,
  noShow: (officeId: string, date: string, sessionId: string) => `noshow.${officeId}.${date}.${sessionId}`,
  reminder: (officeId: string, date: string) => `remind.${officeId}.${date}`,
};

export function formatLocal(tz: string, ms: number): string {
  return `${DateTime.fromMillis(ms, { zone: tz }).toFormat('yyyy-LL-dd HH:mm')} ${zoneLabel(tz)}`;
}

export class LifecycleError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 403 | 404 | 409 | 422 = 409,
  ) {
    super(message);
  }
}

export class LifecycleContext {
  constructor(readonly deps: LifecycleDeps) {}

  async officeRules(officeId: string, version?: number | null): Promise<{ office: Office; rules: Rules }> {
    const office = await this.deps.offices.get(officeId);
    const v = version
      ? await this.deps.offices.rulesVersion(officeId, version)
      : await this.deps.offices.rules(officeId);
    if (!office || !v) throw new Error(`unknown office ${officeId}`);
    return { office, rules: v.rules };
  }

  async schedule(name: string, data: object, jobId: string, atMs: number): Promise<void> {
    const q = this.deps.queues()?.lifecycle;
    if (!q) return; // HTTP-only processes: the sweep still catches everything
    await q.add(name, data, { jobId, delay: Math.max(0, atMs - this.deps.now().getTime()) });
  }

  async notify(req: NotificationRequest): Promise<void> {
    await this.deps.notify(req);
  }

  deadlineFor(rules: Rules, office: Office, date: string, windowHours: number): number {
    const now = this.deps.now().getTime();
    const cutoff = offerCutoffInstant(rules, office.tz, date).getTime();
    const byWindow = now + windowHours * 3600_000;
    // Never past the cut-off, unless the draw itself ran after it (then the window alone applies).
    return cutoff > now ? Math.min(byWindow, cutoff) : byWindow;
  }

  /** Instants travel as {at, tz} so each message formats them in its reader's language and zone label. */
  slotText(
    office: Office,
    rules: Rules,
    date: string,
    sessionId: string,
  ): string | { at: string; tz: string } {
    const w = sessionWindow(rules, office.tz, date, sessionId);
    return w ? { at: w.start.toISOString(), tz: office.tz } : `${date} ${sessionId}`;
  }

  instant(office: Office, ms: number): { at: string; tz: string } {
    return { at: new Date(ms).toISOString(), tz: office.tz };
  }

  appointmentInfo(office: Office, rules: Rules, a: Pick<Appointment, 'code' | 'date' | 'sessionId'>) {
    const w = sessionWindow(rules, office.tz, a.date, a.sessionId);
    return {
      code: a.code,
      officeName: office.name,
      address: office.address,
      tz: office.tz,
      start: w?.start.toISOString() ?? '',
      end: w?.end.toISOString() ?? '',
    };
  }

  /** The applicant's own appointment, or not_found (never telling whether the code exists for someone else). */
  async ownAppointment(accountId: string, code: string): Promise<Appointment> {
    const a = await this.deps.appointments.byCode(code);
    if (!a || a.accountId !== accountId) throw new LifecycleError('not_found', 'appointment not found', 404);
    return a;
  }

  /** Reads an appointment just written; it exists because this step wrote it. */
  async reread(a: Pick<Appointment, 'officeId' | 'code'>): Promise<Appointment> {
    return (await this.deps.appointments.get(a.officeId, a.code))!;
  }
}
