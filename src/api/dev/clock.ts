// DEV_MODE only (mounted by src/app.ts when the virtual clock exists): read and move the virtual clock.
import { Hono } from 'hono';
import { z } from 'zod';
import { readJson } from '../../http/body.ts';
import { ApiError } from '../../http/errors.ts';
import { advanceClock, ClockError } from '../../services/dev-clock.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

export const clockMoveSchema = z
  .object({
    /** The instant to move to (ISO 8601 with offset). */
    to: z.iso.datetime({ offset: true }).optional(),
    /** Or how many minutes to move forward. */
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 60)
      .optional(),
  })
  .strict()
  .refine((b) => (b.to === undefined) !== (b.minutes === undefined), {
    message: 'give exactly one of to, minutes',
  });

export const clockSchema = z.object({
  now: z.string().describe('the virtual instant (ISO 8601 UTC)'),
  offsetMs: z.number().describe('how far the virtual clock is ahead of the system clock'),
});

export const clockMoveResultSchema = z.object({
  from: z.string(),
  now: z.string(),
  ran: z.number().int().describe('delayed lifecycle jobs that became due and ran'),
  ticked: z
    .number()
    .int()
    .describe('draw scheduler ticks: one per office at each instant the move stopped at'),
});

export const devClockRoutes = new Hono<AppEnv>()
  .use('*', requireStaff('admin'))
  .get('/clock', (c) => {
    const deps = c.get('deps');
    return c.json({ now: deps.now().toISOString(), offsetMs: deps.clock!.virtual!.offsetMs });
  })
  .post('/clock', async (c) => {
    const deps = c.get('deps');
    const body = await readJson(c, clockMoveSchema);
    const to = body.to ? new Date(body.to) : new Date(deps.now().getTime() + body.minutes! * 60_000);
    try {
      const move = await advanceClock(deps, to);
      deps.log.info({ from: move.from, now: move.now }, 'virtual clock moved');
      return c.json(move);
    } catch (err) {
      if (err instanceof ClockError) throw new ApiError(409, 'clock_refused', err.message);
      throw err;
    }
  });
