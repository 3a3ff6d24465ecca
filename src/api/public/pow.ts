// Proof-of-work challenges for the browser (and the demo CLI) to solve before costly public writes.
import { Hono } from 'hono';
import { ApiError } from '../../http/errors.ts';
import type { AppEnv } from '../env.ts';
import { limitByIp } from '../middleware/rate-limit.ts';

export const powRoutes = new Hono<AppEnv>().get(
  '/challenge',
  limitByIp({ bucket: 'pow-ip', limit: 600, windowSeconds: 600 }),
  async (c) => {
    const purpose = c.req.query('purpose');
    if (purpose !== 'code' && purpose !== 'entry') {
      throw new ApiError(400, 'invalid_input', 'purpose must be code or entry');
    }
    c.header('cache-control', 'no-store');
    return c.json(await c.get('deps').pow.challenge(purpose));
  },
);
