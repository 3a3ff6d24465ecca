// Opaque random tokens (session ids, API tokens). Redis stores only their SHA-256, so a dump of the
// store cannot be replayed as a credential.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const deviceMac = (secret: string, username: string, id: string): string =>
  createHmac('sha256', secret).update(`staff-device:${username}:${id}`).digest('base64url');

/**
 * A "this browser signed in as this user before" token for the staff device cookie. Stateless (keyed by
 * APP_SECRET), so nothing is stored per device; it only lifts the per-username sign-in throttle.
 */
export function deviceToken(secret: string, username: string): string {
  const id = newToken(12);
  return `${id}.${deviceMac(secret, username, id)}`;
}

export function deviceTokenValid(secret: string, username: string, token: string | undefined): boolean {
  if (!token || token.length > 200) return false;
  const [id = '', mac = '', ...rest] = token.split('.');
  if (!id || !mac || rest.length) return false;
  return safeEqual(mac, deviceMac(secret, username, id));
}
