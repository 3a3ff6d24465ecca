// /api/openapi.json describes every route the app serves: each route registered on the Hono app (with
// queues and the DEV_MODE clock, so nothing is left out) is in the document with a response schema, and
// with a request schema when it takes a body; nothing documented is missing from the app; and real
// answers match the response schemas the document is built from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_BOARD_PATH } from '../../src/api/admin/queue-board.ts';
import {
  drawRecordSchema,
  drawSummarySchema,
  logSchemas,
  publicOfficeSchema,
  rulesVersionSchema,
} from '../../src/api/openapi/schemas.ts';
import { openApiPath } from '../../src/api/openapi.ts';
import { createApp } from '../../src/app.ts';
import { createClock } from '../../src/clock.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { fillDraw } from '../support/entries.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let app: ReturnType<typeof createApp>;
let token: string;
let doc: any;

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  sys.deps.clock = await createClock(true, sys.redis.client);
  app = createApp(sys.deps);
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.users.create(
    { username: 'docs-admin', role: 'admin', officeId: null },
    'a long enough password',
  );
  token = await sys.deps.users.createToken('docs-admin', 'test');
  doc = await (await app.request('/api/openapi.json')).json();
}, 60_000);
afterAll(async () => sys?.stop());

/** Routes a request can reach: middleware (method ALL) is not a route; bull-board's own API is its own. */
function servedRoutes() {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue;
    if (r.path.startsWith(`${QUEUE_BOARD_PATH}/`) && r.path !== `${QUEUE_BOARD_PATH}/`) continue;
    seen.add(`${r.method.toLowerCase()} ${openApiPath(r.path.replace(/(.)\/$/, '$1'))}`);
  }
  return [...seen].map((k) => k.split(' ') as [string, string]);
}

function isDescribed(schema: any): boolean {
  if (!schema || typeof schema !== 'object') return false;
  // A bare `type: object` says nothing: objects must name their properties (or be a typed record).
  if (schema.type === 'object') return Boolean(schema.properties || schema.additionalProperties);
  return Boolean(
    schema.type || schema.anyOf || schema.oneOf || schema.allOf || schema.const !== undefined || schema.enum,
  );
}

describe('/api/openapi.json', () => {
  it('documents every served route with request and response schemas', () => {
    const routes = servedRoutes();
    expect(routes.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const [method, path] of routes) {
      const op = doc.paths[path]?.[method];
      if (!op) {
        problems.push(`${method.toUpperCase()} ${path}: not in the document`);
        continue;
      }
      const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2'))?.[1] as
        | { content?: Record<string, { schema: unknown }> }
        | undefined;
      const okSchema = ok?.content && Object.values(ok.content)[0]?.schema;
      if (!isDescribed(okSchema)) problems.push(`${method.toUpperCase()} ${path}: no response schema`);
      if (!Object.keys(op.responses).some((s) => s.startsWith('4')))
        problems.push(`${method.toUpperCase()} ${path}: no error response`);
      if (method !== 'get' && !op['x-no-request-body']) {
        const body = op.requestBody?.content?.['application/json']?.schema;
        if (!isDescribed(body)) problems.push(`${method.toUpperCase()} ${path}: no request schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents nothing the app does not serve', () => {
    const served = new Set(servedRoutes().map(([m, p]) => `${m} ${p}`));
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops as object).map((m) => `${m} ${p}`),
    );
    expect(documented.filter((d) => !served.has(d))).toEqual([]);
  });

  it('lists the DEV_MODE routes only where they exist', async () => {
    expect(doc.paths['/api/dev/clock'].post['x-dev-mode-only']).toBe(true);
    const plain = createApp({ ...sys.deps, clock: { now: () => new Date(), virtual: null } });
    const plainDoc = await (await plain.request('/api/openapi.json')).json();
    expect(plainDoc.paths['/api/dev/clock']).toBeUndefined();
    expect(Object.keys(plainDoc.paths).length).toBe(Object.keys(doc.paths).length - 1);
  });

  it('covers staff sign-in, bearer tokens, officer and admin routes, and describes the draw record', () => {
    expect(doc.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(
      doc.paths['/api/staff/login'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('password');
    expect(doc.paths['/api/officer/check-in'].post.security).toContainEqual({ bearerToken: [] });
    expect(doc.paths['/api/admin/offices/{id}/rules'].put.requestBody).toBeDefined();
    const record =
      doc.paths['/api/draws/{office}/{date}'].get.responses[200].content['application/json'].schema;
    expect(record.required).toEqual(expect.arrayContaining(['commitment', 'seed', 'entries', 'results']));
    const entries = record.properties.entries.anyOf.find((s: { type: string }) => s.type === 'array');
    expect(entries.items.properties).toHaveProperty('weight');
  });

  it('answers as the response schemas say (offices, rules, a drawn record, the log, the clock)', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const offices = await (await app.request('/api/offices')).json();
    expect(offices.offices.length).toBeGreaterThan(0);
    for (const o of offices.offices) publicOfficeSchema.parse(o);
    const id = offices.offices[0].id as string;
    rulesVersionSchema.parse(
      await (await app.request(`/api/admin/offices/${id}/rules`, { headers: auth })).json(),
    );
    const next = offices.offices[0].nextDraw;
    await fillDraw(sys.deps, id, next.drawDate, next.targetDate, 30, {
      prefs: (i) => (i % 3 ? null : ['pagi-1']),
      category: (i) => (i % 5 ? null : 'lansia'),
    });
    const runNow = (body: object) =>
      app.request(`/api/admin/draws/${id}/run`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    let run = await runNow({ drawDate: next.drawDate });
    // Where closing before the announced time must be confirmed, confirm it.
    if (run.status === 409) run = await runNow({ drawDate: next.drawDate, early: true });
    const ran = await run.json();
    expect(run.status, JSON.stringify(ran)).toBe(200);
    drawSummarySchema.parse(ran);
    const record = await (await app.request(`/api/draws/${id}/${ran.drawDate}`)).json();
    expect(record.status).toBe('drawn');
    drawRecordSchema.parse(record);
    expect(record.entries).toHaveLength(30);
    expect(record.results).toHaveLength(30);
    logSchemas.page.parse(await (await app.request('/api/log')).json());
    logSchemas.head.parse(await (await app.request('/api/log/head')).json());
    logSchemas.key.parse(await (await app.request('/api/log/key')).json());
    logSchemas.drawLeaves.parse(await (await app.request(`/api/log/draws/${id}:${ran.drawDate}`)).json());
    const clock = await app.request('/api/dev/clock', { headers: auth });
    expect(clock.status).toBe(200);
  });
});
