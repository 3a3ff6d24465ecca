// Public draw records: commitment before, entry list at close, seed and results after.
import { Hono } from 'hono';
import { notFound } from '../../http/errors.ts';
import { publicDraw } from '../../services/published-draw.ts';
import { officeIdSchema } from '../../store/offices.ts';
import { dateParam } from '../dates.ts';
import type { AppEnv } from '../env.ts';

export const publicDrawRoutes = new Hono<AppEnv>()
  .get('/:office', async (c) => {
    const deps = c.get('deps');
    const office = officeIdSchema.safeParse(c.req.param('office'));
    if (!office.success || !(await deps.offices.get(office.data))) throw notFound('office');
    const dates = await deps.draws.list(office.data);
    const draws = await Promise.all(dates.map((d) => publicDraw(deps, office.data, d, { full: false })));
    return c.json({ draws: draws.filter((d) => d !== null) });
  })
  .get('/:office/:date', async (c) => {
    const deps = c.get('deps');
    const office = officeIdSchema.safeParse(c.req.param('office'));
    if (!office.success) throw notFound('draw');
    const date = dateParam(c.req.param('date'), 'date', deps.now());
    const draw = await publicDraw(deps, office.data, date);
    if (!draw) throw notFound('draw');
    return c.json(draw);
  });
