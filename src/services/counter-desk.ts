// The counter: an officer looks a booking code up, compares the name and masked NIK with the KTP, then
// confirms the arrival; a mistaken confirmation can be taken back for a few minutes. Every refusal says
// what the officer can tell the applicant (the day of the appointment, when check-in opens, which office
// the code belongs to), so it carries those facts next to its code.
import type { AppointmentState } from '../domain/appointment.ts';
import { localDate, type SessionWindow, sessionWindow } from '../domain/calendar.ts';
import type { Logger } from '../log.ts';
import type { NotificationSink } from '../notify/request.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import type { AccountStore } from '../store/accounts/index.ts';
import type { Appointment, AppointmentStore, StrikeRecord } from '../store/appointments.ts';
import { activePointer, claimPointer } from '../store/entries/active-claim.ts';
import type { EntryStore } from '../store/entries/index.ts';
import { unpackEntry } from '../store/entry-codec.ts';
import type { OfficeStore } from '../store/offices.ts';
import type { PriorityClaimStore, ProofCheck } from '../store/priority-claims.ts';
import type { StaffUser } from '../store/users.ts';

/** What a check-in counted and took, kept on the appointment while it can be undone. */
interface Arrival {
  category: { id: string; kind: 'age' | 'claimed' } | null;
  proof: ProofCheck | null;
  label: string | null;
  strike: StrikeRecord | null;
}

/** How long after confirming an arrival the officer can take it back. */
export const CHECK_IN_UNDO_MS = 5 * 60_000;
/** Early arrivals may check in up to an hour before their session; the counter decides beyond that. */
export const EARLY_CHECK_IN_MS = 60 * 60_000;

export interface CounterDeps {
  appointments: AppointmentStore;
  offices: OfficeStore;
  accounts: AccountStore;
  entries: Pick<EntryStore, 'packedEntries'>;
  priorityClaims: PriorityClaimStore;
  notifications: NotificationSink;
  redis: RedisClient;
  now: () => Date;
  log: Logger;
}

export type RefusalCode =
  | 'unknown_code'
  | 'wrong_office'
  | 'not_confirmed'
  | 'already_checked_in'
  | 'wrong_day'
  | 'too_early'
  | 'too_late'
  | 'not_checked_in'
  | 'undo_expired'
  | 'active_elsewhere'
  | 'proof_required'
  | 'seated_from_standby'
  | 'not_on_standby'
  | 'standby_not_yet'
  | 'standby_off';

/** A refusal at the counter, with the facts the page words it from (dates as YYYY-MM-DD, instants ISO). */
export class CounterRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly status: 404 | 409,
    readonly details: Record<string, string | null> = {},
  ) {
    super(message);
  }
}

/** What the officer sees before confirming: enough to compare with the KTP, nothing more. */
export interface CounterView {
  code: string;
  state: AppointmentState;
  officeId: string;
  officeName: string;
  tz: string;
  date: string;
  sessionId: string;
  /** Session start and end as instants, or null if the office's rules no longer have the session. */
  start: string | null;
  end: string | null;
  name: string;
  nikMasked: string;
  /** Whether the civil registry confirmed the identity (docs/identity.md): if not, check the ID card harder. */
  identity: 'registry' | 'provisional' | 'shape';
  /**
   * The priority the entry was drawn with: by age from the NIK (compare the KTP's birth date), or claimed
   * with the document the rules name, which the officer checks before confirming.
   */
  priority: { id: string; label: string; kind: 'age' | 'claimed'; proof: string | null } | null;
  /** What the officer recorded about a claimed priority's document at check-in. */
  proofCheck: ProofCheck | null;
  checkedInAt: string | null;
  /** Until when a confirmed arrival can be taken back (while checked in). */
  undoUntil: string | null;
}

export class CounterDesk {
  constructor(private readonly deps: CounterDeps) {}

  /** Step one: the appointment behind a code, refused with the reason if it cannot be checked in now. */
  async lookup(staff: StaffUser, code: string): Promise<CounterView> {
    const { a, view, w } = await this.find(staff, code);
    this.assertCheckInNow(a, view, w);
    return view;
  }

