// Per-IP rate limit on public writes; handlers add per-account and per-contact limits themselves.

import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { clientAddress } from '../../http/client-address.ts';
import { ApiError } from '../../http/errors.ts';
import type { Limit, LimitResult } from '../../store/rate-limits.ts';
import type { AppEnv } from '../env.ts';

/** The socket's peer: the client itself, or the nearest proxy. */
export function socketAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return c.req.header('x-test-ip')?.slice(0, 64) ?? 'local';
  }
}

/** The client's address by TRUST_PROXY (src/http/client-address.ts), at most 64 characters. */
export function clientIp(c: Context<AppEnv>): string {
  const trust = c.get('deps').config.TRUST_PROXY;
  const peer = socketAddress(c);
  if (trust.kind === 'hops' && trust.hops === 0) return peer;
  return clientAddress(trust, peer, c.req.header('x-forwarded-for')).slice(0, 64);
}

const behindProxy = (c: Context<AppEnv>): boolean => {
  const trust = c.get('deps').config.TRUST_PROXY;
  return trust.kind === 'list' || trust.hops > 0;
};

/** A limit as configured for this deployment (RATE_LIMIT_MULTIPLIER). */
export const scaledLimit = (c: Context<AppEnv>, limit: Limit): Limit => ({
  ...limit,
  limit: limit.limit * c.get('deps').config.RATE_LIMIT_MULTIPLIER,
});

/** Throws 429 when a limit refused the hit. */
export function assertAllowed(r: LimitResult): void {
  if (!r.allowed) {
    throw new ApiError(429, 'rate_limited', 'too many requests, slow down', {
      retryAfterSeconds: r.retryAfterSeconds,
    });
  }
}

export async function enforceLimit(c: Context<AppEnv>, limit: Limit, id: string): Promise<void> {
  assertAllowed(await c.get('deps').rateLimiter.hit(scaledLimit(c, limit), id));
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The address an IP limit counts this request against, or null for the operator's own machine. */
export function limitedIp(c: Context<AppEnv>): string | null {
  const ip = clientIp(c);
  return behindProxy(c) || !LOOPBACK.test(ip) ? ip : null;
}

/**
 * Per-IP limit. A direct loopback client is the operator's own machine (the demo, scripts) and is not
 * IP-limited; behind a reverse proxy set TRUST_PROXY so the forwarded address counts instead.
 * Per-account and per-contact limits apply to everyone.
 */
export function limitByIp(limit: Limit): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ip = limitedIp(c);
    if (ip !== null) await enforceLimit(c, limit, ip);
    await next();
  };
}
