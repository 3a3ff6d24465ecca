// The Hono app, built by one factory used by the server, the tests and the benchmarks.
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { adminAccountRoutes } from './api/admin/accounts.ts';
import { adminClaimRoutes } from './api/admin/claims.ts';
import { adminClosedDayRoutes } from './api/admin/closed-days.ts';
import { adminDrawRoutes } from './api/admin/draws.ts';
import { adminOfficeRoutes } from './api/admin/offices.ts';
import { QUEUE_BOARD_PATH, queueBoardRoutes } from './api/admin/queue-board.ts';
import { adminWhatIfRoutes } from './api/admin/what-if.ts';
import { appointmentRoutes } from './api/applicant/appointments.ts';
import { applicantAuthRoutes } from './api/applicant/auth.ts';
import { entryRoutes } from './api/applicant/entries.ts';
import { meRoutes } from './api/applicant/me.ts';
import { personRoutes } from './api/applicant/persons.ts';
import { devClockRoutes } from './api/dev/clock.ts';
import { docsRoutes } from './api/docs.ts';
import type { AppEnv } from './api/env.ts';
import { adminMessageRoutes, myMessageRoutes } from './api/messages.ts';
import { onError } from './api/middleware/errors.ts';
import { requestIsHttps } from './api/middleware/rate-limit.ts';
import { officerRoutes } from './api/officer/checkin.ts';
import { opsRoutes } from './api/ops.ts';
import { publicDrawRoutes } from './api/public/draws.ts';
import { publicLogRoutes } from './api/public/log.ts';
import { publicOfficeRoutes } from './api/public/offices.ts';
import { powRoutes } from './api/public/pow.ts';
import { staffAuthRoutes } from './api/staff/auth.ts';
import type { Deps } from './deps.ts';
import { bodyLimit } from './http/body-limit.ts';
import { type CspDirectives, isPersonalPath, nodeOutgoing, secureHeaders } from './http/secure-headers.ts';
import { createWebRoutes } from './web/static.ts';

const MAX_BODY_BYTES = 64 * 1024;

export const CONTENT_SECURITY_POLICY: CspDirectives = {
  defaultSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  scriptSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
};

const REQUEST_ID = /^[\w-]{8,64}$/;

// Request ids only need to be unique across processes, not secret: a random prefix per process and a
// counter cost nothing, where fresh random bytes per request were 3 % of a join's CPU.
const requestIdPrefix = randomBytes(6).toString('base64url');
let requestCounter = 0;
const nextRequestId = () => `${requestIdPrefix}-${(++requestCounter).toString(36)}`;

export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : nextRequestId();
    c.set('requestId', requestId);
    c.set('deps', deps);
    // On the Node response, not through c.header(): that would give every response an undici Headers
    // and lose node-server's fast path (see src/http/secure-headers.ts).
    const outgoing = nodeOutgoing(c);
    if (outgoing) outgoing.setHeader('x-request-id', requestId);
    else c.header('x-request-id', requestId);
    // Read once: the timing and the log line below exist only at debug level.
    const debug = deps.log.isLevelEnabled('debug');
    const started = debug ? performance.now() : 0;
    await next();
    deps.metrics.responseOf(c.res.status).inc();
    if (debug) {
      // Path only: query strings may carry contacts or tickets.
      deps.log.debug(
        {
          requestId,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: performance.now() - started,
        },
        'request',
      );
    }
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      isHttps: requestIsHttps,
      noStore: isPersonalPath,
    }),
  );
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json({ error: { code: 'body_too_large', message: 'the request body is too large' } }, 413),
    }),
  );

  app.route('/', opsRoutes);

  app.route('/api', docsRoutes);
  app.route('/api/offices', publicOfficeRoutes);
  app.route('/api/draws', publicDrawRoutes);
  app.route('/api/log', publicLogRoutes);
  app.route('/api/pow', powRoutes);
  app.route('/api/auth', applicantAuthRoutes);
  app.route('/api/me/persons', personRoutes);
  app.route('/api/me/entries', entryRoutes);
  app.route('/api/me/messages', myMessageRoutes);
  app.route('/api/me/appointments', appointmentRoutes);
  app.route('/api/me', meRoutes);
  app.route('/api/officer', officerRoutes);
  app.route('/api/staff', staffAuthRoutes);
  app.route('/api/admin/offices', adminOfficeRoutes);
  app.route('/api/admin/offices', adminWhatIfRoutes);
  app.route('/api/admin/draws', adminDrawRoutes);
  app.route('/api/admin', adminClosedDayRoutes);
  app.route('/api/admin', adminClaimRoutes);
  app.route('/api/admin', adminAccountRoutes);
  app.route('/api/admin', adminMessageRoutes);
  app.route('/', createWebRoutes({ onError: (err) => deps.log.error({ err }, 'building the pages failed') }));

  if (deps.clock?.virtual) app.route('/api/dev', devClockRoutes);
  if (deps.queues) app.route(QUEUE_BOARD_PATH, queueBoardRoutes(deps.queues));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no such route' } }, 404));
  app.onError(onError);
  return app;
}
