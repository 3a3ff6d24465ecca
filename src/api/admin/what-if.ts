// Admin: try a rule change on an office before applying it. POST /api/admin/offices/:id/what-if with
// {rules, days?} runs the office's current rules and the proposed ones through the fairslot simulation on
// the office's recent demand (src/sim/what-if.ts) and returns both outcomes side by side.
// Each run starts a private redis-server and takes seconds, so requests are capped (days, entries per draw)
// and run one at a time per process.
import { Hono } from 'hono';
import { z } from 'zod';
import { diffRules, rulesSchema } from '../../domain/rules.ts';
import { readJson } from '../../http/body.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { RedisServerMissingError } from '../../redis/embedded.ts';
import { runWhatIf, WHAT_IF_LIMITS } from '../../sim/what-if.ts';
import { officeIdSchema } from '../../store/offices.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

export const whatIfSchema = z
  .object({
    rules: rulesSchema,
    days: z.number().int().min(7).max(WHAT_IF_LIMITS.maxDays).default(WHAT_IF_LIMITS.defaultDays),
  })
  .strict();

let running = false;

// The middleware sits on the route, not on '*': this sub-app shares its mount point with adminOfficeRoutes.
export const adminWhatIfRoutes = new Hono<AppEnv>().post('/:id/what-if', requireStaff('admin'), async (c) => {
  const deps = c.get('deps');
  const id = officeIdSchema.safeParse(c.req.param('id'));
  const office = id.success ? await deps.offices.get(id.data) : null;
  const current = office ? await deps.offices.rules(office.id) : null;
  if (!office || !current) throw notFound('office');
  const body = await readJson(c, whatIfSchema);
  if (running) {
    throw new ApiError(429, 'busy', 'another what-if is running; try again shortly', {
      retryAfterSeconds: 10,
    });
  }
  running = true;
  try {
    const dates = await deps.draws.list(office.id, WHAT_IF_LIMITS.recentDraws);
    const metas = await Promise.all(dates.map((d) => deps.draws.meta(office.id, d)));
    const recentEntryCounts = metas
      .filter((m) => m?.state === 'drawn' && m.entryCount !== null)
      .map((m) => m!.entryCount!);
    const started = performance.now();
    const result = await runWhatIf({
      office,
      currentRules: current.rules,
      proposedRules: body.rules,
      days: body.days,
      recentEntryCounts,
      now: deps.now(),
      redisBin: deps.config.REDIS_SERVER_BIN,
    });
    deps.log.info(
      {
        officeId: office.id,
        by: c.get('staff').username,
        days: result.days,
        ms: Math.round(performance.now() - started),
      },
      'what-if simulated',
    );
    return c.json({
      office: { id: office.id, name: office.name },
      currentRulesVersion: current.version,
      changes: diffRules(current.rules, body.rules),
      ...result,
    });
  } catch (err) {
    if (err instanceof RedisServerMissingError) {
      throw new ApiError(503, 'unavailable', 'what-if needs redis-server installed on this host');
    }
    throw err;
  } finally {
    running = false;
  }
});
