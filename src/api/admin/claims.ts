// Admin: how often arrivals at each office claim priority, and how often the document was missing.
import { Hono } from 'hono';
import { notFound } from '../../http/errors.ts';
import { officeIdSchema } from '../../store/offices.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

export const adminClaimRoutes = new Hono<AppEnv>()
  .use('*', requireStaff('admin'))
  .get('/claims', async (c) => {
    const deps = c.get('deps');
    const offices = await deps.offices.list();
    const rows = await Promise.all(
      offices.map(async (o) => ({
        officeId: o.id,
        officeName: o.name,
        ...(await deps.priorityClaims.rates(o.id)),
      })),
    );
    return c.json({ offices: rows });
  })
  .get('/offices/:id/claims', async (c) => {
    const deps = c.get('deps');
    const id = officeIdSchema.safeParse(c.req.param('id'));
    if (!id.success || !(await deps.offices.get(id.data))) throw notFound('office');
    return c.json({ officeId: id.data, ...(await deps.priorityClaims.rates(id.data)) });
  });
