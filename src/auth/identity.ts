// Keyed hashes of personal identifiers. Redis never holds a plaintext NIK: only HMAC-SHA256 under
// NIK_HASH_KEY (so a leaked dump cannot be reversed by hashing all 10^16 candidates without the key).
import { createHmac } from 'node:crypto';

// 128 bits of the HMAC: collisions among ~280 million residents are out of reach (birthday bound ~2^64),
// and the shorter value is stored once per entry and per person key.
export const nikHash = (key: string, nik: string): string =>
  createHmac('sha256', key).update(`nik:${nik}`).digest('base64url').slice(0, 22);

/**
 * A short public name for a NIK hashing key, stored on each person binding (field `key`), so an operator
 * can count the persons a rotation has not moved yet without the key itself.
 */
export const nikKeyId = (key: string): string =>
  createHmac('sha256', key).update('nik-key-id').digest('hex').slice(0, 12);

export const contactHash = (key: string, contact: string): string =>
  createHmac('sha256', key).update(`contact:${contact}`).digest('base64url').slice(0, 32);

export const ipHash = (key: string, ip: string): string =>
  createHmac('sha256', key).update(`ip:${ip}`).digest('base64url').slice(0, 22);

export const otpHash = (key: string, contact: string, code: string): string =>
  createHmac('sha256', key).update(`otp:${contact}:${code}`).digest('base64url');