  /**
   * Step two: the arrival, recorded after the officer compared the person with the view of step one. A
   * claimed priority needs the officer's word on its document: "not seen" takes the claim off the person's
   * later draws and counts as a strike under the office's no-show rules.
   */
  async confirm(staff: StaffUser, code: string, proof: ProofCheck | null = null): Promise<CounterView> {
    const { a, view, w } = await this.find(staff, code);
    this.assertCheckInNow(a, view, w);
    const claimed = view.priority?.kind === 'claimed' ? view.priority : null;
    if (claimed && !proof) {
      throw new CounterRefusal('proof_required', `say whether the document was seen: ${claimed.proof}`, 409, {
        category: claimed.id,
        proof: claimed.proof,
      });
    }
    const check = claimed ? proof : null;
    const cause = check
      ? `checked in by ${staff.username}; ${claimed!.id}: document ${check === 'seen' ? 'seen' : 'not seen'}`
      : `checked in by ${staff.username}`;
    const r = await this.deps.appointments.transition(a, ['confirmed'], 'checked_in', cause, {
      endsActive: true,
    });
    if (!r.ok) throw this.stateRefusal(r.state ?? a.state, view);
    if (check) await this.deps.redis.hset(keys.appointment(a.officeId, a.code), 'proofCheck', check);
    const category = view.priority ? { id: view.priority.id, kind: view.priority.kind } : null;
    await this.deps.priorityClaims.recordArrival(a.officeId, category, check);
    const strike = check === 'not_seen' ? await this.claimNotShown(a, claimed!) : null;
    // Everything this check-in counted and took, for an undo to put back (appt-check-in-undo.lua).
    const arrival: Arrival = { category, proof: check, label: claimed?.label ?? null, strike };
    await this.deps.redis.hset(keys.appointment(a.officeId, a.code), 'arrival', JSON.stringify(arrival));
    return (await this.find(staff, code)).view;
  }

  private async claimNotShown(
    a: Appointment,
    claimed: { id: string; label: string },
  ): Promise<StrikeRecord | null> {
    const rules = (await this.deps.offices.rules(a.officeId))?.rules;
    await this.deps.priorityClaims.revoke(a.accountId, a.personId, a.code);
    const strike = rules
      ? await this.deps.appointments.strike(a.nikHash, `${a.code}:proof`, rules.noShow)
      : null;
    await this.deps.notifications.enqueue({
      event: `proof:${a.code}`,
      accountId: a.accountId,
      template: 'priority_removed',
      vars: { category: claimed.label, code: a.code },
    });
    this.deps.log.info(
      { officeId: a.officeId, category: claimed.id },
      'priority claim removed at the counter',
    );
    return strike;
  }

  /** Reverses what a check-in recorded: its count in the claim rates and, for "no document", the claim and strike. */
  private async takeBack(a: Appointment, arrival: Arrival): Promise<void> {
    await this.deps.priorityClaims.forgetArrival(a.officeId, arrival.category, arrival.proof);
    if (arrival.proof !== 'not_seen') return;
    await this.deps.priorityClaims.restore(a.accountId, a.personId, a.code);
    if (arrival.strike) await this.deps.appointments.unstrike(a.nikHash, `${a.code}:proof`, arrival.strike);
    await this.deps.notifications.enqueue({
      event: `proof-undone:${a.code}`,
      accountId: a.accountId,
      template: 'priority_restored',
      vars: { category: arrival.label ?? arrival.category?.id ?? '', code: a.code },
    });
  }

  /** Takes a check-in back within CHECK_IN_UNDO_MS: the appointment is confirmed again, audited. */
  async undo(staff: StaffUser, code: string): Promise<CounterView> {
    const { a } = await this.find(staff, code);
    if (a.state !== 'checked_in') {
      throw new CounterRefusal('not_checked_in', `the appointment is ${a.state}`, 409, { state: a.state });
    }
    // A standby seat is not a confirmed place to return to: undoing it would leave a place nobody holds.
    if (a.source === 'standby') {
      throw new CounterRefusal('seated_from_standby', 'a place seated from standby cannot be undone', 409);
    }
    const now = this.deps.now().getTime();
    if (a.checkedInAt !== null && now > a.checkedInAt + CHECK_IN_UNDO_MS) throw this.undoExpired(a);
    // The person holds their one active slot again, as a confirmed appointment does: unless, in these
    // minutes, they entered a draw (then undoing would give them two).
    const pointer = claimPointer(activePointer(a.officeId, a.drawDate, a.ticket));
    const [claimed, held] = await runScript<[number, string]>(
      this.deps.redis,
      'personClaim',
      [keys.nik(a.nikHash)],
      [pointer, now],
    );
    if (claimed === -2 && !held.startsWith(`${pointer}@`)) {
      throw new CounterRefusal('active_elsewhere', 'the person has entered a draw since the check-in', 409);
    }
    const recorded = await this.deps.redis.hget(keys.appointment(a.officeId, a.code), 'arrival');
    const notSeen = recorded ? (JSON.parse(recorded) as Arrival) : null;
    const restores =
      notSeen?.proof === 'not_seen' ? `; ${notSeen.category?.id}: claim and strike restored` : '';
    const [status, state] = await runScript<[number, string]>(
      this.deps.redis,
      'apptCheckInUndo',
      [keys.appointment(a.officeId, a.code)],
      [now, CHECK_IN_UNDO_MS, `check-in undone by ${staff.username}${restores}`],
    );
    if (status !== 1) {
      if (claimed === 1) await runScript(this.deps.redis, 'personRelease', [keys.nik(a.nikHash)], [pointer]);
      if (status === -2) throw this.undoExpired(a);
      throw new CounterRefusal('not_checked_in', `the appointment is ${state}`, 409, { state });
    }
    // The script hands the arrival record to one undo only, so a double click reverses nothing twice.
    if (state) await this.takeBack(a, JSON.parse(state) as Arrival);
    this.deps.log.info({ officeId: a.officeId, by: staff.username, restored: !!restores }, 'check-in undone');
    return (await this.find(staff, code)).view;
  }

