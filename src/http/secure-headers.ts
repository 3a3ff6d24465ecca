// The security headers of hono's secureHeaders (its defaults, adjusted below, plus our Content-Security-Policy,
// a Permissions-Policy, HSTS on HTTPS and no-store on personal data), without its cost. hono's middleware calls `c.res.headers.set()` a dozen times after every handler: that turns the
// response's plain header object into an undici Headers (every name and value checked through WebIDL),
// which @hono/node-server then iterates, sorted, back into an object for writeHead, ~8 % of a join's CPU.
// Here the list is built once, and under node-server the headers go straight onto the ServerResponse
// before the handler runs: Node merges them into whatever the response brings at writeHead, so a plain
// header object keeps node-server's fast path, and every answer (errors, 404s, HEAD, streams, and the
// 500 node-server writes itself when a stream fails) carries them. Elsewhere (app.request() in tests,
// other runtimes) they are set on the Response as hono does.
//
// Differences from hono's middleware, on the Node path only: a handler that sets one of these headers itself
// keeps its own value (writeHead's fields take precedence over setHeader's, where hono's `overwrite: true`
// replaced it), and an X-Powered-By on the Response is not removed. No route sets either;
// tests/http/response-headers.test.ts pins every value, and the absence of X-Powered-By, on every kind of
// answer.
import type { Context, MiddlewareHandler } from 'hono';

/**
 * hono's secureHeaders defaults, in its order, with X-Frame-Options DENY (the CSP's frame-ancestors 'none'
 * says the same to browsers that read it) and without Strict-Transport-Security, which is sent only on
 * HTTPS (see secureHeaders). Names in lower case: what the wire carried before (undici lower-cases them),
 * and Node's setHeader then keys its table by the same string instead of making a lower-case copy of each
 * name on every request.
 */
const DEFAULT_HEADERS: readonly (readonly [string, string])[] = [
  ['cross-origin-resource-policy', 'same-origin'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'DENY'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
  // The officer page scans QR codes with the camera; nothing uses any other powerful feature.
  [
    'permissions-policy',
    'accelerometer=(), camera=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
  ],
];

/** Sent only on requests that arrived over HTTPS: over plain HTTP browsers ignore it (RFC 6797 §8.1). */
export const HSTS: readonly [string, string] = [
  'strict-transport-security',
  'max-age=15552000; includeSubDomains',
];

/** On answers that carry personal data: no browser, proxy or shared computer keeps a copy. */
export const NO_STORE: readonly [string, string] = ['cache-control', 'no-store'];

/** Directive → sources, with camelCase names as in hono's `contentSecurityPolicy` option. */
export type CspDirectives = Record<string, readonly string[]>;

/** The policy text hono writes for the same directives: `default-src 'self'; img-src 'self' data:`. */
export function cspText(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`), ...sources].join(' '))
    .join('; ');
}

export function securityHeaderList(csp: CspDirectives): readonly (readonly [string, string])[] {
  return [...DEFAULT_HEADERS, ['content-security-policy', cspText(csp)]];
}

/** The Node response when the app runs under @hono/node-server (its `c.env`), else undefined. */
export function nodeOutgoing(c: Context): { setHeader(name: string, value: string): unknown } | undefined {
  return (c.env as { outgoing?: { setHeader(name: string, value: string): unknown } } | undefined)?.outgoing;
}

export interface SecureHeaderOptions {
  contentSecurityPolicy: CspDirectives;
  /** Whether this request came over HTTPS (directly or through a trusted proxy): HSTS is sent then. */
  isHttps: (c: Context) => boolean;
  /** Whether the answer to this path may carry personal data: `Cache-Control: no-store` then. */
  noStore: (path: string) => boolean;
}

export function secureHeaders(opts: SecureHeaderOptions): MiddlewareHandler {
  const headers = securityHeaderList(opts.contentSecurityPolicy);
  return async (c, next) => {
    const hsts = opts.isHttps(c);
    const noStore = opts.noStore(c.req.path);
    const outgoing = nodeOutgoing(c);
    if (outgoing) {
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      if (hsts) outgoing.setHeader(HSTS[0], HSTS[1]);
      // A route's own Cache-Control would win at writeHead; none under these paths sets one.
      if (noStore) outgoing.setHeader(NO_STORE[0], NO_STORE[1]);
      await next();
      return;
    }
    await next();
    const target = c.res.headers;
    for (const [name, value] of headers) target.set(name, value);
    if (hsts) target.set(HSTS[0], HSTS[1]);
    if (noStore) target.set(NO_STORE[0], NO_STORE[1]);
    target.delete('x-powered-by');
  };
}

/** Path prefixes whose answers may carry personal data (accounts, persons, appointments, staff views). */
export const PERSONAL_PATHS = [
  '/api/me',
  '/api/auth',
  '/api/staff',
  '/api/admin',
  '/api/officer',
  '/admin/queues',
];

export function isPersonalPath(path: string): boolean {
  for (const p of PERSONAL_PATHS) {
    if (path.startsWith(p) && (path.length === p.length || path[p.length] === '/')) return true;
  }
  return false;
}
