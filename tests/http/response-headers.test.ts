// Every kind of answer carries each security header of its set exactly once, plus one X-Request-Id: pages
// (and anything not known to be JSON) hono's secureHeaders values with our Content-Security-Policy, JSON
// answers (the API, the probes) the OWASP REST set only. Through app.request() (headers set on the
// Response) and through a real node server (headers set on the ServerResponse, src/http/secure-headers.ts).
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers';
import { stream } from 'hono/streaming';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/app.ts';
import { ApiError } from '../../src/http/errors.ts';
import { signInApplicant, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let server: ServerType;
let port: number;
let session: Record<string, string>;
/** Lower-case name → value, as hono's own secureHeaders middleware writes them for our policy. */
let expected: Map<string, string>;
/** The OWASP REST Security cheat sheet's headers for JSON answers. */
const expectedApi = new Map([
  ['cross-origin-resource-policy', 'same-origin'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
]);

const STREAMED = ['first part\n', 'second part\n', 'last part\n'];

beforeAll(async () => {
  sys = await startTestSystem();
  // Kinds of answer no production route gives on demand, added after the app's own routes.
  sys.app.get('/__test/stream', (c) =>
    stream(c, async (s) => {
      for (const part of STREAMED) {
        await s.write(part);
        await s.sleep(5);
      }
    }),
  );
  sys.app.get('/__test/boom', () => {
    throw new Error('boom (expected by the test)');
  });
  sys.app.get('/__test/busy', () => {
    throw new ApiError(429, 'rate_limited', 'slow down', { retryAfterSeconds: 7 });
  });
  session = await signInApplicant(sys, 'headers@example.com');

  const reference = new Hono();
  reference.use(
    honoSecureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY as Record<string, string[]> }),
  );
  reference.get('/', (c) => c.text('x'));
  const ref = await reference.request('/');
  expected = new Map([...ref.headers].filter(([name]) => name !== 'content-type'));
  // Where ours differ from hono's, on purpose (src/http/secure-headers.ts): HSTS only over HTTPS (these
  // requests are plain HTTP), X-Frame-Options agreeing with frame-ancestors 'none', a Permissions-Policy.
  expected.delete('strict-transport-security');
  expected.set('x-frame-options', 'DENY');
  expected.set(
    'permissions-policy',
    'accelerometer=(), camera=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
  );

  await new Promise<void>((resolve) => {
    server = serve({ fetch: sys.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      port = info.port;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await sys?.stop();
});

interface Case {
  what: string;
  method: string;
  path: string;
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** The exact body expected, when it tells the kind of answer apart. */
  text?: string;
  /** A JSON answer of the API or a probe: the REST set, not the pages' one. */
  api?: true;
}

function cases(): Case[] {
  const big = JSON.stringify({ contact: 'x'.repeat(70 * 1024) });
  return [
    { what: 'JSON', method: 'GET', path: '/healthz', status: 200, text: '{"ok":true}', api: true },
    { what: 'JSON read from Redis', method: 'GET', path: '/api/offices', status: 200, api: true },
    {
      what: 'cookie-authenticated JSON',
      method: 'GET',
      path: '/api/me/entries',
      status: 200,
      headers: session,
      api: true,
    },
    { what: 'refused without a session', method: 'GET', path: '/api/me/entries', status: 401, api: true },
    { what: 'the API 404', method: 'GET', path: '/api/no/such/route', status: 404, api: true },
    { what: 'the 404', method: 'GET', path: '/no/such/route', status: 404 },
    { what: 'a static page', method: 'GET', path: '/', status: 200 },
    { what: 'the API docs page', method: 'GET', path: '/api/docs', status: 200 },
    { what: 'HEAD of JSON', method: 'HEAD', path: '/healthz', status: 200, text: '', api: true },
    { what: 'HEAD of a page', method: 'HEAD', path: '/', status: 200, text: '' },
    { what: 'a streamed body', method: 'GET', path: '/__test/stream', status: 200, text: STREAMED.join('') },
    { what: 'an unexpected error', method: 'GET', path: '/__test/boom', status: 500 },
    { what: 'an API error with Retry-After', method: 'GET', path: '/__test/busy', status: 429 },
    {
      what: 'a wrong media type',
      method: 'POST',
      path: '/api/auth/code',
      status: 415,
      headers: { 'content-type': 'text/plain' },
      body: 'x',
      api: true,
    },
    {
      what: 'a body over the limit',
      method: 'POST',
      path: '/api/auth/code',
      status: 413,
      headers: { 'content-type': 'application/json' },
      body: big,
      api: true,
    },
  ];
}

/** Lower-case name → every value the response carries under it. */
type Fields = Map<string, string[]>;

function expectHeaders(fields: Fields, where: string, api = false) {
  const set = api ? expectedApi : expected;
  for (const [name, value] of set) {
    expect(fields.get(name), `${where}: ${name}`).toEqual([value]);
  }
  // A JSON answer carries none of the pages-only headers.
  for (const name of expected.keys())
    if (!set.has(name)) expect(fields.has(name), `${where}: ${name}`).toBe(false);
  expect(fields.get('x-request-id')?.length, `${where}: x-request-id`).toBe(1);
  expect(fields.get('x-request-id')![0], where).toMatch(/^[\w-]{8,64}$/);
  expect(fields.has('x-powered-by'), where).toBe(false);
  expect(fields.has('strict-transport-security'), where).toBe(false);
  // Personal data (here an applicant's entries, or the refusal on that path) is never stored.
  if (where.includes('/api/me/')) expect(fields.get('cache-control'), where).toEqual(['no-store']);
}

function fieldsOfHeaders(headers: Headers): Fields {
  const fields: Fields = new Map();
  // Headers.get joins repeated fields with ", ", so one value here means one field or a joined pair.
  for (const [name, value] of headers) fields.set(name, [...(fields.get(name) ?? []), value]);
  return fields;
}

function nodeRequest(c: Pick<Case, 'method' | 'path' | 'headers' | 'body'>) {
  return new Promise<{ status: number; fields: Fields; text: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: c.method, path: c.path, headers: c.headers ?? {} },
      (res) => {
        const fields: Fields = new Map();
        // rawHeaders keeps every field line as sent, so a header written twice shows up twice.
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          fields.set(name, [...(fields.get(name) ?? []), res.rawHeaders[i + 1]!]);
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, fields, text }));
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

describe('response headers', () => {
  it("match hono's secureHeaders for our policy, with our differences", () => {
    expect(expected.get('content-security-policy')).toBe(
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
        "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'",
    );
    expect(expected.size).toBe(12);
  });

  it('are on every kind of answer through app.request()', async () => {
    for (const c of cases()) {
      const res = await sys.app.request(c.path, { method: c.method, headers: c.headers, body: c.body });
      const where = `app.request ${c.what} (${c.method} ${c.path})`;
      expect(res.status, where).toBe(c.status);
      if (c.text !== undefined) expect(await res.text(), where).toBe(c.text);
      expectHeaders(fieldsOfHeaders(res.headers), where, c.api);
    }
  });

  it('are on every kind of answer from a node server, each exactly once', async () => {
    for (const c of cases()) {
      const res = await nodeRequest(c);
      const where = `node ${c.what} (${c.method} ${c.path})`;
      expect(res.status, where).toBe(c.status);
      if (c.text !== undefined) expect(res.text, where).toBe(c.text);
      expectHeaders(res.fields, where, c.api);
    }
  });

  it('keep the headers a route sets itself', async () => {
    const page = await nodeRequest({ method: 'GET', path: '/' });
    expect(page.fields.get('content-type')).toEqual(['text/html; charset=utf-8']);
    const busy = await nodeRequest({ method: 'GET', path: '/__test/busy' });
    expect(busy.fields.get('retry-after')).toEqual(['7']);
    const etag = page.fields.get('etag')![0]!;
    const again = await nodeRequest({ method: 'GET', path: '/', headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expectHeaders(again.fields, 'node 304');
  });

  it('echo a well-formed incoming request id and replace a malformed one', async () => {
    const id = 'client-id-0123456789';
    const viaApp = await sys.app.request('/healthz', { headers: { 'x-request-id': id } });
    expect(viaApp.headers.get('x-request-id')).toBe(id);
    const viaNode = await nodeRequest({ method: 'GET', path: '/healthz', headers: { 'x-request-id': id } });
    expect(viaNode.fields.get('x-request-id')).toEqual([id]);
    const bad = await nodeRequest({
      method: 'GET',
      path: '/healthz',
      headers: { 'x-request-id': 'no spaces!' },
    });
    expect(bad.fields.get('x-request-id')).toHaveLength(1);
    expect(bad.fields.get('x-request-id')![0]).not.toBe('no spaces!');
  });
});
