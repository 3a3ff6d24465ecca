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

const deviceMac = (secret: string, username: string, id: string, issuedAtS: string): string =>
  createHmac('sha256', secret).update(`staff-device:${username}:${id}:${issuedAtS}`).digest('base64url');

/**
 * A "this browser signed in as this user before" token for the staff device cookie. Stateless (keyed by
 * APP_SECRET), so nothing is stored per device; it only lifts the per-username sign-in throttle. It carries
 * its issue time under the MAC, so a copied cookie stops working after maxAgeS whatever the browser keeps.
 */
export function deviceToken(secret: string, username: string, nowMs = Date.now()): string {
  const id = newToken(12);
  const issuedAtS = String(Math.floor(nowMs / 1000));
  return `${id}.${issuedAtS}.${deviceMac(secret, username, id, issuedAtS)}`;
}

export function deviceTokenValid(
  secret: string,
  username: string,
  token: string | undefined,
  maxAgeS: number,
  nowMs = Date.now(),
): boolean {
  if (!token || token.length > 200) return false;
  const [id = '', issuedAtS = '', mac = '', ...rest] = token.split('.');
  if (!id || !/^\d{1,12}$/.test(issuedAtS) || !mac || rest.length) return false;
  const ageS = nowMs / 1000 - Number(issuedAtS);
  if (ageS < -300 || ageS > maxAgeS) return false;
  return safeEqual(mac, deviceMac(secret, username, id, issuedAtS));
}
