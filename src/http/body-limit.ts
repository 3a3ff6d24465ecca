// Body size limit that keeps @hono/node-server's fast path. hono's bodyLimit reads `c.req.raw.body`,
// which makes node-server build a full WHATWG Request (Headers, AbortController, a web stream over the
// socket) for every POST: ~9 % of a join's CPU. A body with a Content-Length is judged by the header
// alone (Node's parser never delivers more bytes than it announces); only a body without one
// (chunked) goes through hono's streaming check.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit';

const DECIMAL_LENGTH = /^\d{1,15}$/;

export function bodyLimit(opts: Parameters<typeof streamingBodyLimit>[0]): MiddlewareHandler {
  const streaming = streamingBodyLimit(opts);
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!DECIMAL_LENGTH.test(length) || Number(length) > opts.maxSize) {
        return opts.onError ? opts.onError(c) : streaming(c, next);
      }
      return next();
    }
    return streaming(c, next);
  };
}
