// Turns every failure into the {error: {code, message}} shape. Redis being unreachable is a 503 the
// client can retry, not a 500; anything unexpected is logged with the request id and answered 500.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../../http/errors.ts';
import type { AppEnv } from '../env.ts';

function isRedisDown(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string };
  return (
    e?.name === 'MaxRetriesPerRequestError' ||
    e?.code === 'ECONNREFUSED' ||
    // 'Command timed out': a hung Redis (see FAIL_FAST_COMMAND_TIMEOUT_MS in src/redis/connection.ts).
    /Connection is closed|Stream isn't writeable|enableOfflineQueue|ECONNREFUSED|CLUSTERDOWN|Command timed out/.test(
      e?.message ?? '',
    )
  );
}

/**
 * The client went away while its body was being read (it hung up mid-upload, or sent a broken chunked
 * body that Node's parser already answered with 400). Nothing to answer and nothing wrong here: not a 500
 * and not an error-level log line, which would page someone for other people's bad connections.
 */
function isClientAbort(err: unknown): boolean {
  const e = err as { message?: string; code?: string };
  return e?.message === 'aborted' && e?.code === 'ECONNRESET';
}

export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) {
    c.get('deps')?.metrics.rejects.inc({ code: err.code });
    if (err.extra.retryAfterSeconds) c.header('Retry-After', String(err.extra.retryAfterSeconds));
    const { retryAfterSeconds: _r, ...extra } = err.extra;
    return c.json({ error: { code: err.code, message: err.message, ...extra } }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'body_too_large' : 'bad_request';
    const message = status === 413 ? 'the request body is too large' : err.message || 'bad request';
    return c.json({ error: { code, message } }, status);
  }
  const log = c.get('deps')?.log;
  if (isClientAbort(err)) {
    log?.debug({ requestId: c.get('requestId') }, 'client aborted the request');
    return c.json({ error: { code: 'aborted', message: 'the request was aborted' } }, 400);
  }
  if (isRedisDown(err)) {
    log?.warn({ requestId: c.get('requestId'), err: err.message }, 'redis unavailable');
    c.get('deps')?.metrics.serverErrors.inc({ cause: 'unavailable' });
    c.header('Retry-After', '5');
    return c.json(
      { error: { code: 'unavailable', message: 'service temporarily unavailable, try again' } },
      503,
    );
  }
  log?.error({ requestId: c.get('requestId'), err }, 'unhandled error');
  c.get('deps')?.metrics.serverErrors.inc({ cause: 'internal' });
  return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
}
