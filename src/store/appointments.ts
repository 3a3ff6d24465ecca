// Appointments: offers, confirmations, releases and check-ins, each one atomic Lua step.
import { customAlphabet } from 'nanoid';
import { type AppointmentState, BOOKING_CODE_ALPHABET, BOOKING_CODE_LENGTH } from '../domain/appointment.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { activePointer, claimPointer } from './entries/active-claim.ts';

export const newBookingCode = customAlphabet(BOOKING_CODE_ALPHABET, BOOKING_CODE_LENGTH);

/** How the place came: a draw win, a waitlist offer, a move from a day the office closed, or standby. */
export type AppointmentSource = 'draw' | 'waitlist' | 'moved' | 'standby';

export interface Appointment {
  code: string;
  officeId: string;
  date: string;
  sessionId: string;
  ticket: string;
  drawDate: string;
  accountId: string;
  personId: string;
  nikHash: string;
  source: AppointmentSource;
  state: AppointmentState;
  deadline: number;
  offeredAt: number;
  history: { state: AppointmentState; at: number; cause: string }[];
  checkedInAt: number | null;
  /** The code of the appointment this one was moved to when the office closed its day. */
  movedTo: string | null;
}

export interface OfferInput {
  officeId: string;
  date: string;
  drawDate: string;
  ticket: string;
  sessionId: string;
  capacity: number;
  deadline: number;
  accountId: string;
  personId: string;
  nikHash: string;
  source: AppointmentSource;
  cause: string;
}

export type TransitionResult =
  | { ok: true; from: AppointmentState }
  | { ok: false; reason: 'wrong_state' | 'deadline' | 'unknown'; state: AppointmentState | null };

