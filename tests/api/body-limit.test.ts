// The body limit judges a Content-Length body by its header (keeping node-server's fast body path) and
// streams only bodies without one; both must refuse anything over the limit.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimit } from '../../src/http/body-limit.ts';

const MAX = 1024;
let server: ServerType;
let port: number;

beforeAll(async () => {
  const app = new Hono();
  app.use(
    '*',
    bodyLimit({ maxSize: MAX, onError: (c) => c.json({ error: { code: 'body_too_large' } }, 413) }),
  );
  app.post('/echo', async (c) => c.json({ length: (await c.req.text()).length }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      port = info.port;
      resolve();
    });
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function post(body: string, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/echo',
        headers: chunked
          ? { 'transfer-encoding': 'chunked', 'content-type': 'text/plain' }
          : { 'content-length': Buffer.byteLength(body), 'content-type': 'text/plain' },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    if (chunked) {
      // Several chunks, so the streaming check has to add them up.
      for (let i = 0; i < body.length; i += 300) req.write(body.slice(i, i + 300));
    } else {
      req.write(body);
    }
    req.end();
  });
}

describe('bodyLimit', () => {
  it('passes bodies up to the limit, with or without Content-Length', async () => {
    for (const chunked of [false, true]) {
      const r = await post('x'.repeat(MAX), chunked);
      expect(r.status, `chunked=${chunked}`).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ length: MAX });
    }
  });

  it('refuses bodies over the limit, with or without Content-Length', async () => {
    for (const chunked of [false, true]) {
      const r = await post('x'.repeat(MAX + 1), chunked);
      expect(r.status, `chunked=${chunked}`).toBe(413);
    }
  });
});
