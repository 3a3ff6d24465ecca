// The security headers of hono's secureHeaders (its defaults plus our Content-Security-Policy), without its
// cost. hono's middleware calls `c.res.headers.set()` a dozen times after every handler: that turns the
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
 * hono's secureHeaders defaults, in its order (Cross-Origin-Embedder-Policy is off by default there). Names
 * in lower case: what the wire carried before (undici lower-cases them), and Node's setHeader then keys
 * its table by the same string instead of making a lower-case copy of each name on every request.
 */
const DEFAULT_HEADERS: readonly (readonly [string, string])[] = [
  ['cross-origin-resource-policy', 'same-origin'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=15552000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
];

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

export function secureHeaders(opts: { contentSecurityPolicy: CspDirectives }): MiddlewareHandler {
  const headers = securityHeaderList(opts.contentSecurityPolicy);
  return async (c, next) => {
    const outgoing = nodeOutgoing(c);
    if (outgoing) {
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      await next();
      return;
    }
    await next();
    const target = c.res.headers;
    for (const [name, value] of headers) target.set(name, value);
    target.delete('x-powered-by');
  };
}
