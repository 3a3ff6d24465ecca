// The Hono app, built by one factory used by the server, the tests and the benchmarks.
import { randomBytes } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { getPath } from 'hono/utils/url';
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
import { officerRoutes } from './api/officer/checkin.ts';
import { standbyRoutes } from './api/officer/standby.ts';
import { opsRoutes } from './api/ops.ts';
import { publicDrawRoutes } from './api/public/draws.ts';
import { publicLogRoutes } from './api/public/log.ts';
import { publicOfficeRoutes } from './api/public/offices.ts';
import { powRoutes } from './api/public/pow.ts';
import { staffAuthRoutes } from './api/staff/auth.ts';
import type { Deps } from './deps.ts';
import { bodyLimit } from './http/body-limit.ts';
import { installBoundary, type NodeEnv, requestIdOf } from './http/boundary.ts';
import { type TrustProxy, viaHttps } from './http/client-address.ts';
import {
  API_HEADERS,
  type CspDirectives,
  isApiPath,
  isPersonalPath,
  securityHeaderList,
  securityHeaderSets,
} from './http/secure-headers.ts';
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

// Request ids only need to be unique across processes, not secret: a random prefix per process and a
// counter cost nothing, where fresh random bytes per request were 3 % of a join's CPU.
const requestIdPrefix = randomBytes(6).toString('base64url');
let requestCounter = 0;
const nextRequestId = () => `${requestIdPrefix}-${(++requestCounter).toString(36)}`;

/**
 * Paths whose handlers read the request's deps and id from the context. Only these run the middleware that
 * sets them: a route without middleware is answered synchronously (see src/http/boundary.ts).
 */
const CONTEXT_PATHS = ['/api/*', '/readyz', '/metrics', `${QUEUE_BOARD_PATH}/*`];

/**
 * Whether the request came over HTTPS, directly or through a trusted proxy (src/http/client-address.ts),
 * from the request and node-server's env: it is decided before any hono context exists.
 */
function requestIsHttps(trust: TrustProxy, request: Request, env: NodeEnv): boolean {
  const direct = request.url.startsWith('https:');
  if (direct || (trust.kind === 'hops' && trust.hops === 0)) return direct;
  // app.request() in tests has no socket (as in socketAddress, src/api/middleware/rate-limit.ts).
  const peer = env.incoming
    ? (env.incoming.socket?.remoteAddress ?? 'unknown')
    : (request.headers.get('x-test-ip')?.slice(0, 64) ?? 'local');
  return viaHttps(trust, false, peer, request.headers.get('x-forwarded-proto') ?? undefined);
}

export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const pageSets = securityHeaderSets(securityHeaderList(CONTENT_SECURITY_POLICY));
  const apiSets = securityHeaderSets(API_HEADERS);
  /**
   * The pages' set or the API's (src/http/secure-headers.ts); HSTS on requests that came over HTTPS
   * (directly or through a trusted proxy), no-store on personal data.
   */
  const headersFor = (request: Request, env: NodeEnv) => {
    const path = getPath(request);
    const headerSets = isApiPath(path) ? apiSets : pageSets;
    const personal = isPersonalPath(path);
    const https = requestIsHttps(deps.config.TRUST_PROXY, request, env);
    if (https) return personal ? headerSets.httpsPersonal : headerSets.https;
    return personal ? headerSets.personal : headerSets.plain;
  };
  const debug = deps.log?.isLevelEnabled('debug') ?? false;

  const context: MiddlewareHandler<AppEnv> = async (c, next) => {
    const requestId = requestIdOf(c) ?? nextRequestId();
    c.set('requestId', requestId);
    c.set('deps', deps);
    if (!debug) return next();
    const started = performance.now();
    await next();
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
  };
  for (const path of CONTEXT_PATHS) app.use(path, context);
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
  app.route('/api/officer/standby', standbyRoutes);
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
  // An error on a route without the context middleware is logged and counted all the same.
  app.onError((err, c) => {
    if (!c.get('deps')) {
      c.set('deps', deps);
      c.set('requestId', requestIdOf(c) ?? nextRequestId());
    }
    return onError(err, c);
  });
  return installBoundary(app, {
    headersFor,
    nextRequestId,
    onStatus: (status) => deps.metrics.responseOf(status).inc(),
  });
}
