// Officers at the counter: the day sheet of their office, and check-in by code or scanned QR in two steps
// (look up, then confirm the arrival) with a short-lived undo. Refusals carry what to tell the applicant.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { codeFromScan, HOLDING_STATES } from '../../domain/appointment.ts';
import { localDate } from '../../domain/calendar.ts';
import { readJson } from '../../http/body.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { CounterDesk, CounterRefusal } from '../../services/counter-desk.ts';
import { officeIdSchema } from '../../store/offices.ts';
import { dateParam } from '../dates.ts';
import type { AppEnv } from '../env.ts';
import { assertOfficeAccess, requireStaff } from '../middleware/staff-auth.ts';

export const checkInSchema = z
  .object({
    code: z.string().trim().min(1).max(200),
    /** For a claimed priority: whether its document was shown. */
    proof: z.enum(['seen', 'not_seen']).optional(),
  })
  .strict();

export async function daySheet(deps: Deps, officeId: string, date: string) {
  const [office, rules] = await Promise.all([deps.offices.get(officeId), deps.offices.rules(officeId)]);
  if (!office || !rules) throw notFound('office');
  const appts = await deps.appointments.forDay(officeId, date);
  const sessions = await Promise.all(
    rules.rules.sessions.map(async (s) => {
      const mine = appts.filter((a) => a.sessionId === s.id);
      const count = (state: string) => mine.filter((a) => a.state === state).length;
      const holding = mine.filter((a) => HOLDING_STATES.includes(a.state)).length;
      const people = await Promise.all(
        mine
          .filter((a) => a.state === 'confirmed' || a.state === 'checked_in')
          .map(async (a) => {
            const p = await deps.accounts.person(a.accountId, a.personId);
            return { code: a.code, state: a.state, name: p?.name ?? '', nikMasked: p?.nikMasked ?? '' };
          }),
      );
      return {
        id: s.id,
        start: s.start,
        end: s.end,
        capacity: s.capacity,
        offered: count('offered'),
        confirmed: count('confirmed'),
        checkedIn: count('checked_in'),
        forfeited: count('forfeited'),
        cancelled: count('cancelled'),
        noShow: count('no_show'),
        free: Math.max(0, s.capacity - holding),
        people: people.sort((a, b) => a.name.localeCompare(b.name)),
      };
    }),
  );
  return { office: { id: office.id, name: office.name, tz: office.tz }, date, sessions };
}

export const officerRoutes = new Hono<AppEnv>()
  .use('*', requireStaff('officer', 'admin'))
  .get('/day-sheet', async (c) => {
    const deps = c.get('deps');
    const staff = c.get('staff');
    const officeId = c.req.query('office') ?? staff.officeId ?? '';
    if (!officeIdSchema.safeParse(officeId).success)
      throw new ApiError(400, 'invalid_input', 'office is required');
    assertOfficeAccess(staff, officeId);
    const office = await deps.offices.get(officeId);
    if (!office) throw notFound('office');
    const raw = c.req.query('date');
    const date = raw === undefined ? localDate(office.tz, deps.now()) : dateParam(raw, 'date', deps.now());
    return c.json(await daySheet(deps, officeId, date));
  })
  .post('/check-in/lookup', async (c) => {
    const { desk, staff, code } = await counterRequest(c);
    return c.json({ appointment: await asCounterApi(desk.lookup(staff, code)) });
  })
  .post('/check-in', async (c) => {
    const { desk, staff, code, deps, proof } = await counterRequest(c);
    const appointment = await asCounterApi(desk.confirm(staff, code, proof ?? null));
    deps.log.info({ officeId: appointment.officeId, by: staff.username }, 'checked in');
    return c.json({ appointment });
  })
  .post('/check-in/undo', async (c) => {
    const { desk, staff, code } = await counterRequest(c);
    return c.json({ appointment: await asCounterApi(desk.undo(staff, code)) });
  });

/** The booking code of a counter request (typed, or a scanned QR payload), and who asks. */
async function counterRequest(c: Context<AppEnv>) {
  const deps = c.get('deps');
  const body = await readJson(c, checkInSchema);
  const code = codeFromScan(body.code);
  if (!code) {
    throw new ApiError(400, 'invalid_code', 'not a booking code', {
      fields: [{ path: 'code', message: 'not a booking code' }],
    });
  }
  return { deps, desk: new CounterDesk(deps), staff: c.get('staff'), code, proof: body.proof };
}

async function asCounterApi<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof CounterRefusal) throw new ApiError(err.status, err.code, err.message, err.details);
    throw err;
  }
}
