// Public draw records: commitment before, entry list at close, seed and results after.
import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '../../http/errors.ts';
import { publicDraw } from '../../services/published-draw.ts';
import { officeIdSchema } from '../../store/offices.ts';
import type { AppEnv } from '../env.ts';

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

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
    const date = dateSchema.safeParse(c.req.param('date'));
    if (!office.success || !date.success) throw notFound('draw');
    const draw = await publicDraw(deps, office.data, date.data);
    if (!draw) throw notFound('draw');
    return c.json(draw);
  });