  private undoExpired(a: Appointment): CounterRefusal {
    const until = new Date((a.checkedInAt ?? 0) + CHECK_IN_UNDO_MS).toISOString();
    return new CounterRefusal('undo_expired', 'the check-in can no longer be undone', 409, {
      undoUntil: until,
    });
  }

  private async find(
    staff: StaffUser,
    code: string,
  ): Promise<{ a: Appointment; view: CounterView; w: SessionWindow | null }> {
    const a = await this.deps.appointments.byCode(code);
    if (!a) throw new CounterRefusal('unknown_code', 'no appointment has this code', 404);
    const office = await this.deps.offices.get(a.officeId);
    // The holder of a code may hear which office it is for; nothing else about it leaves that office.
    if (staff.role !== 'admin' && staff.officeId !== a.officeId) {
      throw new CounterRefusal('wrong_office', 'this code belongs to another office', 409, {
        officeName: office?.name ?? a.officeId,
      });
    }
    const [rules, person, [packed], proofCheck] = await Promise.all([
      this.deps.offices.rules(a.officeId),
      this.deps.accounts.person(a.accountId, a.personId),
      this.deps.entries.packedEntries(a.officeId, a.drawDate, [a.ticket]),
      this.deps.redis.hget(keys.appointment(a.officeId, a.code), 'proofCheck'),
    ]);
    const tz = office?.tz ?? 'Asia/Jakarta';
    const full = rules ? sessionWindow(rules.rules, tz, a.date, a.sessionId) : null;
    // From the standby moment the absent confirmed's places are seated from standby: check-in closes then.
    const w = full ? { ...full, checkInUntil: full.arriveBy } : null;
    // The category the draw weighed this entry with, as the rules in force describe it.
    const drawnWith = packed ? unpackEntry(packed).category : null;
    const category = drawnWith ? rules?.rules.priorityCategories.find((c) => c.id === drawnWith) : undefined;
    const view: CounterView = {
      code: a.code,
      state: a.state,
      officeId: a.officeId,
      officeName: office?.name ?? a.officeId,
      tz,
      date: a.date,
      sessionId: a.sessionId,
      start: w?.start.toISOString() ?? null,
      end: w?.end.toISOString() ?? null,
      name: person?.name ?? '',
      nikMasked: person?.nikMasked ?? '',
      identity: person?.identity ?? 'shape',
      priority: category
        ? {
            id: category.id,
            label: category.label,
            kind: category.minAge !== undefined ? 'age' : 'claimed',
            proof: category.proof ?? null,
          }
        : null,
      proofCheck: proofCheck === 'seen' || proofCheck === 'not_seen' ? proofCheck : null,
      checkedInAt: a.checkedInAt === null ? null : new Date(a.checkedInAt).toISOString(),
      undoUntil:
        a.state === 'checked_in' && a.checkedInAt !== null
          ? new Date(a.checkedInAt + CHECK_IN_UNDO_MS).toISOString()
          : null,
    };
    return { a, view, w };
  }

  private stateRefusal(state: AppointmentState, view: CounterView): CounterRefusal {
    if (state === 'checked_in') {
      return new CounterRefusal('already_checked_in', 'this code was already used', 409, {
        checkedInAt: view.checkedInAt,
        undoUntil: view.undoUntil,
      });
    }
    return new CounterRefusal('not_confirmed', `the appointment is ${state}`, 409, { state });
  }

  /** The right state, the right day, inside the window: an hour before the session to the end of grace. */
  private assertCheckInNow(a: Appointment, view: CounterView, w: SessionWindow | null): void {
    if (a.state !== 'confirmed') throw this.stateRefusal(a.state, view);
    const now = this.deps.now();
    if (localDate(view.tz, now) !== a.date) {
      throw new CounterRefusal('wrong_day', `the appointment is on ${a.date}`, 409, { date: a.date });
    }
    if (!w) throw new CounterRefusal('wrong_day', 'the session no longer exists', 409, { date: a.date });
    const start = w.start.getTime();
    const opensAt = new Date(start - EARLY_CHECK_IN_MS).toISOString();
    if (now.getTime() < start - EARLY_CHECK_IN_MS) {
      throw new CounterRefusal('too_early', `check-in opens at ${opensAt}`, 409, {
        opensAt,
        start: view.start,
      });
    }
    if (now.getTime() > w.checkInUntil.getTime()) {
      throw new CounterRefusal('too_late', 'check-in for this session has closed', 409, {
        closedAt: w.checkInUntil.toISOString(),
        start: view.start,
      });
    }
  }
}
