// Security headers over a real socket: HSTS only on requests that came over HTTPS (here: through a trusted
// proxy that says so), framing forbidden consistently, a Permissions-Policy, and the queue board asking
// nothing of any other origin.
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createQueues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

interface Served {
  sys: TestSystem;
  server: ServerType;
  base: string;
}

async function served(env: Record<string, string>, app?: (sys: TestSystem) => ReturnType<typeof createApp>) {
  const sys = await startTestSystem(env);
  const handler = app ? app(sys) : sys.app;
  const server = serve({ fetch: handler.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return { sys, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } as Served;
}

async function stop(s: Served | undefined) {
  if (!s) return;
  await new Promise<void>((r) => s.server.close(() => r()));
  await s.sys.stop();
}

const get = (s: Served, path: string, headers: Record<string, string> = {}) =>
  fetch(`${s.base}${path}`, { headers });

describe('behind a trusted proxy (TRUST_PROXY=1)', () => {
  let s: Served;
  beforeAll(async () => {
    s = await served({ TRUST_PROXY: '1' });
  });
  afterAll(() => stop(s));

  it('sends HSTS when the proxy says the request came over HTTPS, and only then', async () => {
    const https = await get(s, '/api/offices', {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.5',
    });
    expect(https.headers.get('strict-transport-security')).toBe('max-age=15552000; includeSubDomains');
    for (const proto of [undefined, 'http', 'ftp']) {
      const res = await get(s, '/api/offices', proto ? { 'x-forwarded-proto': proto } : {});
      expect(res.headers.get('strict-transport-security'), String(proto)).toBeNull();
    }
  });

  it('forbids framing both ways, and allows the camera to our own pages only', async () => {
    for (const path of ['/', '/officer', '/api/offices', '/no/such/route']) {
      const res = await get(s, path);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      // A JSON answer is no document: it has no features to grant (src/http/secure-headers.ts).
      if (path.startsWith('/api/')) {
        expect(res.headers.get('permissions-policy'), path).toBeNull();
        continue;
      }
      const policy = res.headers.get('permissions-policy') ?? '';
      expect(policy, path).toContain('camera=(self)');
      expect(policy, path).toContain('geolocation=()');
      expect(policy, path).toContain('microphone=()');
    }
  });
});

describe('without a trusted proxy', () => {
  let s: Served;
  beforeAll(async () => {
    s = await served({});
  });
  afterAll(() => stop(s));

  it('a client claiming HTTPS over plain HTTP gets no HSTS', async () => {
    const res = await get(s, '/api/offices', { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the queue board', () => {
  let s: Served;
  let connection: RedisClient;
  let admin: Record<string, string>;
  beforeAll(async () => {
    s = await served({}, (sys) => {
      connection = createRedis(sys.redis.url, { forBullmq: true });
      sys.deps.queues = createQueues(connection);
      return createApp(sys.deps);
    });
    admin = await signInStaff(s.sys, { username: 'board-admin', role: 'admin' });
  });
  afterAll(async () => {
    await s.sys.deps.queues?.close();
    s.sys.deps.queues = undefined;
    connection?.disconnect();
    await stop(s);
  });

  it('serves a page that loads nothing from another origin, within our CSP', async () => {
    const res = await get(s, '/admin/queues', { cookie: admin.cookie! });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toMatch(/googleapis|gstatic/);
    // Every URL the page refers to is relative to our own origin.
    const urls = [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) expect(url, url).not.toMatch(/^(?:[a-z]+:)?\/\//i);
    // Its scripts and styles are ours, and the CSP allows them (script-src 'self', no inline script).
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/);
    for (const url of urls.filter((u) => /\.(js|css)$/.test(u))) {
      const asset = await get(s, `/admin/queues/${url}`, { cookie: admin.cookie! });
      expect(asset.status, url).toBe(200);
      expect(await asset.text(), url).not.toMatch(/fonts\.googleapis|fonts\.gstatic/);
    }
  });
});
