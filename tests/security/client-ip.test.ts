// The client's address behind reverse proxies (TRUST_PROXY), over a real socket: the address the last
// trusted proxy saw counts, so rotating X-Forwarded-For neither escapes the code-check limit nor the staff
// lockout. The proxies are played by this test: the server sees 127.0.0.1 as its peer, and each request
// carries what a client could forge on the left and what our proxies appended on the right.
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseTrustProxy } from '../../src/config.ts';
import { clientAddress } from '../../src/http/client-address.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

interface Served {
  sys: TestSystem;
  server: ServerType;
  base: string;
}

async function served(env: Record<string, string>): Promise<Served> {
  const sys = await startTestSystem({ RATE_LIMIT_MULTIPLIER: '1', ...env });
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  const server = serve({ fetch: sys.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return { sys, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(s: Served | undefined): Promise<void> {
  if (!s) return;
  await new Promise<void>((r) => s.server.close(() => r()));
  await s.sys.stop();
}

async function post(s: Served, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Sends `send(i)` until a 429; returns how many were answered before it (or the cap if never). */
async function untilLimited(send: (i: number) => Promise<{ status: number }>, cap: number): Promise<number> {
  for (let i = 0; i < cap; i++) {
    if ((await send(i)).status === 429) return i;
  }
  return cap;
}

describe('TRUST_PROXY', () => {
  it('takes the address the last trusted proxy saw', () => {
    const one = parseTrustProxy('1');
    const two = parseTrustProxy('2');
    const list = parseTrustProxy('loopback, 10.0.0.0/8');
    // Nothing trusted: the socket's peer, whatever the header says.
    expect(clientAddress(parseTrustProxy('false'), '203.0.113.7', '10.9.0.1')).toBe('203.0.113.7');
    expect(clientAddress(one, '127.0.0.1', '10.9.0.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress(one, '127.0.0.1', '10.8.0.1, 127.0.0.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress(two, '127.0.0.1', '10.9.0.1, 203.0.113.7, 10.0.0.5')).toBe('203.0.113.7');
    expect(clientAddress(list, '127.0.0.1', '10.9.0.1, 203.0.113.7, 10.0.0.5')).toBe('203.0.113.7');
    // A peer that is not a listed proxy is the client, and its header means nothing.
    expect(clientAddress(list, '198.51.100.4', '10.0.0.5')).toBe('198.51.100.4');
    // An IPv4 peer on a dual-stack socket, and garbage where a proxy's hop should be.
    expect(clientAddress(one, '::ffff:127.0.0.1', '::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress(one, '127.0.0.1', 'not-an-ip')).toBe('127.0.0.1');
    // Fewer hops than proxies configured: the leftmost there is.
    expect(clientAddress(two, '127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
  });

  it('refuses values that would trust a forged header, in one line naming the variable', () => {
    const base = { NODE_ENV: 'test' };
    for (const bad of ['true', 'yes', 'every proxy', '10.0.0.0/33', '300.1.1.1', '11']) {
      let message = '';
      try {
        loadConfig({ ...base, TRUST_PROXY: bad });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message, bad).toMatch(/^invalid configuration: TRUST_PROXY: /);
      expect(message, bad).not.toContain('\n');
    }
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).TRUST_PROXY).toEqual({ kind: 'hops', hops: 2 });
    expect(loadConfig(base).TRUST_PROXY).toEqual({ kind: 'hops', hops: 0 });
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.5, fd00::/8' }).TRUST_PROXY.kind).toBe('list');
  });
});

describe('behind one proxy (TRUST_PROXY=1)', () => {
  let s: Served;
  beforeAll(async () => {
    s = await served({ TRUST_PROXY: '1' });
  });
  afterAll(() => stop(s));

  it('rotating X-Forwarded-For does not escape the code-check limit (60 per 10 minutes)', async () => {
    const check = (xff: string) =>
      post(
        s,
        '/api/auth/verify',
        { contact: 'victim@example.com', code: '000000' },
        { 'x-forwarded-for': xff },
      );
    // What the attacker sent, with the real address our proxy appends on the right.
    const plain = await untilLimited((i) => check(`10.9.0.${i % 250}, 203.0.113.7`), 80);
    expect(plain).toBe(60);
    const spoofedLoopback = await untilLimited((i) => check(`10.8.0.${i % 250}, 127.0.0.1, 203.0.113.8`), 80);
    expect(spoofedLoopback).toBe(60);
    // Another real client behind the same proxy is not affected.
    expect((await check('203.0.113.9')).status).toBe(400);
  });

  it('twelve wrong staff passwords from "rotating" addresses lock that address out; elsewhere signs in', async () => {
    await s.sys.deps.users.create(
      { username: 'proxy-admin', role: 'admin', officeId: null },
      'correct horse battery staple',
    );
    const login = (password: string, xff: string) =>
      post(s, '/api/staff/login', { username: 'proxy-admin', password }, { 'x-forwarded-for': xff });
    for (let i = 0; i < 12; i++) {
      const r = await login('wrong password', `10.9.1.${i}, 198.51.100.20`);
      expect([401, 429]).toContain(r.status);
    }
    const right = await login('correct horse battery staple', '10.9.1.99, 198.51.100.20');
    expect(right.status).not.toBe(200);
    // The real admin at another address is not locked out by someone else's guesses.
    expect((await login('correct horse battery staple', '198.51.100.21')).status).toBe(200);
  });
});

describe('behind two proxies', () => {
  for (const trust of ['2', '127.0.0.1, 10.0.0.0/8']) {
    describe(`TRUST_PROXY=${trust}`, () => {
      let s: Served;
      beforeAll(async () => {
        s = await served({ TRUST_PROXY: trust });
      });
      afterAll(() => stop(s));

      it('the outer proxy saw the client; what the client wrote is ignored', async () => {
        const check = (xff: string) =>
          post(
            s,
            '/api/auth/verify',
            { contact: 'two@example.com', code: '000000' },
            { 'x-forwarded-for': xff },
          );
        // client-forged, client as the outer proxy saw it, outer proxy as the inner one saw it
        const n = await untilLimited((i) => check(`10.9.2.${i % 250}, 203.0.113.30, 10.0.0.5`), 80);
        expect(n).toBe(60);
        expect((await check('203.0.113.31, 10.0.0.5')).status).toBe(400);
      });
    });
  }
});

describe('without a proxy (TRUST_PROXY unset)', () => {
  let s: Served;
  beforeAll(async () => {
    s = await served({});
  });
  afterAll(() => stop(s));

  it('X-Forwarded-For is not read at all', async () => {
    // The peer is loopback, which is not IP-limited without a proxy: a forged header must not make it so.
    const n = await untilLimited(
      (i) =>
        post(
          s,
          '/api/auth/verify',
          { contact: 'direct@example.com', code: '000000' },
          { 'x-forwarded-for': `203.0.113.${i % 2}` },
        ),
      70,
    );
    expect(n).toBe(70);
  });
});
