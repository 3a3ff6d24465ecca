// Admin: draws of an office — status, run now (200 with the draw, or 202 while a big one runs on), preview,
// public entropy, CSV export.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { targetDateFor } from '../../domain/calendar.ts';
import { calendarDate } from '../../domain/calendar-date.ts';
import type { Rules } from '../../domain/rules.ts';
import { readJson } from '../../http/body.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { currentDraw } from '../../services/current-draw.ts';
import { DrawRunner } from '../../services/draw-runner.ts';
import { officeStats } from '../../services/office-stats.ts';
import { openDraw } from '../../services/open-draw.ts';
import { publicDraw } from '../../services/published-draw.ts';
import { unpackEntry } from '../../store/entry-codec.ts';
import { type Office, officeIdSchema } from '../../store/offices.ts';
import { dateField, dateParam } from '../dates.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

/** Run now names its draw: the console sends the date it showed, never "whatever is open now". */
const runFields = (drawDate: z.ZodType<string>) =>
  z.object({ drawDate, early: z.boolean().optional() }).strict();
const previewFields = (drawDate: z.ZodType<string>) => z.object({ drawDate: drawDate.optional() }).strict();
/** The bodies as documented (src/api/openapi); requests are checked against the window around today. */
export const runSchema = runFields(calendarDate());
export const previewSchema = previewFields(calendarDate());
const runSchemaAt = (now: Date) => runFields(dateField(now));
const previewSchemaAt = (now: Date) => previewFields(dateField(now));
export const entropySchema = z.object({ value: z.string().trim().min(8).max(512) }).strict();

async function officeOr404(c: { get: (k: 'deps') => AppEnv['Variables']['deps'] }, raw: string) {
  const id = officeIdSchema.safeParse(raw);
  const deps = c.get('deps');
  const office = id.success ? await deps.offices.get(id.data) : null;
  const rules = office ? await deps.offices.rules(office.id) : null;
  if (!office || !rules) throw notFound('office');
  return { office, rules: rules.rules };
}