export class AppointmentStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => Date,
  ) {}

  async offer(
    input: OfferInput,
  ): Promise<{ status: 'offered' | 'existing'; code: string } | { status: 'full' }> {
    const code = newBookingCode();
    const fields = {
      officeId: input.officeId,
      date: input.date,
      drawDate: input.drawDate,
      accountId: input.accountId,
      personId: input.personId,
      nikHash: input.nikHash,
      source: input.source,
    };
    const [status, result] = await runScript<[number, string]>(
      this.redis,
      'apptOffer',
      [
        keys.ticketAppointment(input.officeId, input.drawDate),
        keys.appointment(input.officeId, code),
        keys.dayHeld(input.officeId, input.date),
        keys.dayAppointments(input.officeId, input.date),
        keys.dayWaitlist(input.officeId, input.date),
        keys.openOffers(input.officeId),
      ],
      [
        code,
        input.ticket,
        input.sessionId,
        input.capacity,
        input.deadline,
        this.now().getTime(),
        JSON.stringify(fields),
        input.cause,
      ],
    );
    if (status === -1) return { status: 'full' };
    // Indexes in other slots, written after the offer; repeating an offer repeats these harmlessly.
    await this.redis.hset(keys.codeIndex(), result, input.officeId);
    await this.redis.hset(
      keys.accountAppointments(input.accountId),
      result,
      `${input.officeId}|${input.date}`,
    );
    return { status: status === 1 ? 'offered' : 'existing', code: result };
  }

  /**
   * Offers places in one session to every member of a group or to none (appt-offer-group.lua): capacity
   * is checked and all places taken in one script. Members are one draw's tickets of one day and session.
   */
  async offerGroup(
    members: readonly OfferInput[],
  ): Promise<{ status: 'offered'; members: { code: string; isNew: boolean }[] } | { status: 'full' }> {
    const first = members[0];
    if (!first) return { status: 'offered', members: [] };
    const codes = members.map(() => newBookingCode());
    const reply = await runScript<(number | string)[]>(
      this.redis,
      'apptOfferGroup',
      [
        keys.ticketAppointment(first.officeId, first.drawDate),
        keys.dayHeld(first.officeId, first.date),
        keys.dayAppointments(first.officeId, first.date),
        keys.dayWaitlist(first.officeId, first.date),
        keys.openOffers(first.officeId),
        ...codes.map((c) => keys.appointment(first.officeId, c)),
      ],
      [
        first.sessionId,
        first.capacity,
        first.deadline,
        this.now().getTime(),
        first.cause,
        ...members.flatMap((m, i) => [
          codes[i]!,
          m.ticket,
          JSON.stringify({
            officeId: m.officeId,
            date: m.date,
            drawDate: m.drawDate,
            accountId: m.accountId,
            personId: m.personId,
            nikHash: m.nikHash,
            source: m.source,
          }),
        ]),
      ],
    );
    if (reply[0] !== 1) return { status: 'full' };
    const out = members.map((_, i) => ({
      code: String(reply[1 + 2 * i]),
      isNew: Number(reply[2 + 2 * i]) === 1,
    }));
    // Indexes in other slots, written after the offer, as offer() does.
    for (const [i, m] of members.entries()) {
      await this.redis.hset(keys.codeIndex(), out[i]!.code, m.officeId);
      await this.redis.hset(keys.accountAppointments(m.accountId), out[i]!.code, `${m.officeId}|${m.date}`);
    }
    return { status: 'offered', members: out };
  }

  async officeOf(code: string): Promise<string | null> {
    return this.redis.hget(keys.codeIndex(), code);
  }

  async get(officeId: string, code: string): Promise<Appointment | null> {
    const h = await this.redis.hgetall(keys.appointment(officeId, code));
    if (!h.state) return null;
    return {
      code: h.code ?? code,
      officeId: h.officeId ?? officeId,
      date: h.date ?? '',
      sessionId: h.sessionId ?? '',
      ticket: h.ticket ?? '',
      drawDate: h.drawDate ?? '',
      accountId: h.accountId ?? '',
      personId: h.personId ?? '',
      nikHash: h.nikHash ?? '',
      source: h.source === 'waitlist' || h.source === 'moved' || h.source === 'standby' ? h.source : 'draw',
      movedTo: h.movedTo ?? null,
      state: h.state as AppointmentState,
      deadline: Number(h.deadline ?? 0),
      offeredAt: Number(h.offeredAt ?? 0),
      history: JSON.parse(h.history ?? '[]'),
      checkedInAt: h.checked_inAt ? Number(h.checked_inAt) : null,
    };
  }

  async byCode(code: string): Promise<Appointment | null> {
    const officeId = await this.officeOf(code);
    return officeId ? this.get(officeId, code) : null;
  }

  async transition(
    a: Pick<Appointment, 'officeId' | 'code' | 'date' | 'nikHash' | 'drawDate' | 'ticket'>,
    from: AppointmentState[],
    to: AppointmentState,
    cause: string,
    opts: { deadline?: 'before' | 'after'; endsActive?: boolean } = {},
  ): Promise<TransitionResult> {
    const [status, state] = await runScript<[number, string]>(
      this.redis,
      'apptTransition',
      [keys.appointment(a.officeId, a.code), keys.dayHeld(a.officeId, a.date), keys.openOffers(a.officeId)],
      [from.join(','), to, this.now().getTime(), cause, opts.deadline ?? '-'],
    );
    if (status === 1) {
      if (opts.endsActive) {
        await runScript(
          this.redis,
          'personRelease',
          [keys.nik(a.nikHash)],
          [claimPointer(activePointer(a.officeId, a.drawDate, a.ticket))],
        );
      }
      return { ok: true, from: state as AppointmentState };
    }
    const reason = status === -1 ? 'wrong_state' : status === -2 ? 'deadline' : 'unknown';
    return { ok: false, reason, state: (state as AppointmentState) || null };
  }

  /**
   * Moves a ticket's place off a closed day: the old appointment records where it went, and the ticket is
   * freed in its draw's ticket → code hash so the offer on the later day can take it. The person's one
   * active slot keeps pointing at (office, draw, ticket), so it now stands for the new appointment.
   * `dayDrawDate` names the draw that fills the new day, whose waitlist a later release offers from.
   */
  async unlinkForMove(a: Pick<Appointment, 'officeId' | 'code' | 'drawDate' | 'ticket'>): Promise<void> {
    await this.redis.hdel(keys.ticketAppointment(a.officeId, a.drawDate), a.ticket);
  }

  /** Ends the person's one active slot (a place that could not be moved anywhere). */
  async releasePerson(nikHash: string, pointer: string): Promise<void> {
    await runScript(this.redis, 'personRelease', [keys.nik(nikHash)], [claimPointer(pointer)]);
  }

  async markMoved(officeId: string, code: string, movedTo: string, dayDrawDate: string): Promise<void> {
    await this.redis.hset(keys.appointment(officeId, movedTo), 'dayDrawDate', dayDrawDate);
    await this.redis.hset(keys.appointment(officeId, code), 'movedTo', movedTo);
  }

  async held(officeId: string, date: string): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(keys.dayHeld(officeId, date));
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  async forDay(officeId: string, date: string): Promise<Appointment[]> {
    const codes = await this.redis.smembers(keys.dayAppointments(officeId, date));
    const list = await Promise.all(codes.map((c) => this.get(officeId, c)));
    return list.filter((a): a is Appointment => a !== null);
  }

  async forAccount(accountId: string): Promise<Appointment[]> {
    const h = await this.redis.hgetall(keys.accountAppointments(accountId));
    const list = await Promise.all(Object.entries(h).map(([code, v]) => this.get(v.split('|')[0]!, code)));
    return list.filter((a): a is Appointment => a !== null).sort((x, y) => y.offeredAt - x.offeredAt);
  }

  /** Offers whose deadline has passed (for the sweep that backs up the delayed jobs). */
  async dueOffers(officeId: string, nowMs: number, limit = 500): Promise<string[]> {
    return this.redis.zrangebyscore(keys.openOffers(officeId), 0, nowMs, 'LIMIT', 0, limit);
  }

  async waitlist(officeId: string, date: string, start = 0, count = 200): Promise<string[]> {
    return this.redis.zrange(keys.dayWaitlist(officeId, date), String(start), String(start + count - 1));
  }

  async addToWaitlist(
    officeId: string,
    date: string,
    rows: { ticket: string; position: number }[],
  ): Promise<void> {
    const chunk = 1000;
    for (let i = 0; i < rows.length; i += chunk) {
      const args: (string | number)[] = [];
      for (const r of rows.slice(i, i + chunk)) args.push(r.position, r.ticket);
      await this.redis.zadd(keys.dayWaitlist(officeId, date), 'NX', ...args);
    }
  }

  async removeFromWaitlist(officeId: string, date: string, ticket: string): Promise<void> {
    await this.redis.zrem(keys.dayWaitlist(officeId, date), ticket);
  }

  async strike(
    nikHash: string,
    code: string,
    rules: { strikeDays: number; strikesForBan: number; banDays: number },
  ): Promise<StrikeRecord> {
    const [strikes, banned, penaltyUntil, penaltyBefore, bannedBefore] = await runScript<
      [number, number, number, number, number]
    >(
      this.redis,
      'noShowStrike',
      [keys.nikStrikes(nikHash), keys.nik(nikHash)],
      [
        code,
        this.now().getTime(),
        rules.strikeDays * 86_400_000,
        rules.strikesForBan,
        rules.banDays * 86_400_000,
      ],
    );
    // The draw reads every active penalty from one hash; the person's own record stays authoritative.
    await this.redis.hset(keys.penalties(), nikHash, String(penaltyUntil));
    return { strikes, bannedUntil: banned > 0 ? banned : null, penaltyUntil, penaltyBefore, bannedBefore };
  }

  /** Takes back a strike given in error; penalty and ban return to what they were before it. */
  async unstrike(nikHash: string, member: string, s: StrikeRecord): Promise<void> {
    const penaltyUntil = await runScript<number>(
      this.redis,
      'noShowStrikeUndo',
      [keys.nikStrikes(nikHash), keys.nik(nikHash)],
      [member, s.penaltyUntil, s.penaltyBefore, s.bannedUntil ?? 0, s.bannedBefore],
    );
    if (penaltyUntil > 0) await this.redis.hset(keys.penalties(), nikHash, String(penaltyUntil));
    else await this.redis.hdel(keys.penalties(), nikHash);
  }
}

/** A strike as recorded, with the penalty and ban it replaced (0: none), so it can be taken back. */
export interface StrikeRecord {
  strikes: number;
  bannedUntil: number | null;
  penaltyUntil: number;
  penaltyBefore: number;
  bannedBefore: number;
}
