// The staff device token lifts the sign-in throttle for a browser that signed in before; it must be bound
// to the user, unforgeable, and expire on the server whatever the browser keeps.
import { describe, expect, it } from 'vitest';
import { deviceToken, deviceTokenValid } from '../../src/auth/tokens.ts';

const SECRET = 'device-token-secret-0123456789abcdef0123';
const DAY_S = 86_400;
const T0 = Date.parse('2026-11-28T00:00:00Z');

describe('staff device token', () => {
  it('is valid for its user until it is maxAge old, then never', () => {
    const token = deviceToken(SECRET, 'ayu', T0);
    expect(deviceTokenValid(SECRET, 'ayu', token, 180 * DAY_S, T0)).toBe(true);
    expect(deviceTokenValid(SECRET, 'ayu', token, 180 * DAY_S, T0 + 179 * DAY_S * 1000)).toBe(true);
    expect(deviceTokenValid(SECRET, 'ayu', token, 180 * DAY_S, T0 + 181 * DAY_S * 1000)).toBe(false);
  });

  it('is refused for another user, another secret, or with its time or MAC changed', () => {
    const token = deviceToken(SECRET, 'ayu', T0);
    const [id, issued, mac] = token.split('.');
    const now = T0 + 1000;
    expect(deviceTokenValid(SECRET, 'budi', token, 180 * DAY_S, now)).toBe(false);
    expect(deviceTokenValid(`${SECRET}x`, 'ayu', token, 180 * DAY_S, now)).toBe(false);
    // Moving the issue time forward to stretch the token's life breaks the MAC.
    expect(deviceTokenValid(SECRET, 'ayu', `${id}.${Number(issued) + DAY_S}.${mac}`, 180 * DAY_S, now)).toBe(
      false,
    );
    expect(deviceTokenValid(SECRET, 'ayu', `${id}.${issued}.${mac}x`, 180 * DAY_S, now)).toBe(false);
    expect(deviceTokenValid(SECRET, 'ayu', `${id}.${mac}`, 180 * DAY_S, now)).toBe(false);
    expect(deviceTokenValid(SECRET, 'ayu', undefined, 180 * DAY_S, now)).toBe(false);
    expect(deviceTokenValid(SECRET, 'ayu', 'x'.repeat(500), 180 * DAY_S, now)).toBe(false);
  });
});