/** The draw named in the body, or by default the one entries are going into now. */
async function previewedDraw(c: Context<AppEnv>, office: Office, rules: Rules): Promise<string> {
  const deps = c.get('deps');
  const body = await readJson(c, previewSchemaAt(deps.now()));
  const drawDate = body.drawDate ?? (await openDraw(deps, office.id, office.tz, rules, deps.now()))?.drawDate;
  if (!drawDate) throw new ApiError(409, 'no_draw', 'this office has no draw scheduled');
  return drawDate;
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const adminDrawRoutes = new Hono<AppEnv>()
  .use('*', requireStaff('admin'))
  .get('/:office', async (c) => {
    const { office, rules } = await officeOr404(c, c.req.param('office'));
    const deps = c.get('deps');
    const dates = await deps.draws.list(office.id);
    const draws = await Promise.all(dates.map((d) => publicDraw(deps, office.id, d, { full: false })));
    return c.json({
      office,
      next: await openDraw(deps, office.id, office.tz, rules, deps.now()),
      // What "run now" would act on, with how early and how many entries its confirmation shows.
      current: await currentDraw(deps, office, rules, deps.now()),
      draws,
    });
  })
  .get('/:office/stats', async (c) => {
    const { office } = await officeOr404(c, c.req.param('office'));
    const days = z.coerce.number().int().min(1).max(366).default(30).safeParse(c.req.query('days'));
    if (!days.success) throw new ApiError(400, 'invalid_input', 'days must be 1..366');
    return c.json({ office: office.id, days: await officeStats(c.get('deps'), office.id, days.data) });
  })
  .post('/:office/run', async (c) => {
    const deps = c.get('deps');
    const { office, rules } = await officeOr404(c, c.req.param('office'));
    const now = deps.now();
    const { drawDate, early } = await readJson(c, runSchemaAt(now));
    // A repeat (double click, a second admin, a retried request) of a draw already drawn: that draw.
    if ((await deps.draws.meta(office.id, drawDate))?.state === 'drawn') {
      return c.json(await publicDraw(deps, office.id, drawDate, { full: false }));
    }
    const target = (await deps.draws.meta(office.id, drawDate))?.targetDate ?? targetDateFor(rules, drawDate);
    if (await deps.closedDays.isClosed(office.id, target)) {
      throw new ApiError(409, 'day_closed', `the office is closed on ${target}: nothing is drawn for it`);
    }
    const current = await currentDraw(deps, office, rules, now);
    if (current?.drawDate !== drawDate) {
      throw new ApiError(
        409,
        'not_current_draw',
        current
          ? `only the current draw (${current.drawDate}, ${current.state}) can be run now`
          : 'this office has no draw scheduled',
        { current },
      );
    }
    if (current.early && early !== true) {
      const minutes = Math.ceil((Date.parse(current.closesAt) - now.getTime()) / 60_000);
      throw new ApiError(
        409,
        'early_close_unconfirmed',
        `the draw closes at ${current.closesAt}, ${minutes} min from now, with ${current.entries} entries so far; send early: true to close it now`,
        { current, minutesEarly: minutes },
      );
    }
    const run = await deps.drawControl.runNow(office.id, drawDate);
    deps.log.info(
      { officeId: office.id, drawDate, early: current.early, by: c.get('staff').username },
      'draw run by admin',
    );
    // A big draw outlasts the wait: 202, and the admin page follows the draw's state until it is drawn.
    if (!run.done) return c.json({ status: 'running', officeId: office.id, drawDate, jobId: run.jobId }, 202);
    return c.json(await publicDraw(deps, office.id, drawDate, { full: false }));
  })
  .post('/:office/preview', async (c) => {
    const deps = c.get('deps');
    const { office, rules } = await officeOr404(c, c.req.param('office'));
    const drawDate = await previewedDraw(c, office, rules);
    const preview = await new DrawRunner(deps).preview(office.id, drawDate);
    return c.json({
      drawDate,
      throwawaySeed: true,
      entries: preview.entries,
      winners: preview.winners,
      perSession: preview.perSession,
      sample: preview.sample,
    });
  })
  // Dated routes sit under their own `dates` level: a parameter beside the static `stats`, `run` and
  // `preview` would make hono's RegExpRouter refuse the app and every request fall back to its TrieRouter.
  .post('/:office/dates/:date/entropy', async (c) => {
    const deps = c.get('deps');
    const { office } = await officeOr404(c, c.req.param('office'));
    const date = dateParam(c.req.param('date'), 'date', deps.now());
    const body = await readJson(c, entropySchema);
    const r = await deps.draws.setEntropy(office.id, date, body.value);
    if (r === 'not_open') {
      throw new ApiError(409, 'draw_not_open', 'public entropy can only be added while the draw is open');
    }
    if (r === 'already_set') {
      throw new ApiError(409, 'entropy_already_set', 'public entropy for this draw was already announced');
    }
    return c.json({ ok: true });
  })
  .get('/:office/dates/:date/export.csv', async (c) => {
    const deps = c.get('deps');
    const { office } = await officeOr404(c, c.req.param('office'));
    const date = dateParam(c.req.param('date'), 'date', deps.now());
    const draw = await publicDraw(deps, office.id, date);
    if (!draw?.results) throw new ApiError(409, 'not_drawn', 'the draw has no results yet');
    const lines = ['rank,ticket,session,waitlist_position,nik_masked'];
    let waitPos = 0;
    const batch = 1000;
    for (let i = 0; i < draw.results.length; i += batch) {
      const rows = draw.results.slice(i, i + batch);
      const packed = await deps.entries.packedEntries(
        office.id,
        date,
        rows.map((r) => r.ticket),
      );
      const persons = await Promise.all(
        packed.map((p) => {
          if (!p) return null;
          const e = unpackEntry(p);
          return deps.accounts.person(e.accountId, e.personId);
        }),
      );
      rows.forEach((r, j) => {
        const pos = r.sessionId ? null : ++waitPos;
        lines.push(
          [r.rank, r.ticket, r.sessionId, pos, persons[j]?.nikMasked ?? null].map(csvCell).join(','),
        );
      });
    }
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="draw-${office.id}-${date}.csv"`);
    return c.body(`${lines.join('\n')}\n`);
  });
