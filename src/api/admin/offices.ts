// Admin: offices and their versioned allocation rules.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { defaultRules, rulesSchema } from '../../domain/rules.ts';
import { readJson } from '../../http/body.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { officeIdSchema, officeInputSchema } from '../../store/offices.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

export const createSchema = z.object({ office: officeInputSchema, rules: z.unknown().optional() }).strict();
export const updateOfficeSchema = officeInputSchema.omit({ id: true }).partial().strict();
export const rulesUpdateSchema = z
  .object({
    expectedVersion: z.number().int().min(1),
    rules: rulesSchema,
    note: z.string().max(500).default(''),
  })
  .strict();

/**
 * Moves the office's draw scheduler now. The change itself is already stored: a failure here is logged
 * and left to the reconciler (workers/schedulers.ts), not turned into an error for a change that happened.
 */
async function schedulerMoved(c: Context<AppEnv>, officeId: string): Promise<void> {
  const deps = c.get('deps');
  await deps
    .onOfficeChanged?.(officeId)
    .catch((err: Error) =>
      deps.log.error({ officeId, err: err.message }, 'draw scheduler not moved; the reconciler will'),
    );
}

function officeParam(raw: string): string {
  const parsed = officeIdSchema.safeParse(raw);
  if (!parsed.success) throw notFound('office');
  return parsed.data;
}

export const adminOfficeRoutes = new Hono<AppEnv>()
  .use('*', requireStaff('admin'))
  .get('/', async (c) => {
    const { offices } = c.get('deps');
    const list = await offices.list();
    const withRules = await Promise.all(list.map(async (o) => ({ ...o, rules: await offices.rules(o.id) })));
    return c.json({ offices: withRules });
  })
  .post('/', async (c) => {
    const { offices } = c.get('deps');
    const body = await readJson(c, createSchema);
    const rules = rulesSchema.safeParse(body.rules ?? defaultRules);
    if (!rules.success) {
      throw new ApiError(400, 'invalid_input', 'invalid rules', {
        fields: rules.error.issues.map((i) => ({ path: ['rules', ...i.path].join('.'), message: i.message })),
      });
    }
    const created = await offices.create(body.office, rules.data, c.get('staff').username);
    if (!created) throw new ApiError(409, 'conflict', 'an office with this id exists');
    await schedulerMoved(c, body.office.id);
    return c.json({ office: body.office, rules: await offices.rules(body.office.id) }, 201);
  })
  .patch('/:id', async (c) => {
    const { offices } = c.get('deps');
    const id = officeParam(c.req.param('id'));
    const body = await readJson(c, updateOfficeSchema);
    if (!(await offices.get(id))) throw notFound('office');
    await offices.update(id, body);
    // A new time zone moves the draw's close, and so its scheduler.
    if (body.tz !== undefined) await schedulerMoved(c, id);
    return c.json({ office: await offices.get(id) });
  })
  .get('/:id/rules', async (c) => {
    const id = officeParam(c.req.param('id'));
    const current = await c.get('deps').offices.rules(id);
    if (!current) throw notFound('office');
    return c.json(current);
  })
  .get('/:id/rules/history', async (c) => {
    const id = officeParam(c.req.param('id'));
    const history = await c.get('deps').offices.rulesHistory(id);
    if (history.length === 0) throw notFound('office');
    return c.json({ versions: history });
  })
  .put('/:id/rules', async (c) => {
    const { offices, log } = c.get('deps');
    const id = officeParam(c.req.param('id'));
    if (!(await offices.get(id))) throw notFound('office');
    const body = await readJson(c, rulesUpdateSchema);
    const user = c.get('staff').username;
    const version = await offices.updateRules(id, body.rules, body.expectedVersion, user, body.note);
    if (!version) {
      throw new ApiError(
        409,
        'stale_version',
        'the rules changed since you loaded them; reload and try again',
      );
    }
    log.info({ officeId: id, version: version.version, by: user }, 'rules updated');
    await schedulerMoved(c, id);
    return c.json(version, 201);
  });
