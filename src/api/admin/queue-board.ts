// The BullMQ dashboard (@bull-board/hono), for admins only. Read-only: its UI cannot send our CSRF
// header, and retrying or deleting jobs by hand would bypass the idempotency the jobs rely on.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Queues } from '../../queues.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

export const QUEUE_BOARD_PATH = '/admin/queues';

export function queueBoardRoutes(queues: Queues): Hono<AppEnv> {
  const adapter = new HonoAdapter(serveStatic);
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: [queues.draw, queues.lifecycle, queues.notify, queues.maintenance].map(
      (q) => new BullMQAdapter(q, { readOnlyMode: true }),
    ),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'fairslot queues' } },
  });
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff('admin'));
  app.route('/', adapter.registerPlugin() as unknown as Hono<AppEnv>);
  return app;
}
