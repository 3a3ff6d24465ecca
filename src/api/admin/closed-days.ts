// Admin: closing an office for a service day (its appointments moved to later days), and loading the
// yearly national list of days off (holidays/*.json) for every office at once.
import { Hono } from 'hono';
import { z } from 'zod';
import { calendarDateSchema, closeReasonSchema, holidayListSchema } from '../../domain/closed-days.ts';
import { readJson } from '../../http/body.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { officeIdSchema } from '../../store/offices.ts';
import type { AppEnv } from '../env.ts';
import { asApi } from '../lifecycle-errors.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

export const closeSchema = z.object({ date: calendarDateSchema, reason: closeReasonSchema }).strict();

export const adminClosedDayRoutes = new Hono<AppEnv>()
  .use('*', requireStaff('admin'))
  .get('/offices/:id/closed-days', async (c) => {
    const deps = c.get('deps');
    const id = officeIdSchema.safeParse(c.req.param('id'));
    if (!id.success || !(await deps.offices.get(id.data))) throw notFound('office');
    const [closings, log, national] = await Promise.all([
      deps.closedDays.closings(id.data),
      deps.closedDays.log(id.data),
      deps.closedDays.national(),
    ]);
    return c.json({ officeId: id.data, closings, national, log });
  })
  .post('/offices/:id/closed-days', async (c) => {
    const deps = c.get('deps');
    const id = officeIdSchema.safeParse(c.req.param('id'));
    if (!id.success || !(await deps.offices.get(id.data))) throw notFound('office');
    const body = await readJson(c, closeSchema);
    const by = c.get('staff').username;
    const result = await asApi(deps.lifecycle.closeDay(id.data, body.date, body.reason, by));
    const closing = await deps.closedDays.closing(id.data, body.date);
    return c.json({ closing, ...result }, result.alreadyClosed ? 200 : 201);
  })
  .get('/holidays', async (c) => {
    const year = z.coerce.number().int().min(2000).max(2100).optional().safeParse(c.req.query('year'));
    if (!year.success) throw new ApiError(400, 'invalid_input', 'year must be 2000..2100');
    return c.json({ days: await c.get('deps').closedDays.national(year.data) });
  })
  .post('/holidays', async (c) => {
    const deps = c.get('deps');
    const list = await readJson(c, holidayListSchema);
    const by = c.get('staff').username;
    const changes = await deps.closedDays.loadNational(list, by);
    deps.log.info({ year: list.year, days: list.days.length, by }, 'national days off loaded');
    return c.json({ year: list.year, days: list.days.length, ...changes });
  });
