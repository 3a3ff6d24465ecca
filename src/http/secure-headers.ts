// The security headers of hono's secureHeaders (its defaults, adjusted below, plus our
// Content-Security-Policy, a Permissions-Policy, HSTS on HTTPS and no-store on personal data), without its
// cost. hono's middleware calls `c.res.headers.set()` a dozen times after every handler: that turns the
// response's plain header object into an undici Headers (every name and value checked through WebIDL),
// which @hono/node-server then iterates, sorted, back into an object for writeHead, ~8 % of a join's CPU.
// Here the four lists an answer can need (HTTPS or not × personal or not) are built once, at start-up, and
// src/http/boundary.ts puts the request's one on every answer: under
// node-server straight onto the ServerResponse before the app runs, so Node merges it into whatever the
// response brings at writeHead, a plain header object keeps node-server's fast path, and every answer
// (errors, 404s, HEAD, streams, and the 500 node-server writes itself when a stream fails) carries it.
//
// Differences from hono's middleware, on the Node path only: a handler that sets one of these headers itself
// keeps its own value (writeHead's fields take precedence over setHeader's, where hono's `overwrite: true`
// replaced it), and an X-Powered-By on the Response is not removed. No route sets either;
// tests/http/response-headers.test.ts pins every value, and the absence of X-Powered-By, on every kind of
// answer.

/** Header name → value pairs, in the order they are sent. */
export type HeaderList = readonly (readonly [string, string])[];

/**
 * hono's secureHeaders defaults, in its order, with X-Frame-Options DENY (the CSP's frame-ancestors 'none'
 * says the same to browsers that read it) and without Strict-Transport-Security, which is sent only on
 * HTTPS. Names in lower case: what the wire carried before (undici lower-cases them), and Node's setHeader
 * then keys its table by the same string instead of making a lower-case copy of each name on every request.
 */
const DEFAULT_HEADERS: HeaderList = [
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

export function securityHeaderList(csp: CspDirectives): HeaderList {
  return [...DEFAULT_HEADERS, ['content-security-policy', cspText(csp)]];
}

/**
 * What a JSON answer (the API, probes, metrics) needs, per the OWASP REST Security cheat sheet: no
 * sniffing, no framing, a policy that lets the answer load nothing should a browser show it as a page, and
 * no cross-origin reads. The rest of the document set (COOP, Origin-Agent-Cluster, Referrer-Policy,
 * Permissions-Policy, the legacy X- headers) only means something to a page a browser renders; on every API
 * answer it cost 471 more bytes and ~3–4 µs of server CPU (setHeader and writeHead, 4 lines against 12).
 */
export const API_HEADERS: HeaderList = [
  ['cross-origin-resource-policy', 'same-origin'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
];

/** The headers of one kind of answer, each list built once: index by `https` and `personal`. */
export interface SecurityHeaderSets {
  plain: HeaderList;
  https: HeaderList;
  personal: HeaderList;
  httpsPersonal: HeaderList;
}

/** The four variants of a base list: the pages' (securityHeaderList) or API_HEADERS. */
export function securityHeaderSets(base: HeaderList): SecurityHeaderSets {
  return {
    plain: base,
    https: [...base, HSTS],
    // A route's own Cache-Control would win at writeHead; none under the personal paths sets one.
    personal: [...base, NO_STORE],
    httpsPersonal: [...base, HSTS, NO_STORE],
  };
}

/**
 * Paths that answer JSON (or, /metrics, text for a scraper), never a page: /api except its Swagger UI,
 * and the probes. Anything else, unknown paths included, gets the pages' set.
 */
export function isApiPath(path: string): boolean {
  if (path.startsWith('/api/'))
    return !(path.startsWith('/api/docs') && (path.length === 9 || path[9] === '/'));
  return path === '/healthz' || path === '/readyz' || path === '/metrics';
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
