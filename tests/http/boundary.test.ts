// The per-request work every answer needs (request id, security headers, the response counter) happens at
// the app's fetch boundary, so a handler without middleware of its own is answered synchronously: no
// app-wide hono middleware may come back (src/http/boundary.ts says why it costs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});

afterAll(async () => {
  await sys?.stop();
});

const counted = async (cls: string) =>
  (await sys.deps.metrics.responses.get()).values.find((v) => v.labels.class === cls)?.value ?? 0;

describe('the fetch boundary', () => {
  it('answers /healthz without a promise, with its request id and security headers', async () => {
    const res = sys.app.fetch(new Request('http://localhost/healthz'));
    expect(res).toBeInstanceOf(Response);
    const answer = res as Response;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toMatch(/^[\w-]{8,64}$/);
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(answer.headers.get('cache-control')).toBeNull();
  });

  it('still gives API handlers their context, and marks personal answers no-store', async () => {
    const res = await sys.app.request('/api/me/entries', { headers: { 'x-request-id': 'abcdefgh-1234' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe('abcdefgh-1234');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('counts every answer by its status class, synchronous or not', async () => {
    const ok = await counted('2xx');
    const refused = await counted('4xx');
    await sys.app.request('/healthz');
    await sys.app.request('/api/me/entries');
    await sys.app.request('/no/such/route');
    expect(await counted('2xx')).toBe(ok + 1);
    expect(await counted('4xx')).toBe(refused + 2);
  });
});
