// Public office list: what an applicant needs to choose where to apply and when the next draw closes.
import { Hono } from 'hono';
import type { Deps } from '../../deps.ts';
import { dailyQuota } from '../../domain/rules.ts';
import { notFound } from '../../http/errors.ts';
import { openDraw } from '../../services/open-draw.ts';
import { publicWeightRules } from '../../services/published-draw.ts';
import type { Office } from '../../store/offices.ts';
import type { AppEnv } from '../env.ts';

export async function publicOfficeView(deps: Deps, office: Office) {
  const current = await deps.offices.rules(office.id);
  if (!current) return null;
  const rules = current.rules;
  const next = await openDraw(deps, office.id, office.tz, rules, deps.now());
  return {
    id: office.id,
    name: office.name,
    address: office.address,
    tz: office.tz,
    dailyQuota: dailyQuota(rules),
    sessions: rules.sessions.map((s) => ({ id: s.id, start: s.start, end: s.end, capacity: s.capacity })),
    priorityCategories: rules.priorityCategories.map((p) => ({
      id: p.id,
      label: p.label,
      // By age from the NIK (never claimed), or the document to bring when claiming it.
      minAge: p.minAge ?? null,
      proof: p.proof ?? null,
    })),
    rulesVersion: current.version,
    // Every published draw's weights can be recomputed from these (docs/draw-spec.md).
    weightRules: publicWeightRules(current.version, rules),
    nextDraw: next,
  };
}

export const publicOfficeRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const deps = c.get('deps');
    const offices = await deps.offices.list();
    const views = await Promise.all(offices.map((o) => publicOfficeView(deps, o)));
    return c.json({ offices: views.filter((v) => v !== null) });
  })
  .get('/:id', async (c) => {
    const deps = c.get('deps');
    const office = await deps.offices.get(c.req.param('id').slice(0, 60));
    const view = office ? await publicOfficeView(deps, office) : null;
    if (!view) throw notFound('office');
    return c.json({ office: view });
  });
