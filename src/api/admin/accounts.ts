// Admin: abuse flags and account blocking.
import { Hono } from 'hono';
import { z } from 'zod';
import { maskContact } from '../../domain/contact.ts';
import { readJson } from '../../http/body.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { resolvedEntriesOf, withGroups } from '../../services/outcomes.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

const idSchema = z.string().regex(/^[a-z0-9]{12}$/);
export const blockSchema = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const adminAccountRoutes = new Hono<AppEnv>()
  .use('*', requireStaff('admin'))
  .get('/flags', async (c) => {
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) throw new ApiError(400, 'invalid_input', 'limit 1-500, offset ≥ 0');
    return c.json(await c.get('deps').flags.list(q.data.limit, q.data.offset));
  })
  .get('/accounts/:id', async (c) => {
    const deps = c.get('deps');
    const id = idSchema.safeParse(c.req.param('id'));
    const account = id.success ? await deps.accounts.get(id.data) : null;
    if (!account) throw notFound('account');
    const [persons, entries, counters] = await Promise.all([
      deps.accounts.persons(account.id),
      resolvedEntriesOf(deps, account.id),
      deps.accounts.counters(account.id),
    ]);
    return c.json({
      account: { ...account, contact: maskContact(account.contact) },
      persons: persons.map((p) => ({ id: p.id, name: p.name, nikMasked: p.nikMasked, category: p.category })),
      entries: withGroups(entries),
      counters,
    });
  })
  .post('/accounts/:id/block', async (c) => {
    const deps = c.get('deps');
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw notFound('account');
    const body = await readJson(c, blockSchema);
    const result = await deps.accountControl.block(id.data, c.get('staff').username, body.reason);
    if (!result) throw notFound('account');
    return c.json(result);
  })
  .post('/accounts/:id/unblock', async (c) => {
    const deps = c.get('deps');
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success || !(await deps.accounts.setBlocked(id.data, false, c.get('staff').username))) {
      throw notFound('account');
    }
    return c.json({ ok: true, blocked: false });
  });
