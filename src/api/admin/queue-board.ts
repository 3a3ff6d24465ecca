// The BullMQ dashboard (@bull-board/hono), for admins only. Read-only: its UI cannot send our CSRF
// header, and retrying or deleting jobs by hand would bypass the idempotency the jobs rely on.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Queues } from '../../queues.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/staff-auth.ts';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** A <link> (stylesheet, preconnect, font) to another origin: bull-board's page asks Google for fonts. */
const FOREIGN_LINK = /<link\b[^>]*\bhref=["']?(?:https?:)?\/\/[^>]*>\s*/gi;

/**
 * bull-board's page links IBM Plex from fonts.googleapis.com: every admin who opens it would tell Google,
 * and the CSP blocks it anyway. The link is dropped, so the page asks nothing of anyone but us and falls
 * back to the system font.
 */
const withoutThirdParty: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.get('content-type')?.startsWith('text/html')) return;
  const { status } = c.res;
  const html = await c.res.text();
  const headers = new Headers(c.res.headers);
  headers.delete('content-length');
  // Cleared first: hono's setter would otherwise copy the old headers (and length) onto the new answer.
  c.res = undefined;
  c.res = new Response(html.replace(FOREIGN_LINK, ''), { status, headers });
};

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
  app.use('*', withoutThirdParty);
  app.route('/', adapter.registerPlugin() as unknown as Hono<AppEnv>);
  return app;
}
