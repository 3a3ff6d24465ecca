// The standby line at the counter: the day's panel, an arrival by ticket, and seating a session.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { readJson } from '../../http/body.ts';
import { ApiError } from '../../http/errors.ts';
import { TICKET_ALPHABET } from '../../redis/keys.ts';
import { CounterRefusal } from '../../services/counter-desk.ts';
import { StandbyDesk } from '../../services/standby-desk.ts';
import { officeIdSchema } from '../../store/offices.ts';
import type { AppEnv } from '../env.ts';
import { assertOfficeAccess, requireStaff } from '../middleware/staff-auth.ts';

const ticket = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(new RegExp(`^[${TICKET_ALPHABET}]{12}$`), 'not a ticket code'));

export const standbyArriveSchema = z.object({ office: officeIdSchema.optional(), ticket }).strict();
export const standbySeatSchema = z
  .object({ office: officeIdSchema.optional(), session: z.string().min(1).max(40) })
  .strict();

/** The office a request acts for: the officer's own, or (admin) the one named. */
function officeFor(c: Context<AppEnv>, named: string | undefined): string {
  const staff = c.get('staff');
  const officeId = named ?? staff.officeId ?? '';
  if (!officeIdSchema.safeParse(officeId).success) {
    throw new ApiError(400, 'invalid_input', 'office is required');
  }
  assertOfficeAccess(staff, officeId);
  return officeId;
}

async function asApi<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof CounterRefusal) throw new ApiError(err.status, err.code, err.message, err.details);
    throw err;
  }
}

export const standbyRoutes = new Hono<AppEnv>()
  .use('*', requireStaff('officer', 'admin'))
  .get('/', async (c) => {
    const officeId = officeFor(c, c.req.query('office'));
    return c.json(await asApi(new StandbyDesk(c.get('deps')).panel(officeId)));
  })
  .post('/arrive', async (c) => {
    const body = await readJson(c, standbyArriveSchema);
    const officeId = officeFor(c, body.office);
    const desk = new StandbyDesk(c.get('deps'));
    return c.json({ arrived: await asApi(desk.arrive(c.get('staff'), officeId, body.ticket)) });
  })
  .post('/seat', async (c) => {
    const body = await readJson(c, standbySeatSchema);
    const officeId = officeFor(c, body.office);
    const desk = new StandbyDesk(c.get('deps'));
    return c.json(await asApi(desk.seat(c.get('staff'), officeId, body.session)));
  });

/** Response shapes, for the route table (src/api/openapi). */
export const standbyPanelSchema = z.object({
  officeId: z.string(),
  date: z.string(),
  sessions: z.array(
    z.object({
      id: z.string(),
      start: z.string(),
      standbyAt: z.string().nullable(),
      capacity: z.number(),
      free: z.number(),
    }),
  ),
  line: z.array(
    z.object({
      ticket: z.string(),
      name: z.string(),
      nikMasked: z.string(),
      groupSize: z.number(),
      arrivedAt: z.string().nullable(),
      seatedCode: z.string().nullable(),
    }),
  ),
});
export const standbyArriveResultSchema = z.object({ arrived: z.array(z.string()) });
export const standbySeatResultSchema = z.object({
  sessionId: z.string(),
  freeBefore: z.number(),
  seated: z.array(z.object({ ticket: z.string(), code: z.string() })),
});
