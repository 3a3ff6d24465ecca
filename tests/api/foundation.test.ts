import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let admin: Record<string, string>;
let officer: Record<string, string>;

beforeAll(async () => {
  sys = await startTestSystem();
  // Monday 2026-11-30 08:00 UTC: before every zone's 19:00 draw that day.
  sys.clock.now = new Date('2026-11-30T08:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  admin = await signInStaff(sys, { username: 'ayu', role: 'admin' });
  officer = await signInStaff(sys, { username: 'budi', role: 'officer', officeId: 'jayapura' });
});
afterAll(() => sys.stop());

describe('process endpoints', () => {
  it('healthz and readyz answer', async () => {
    expect((await call(sys, 'GET', '/healthz')).status).toBe(200);
    const ready = await call(sys, 'GET', '/readyz');
    expect(ready.body).toEqual({ ok: true, redis: 'up' });
  });
  it('sets secure headers and a request id', async () => {
    const res = await call(sys, 'GET', '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
  });
  it('unknown routes are a JSON 404', async () => {
    const res = await call(sys, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('public office list', () => {
  it('lists the demo offices across WIB, WITA and WIT with local next-draw times', async () => {
    const res = await call(sys, 'GET', '/api/offices');
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.offices.map((o: any) => [o.id, o]));
    expect(Object.keys(byId).length).toBeGreaterThanOrEqual(5);
    // Monday 30 Nov: the draw that day fills Wednesday 2 Dec (daysAhead 2), closes 19:00 local.
    expect(byId['jakarta-selatan'].nextDraw).toMatchObject({
      drawDate: '2026-11-30',
      targetDate: '2026-12-02',
      closesAt: '2026-11-30T12:00:00.000Z',
      zoneLabel: 'WIB',
    });
    expect(byId.makassar.nextDraw).toMatchObject({ closesAt: '2026-11-30T11:00:00.000Z', zoneLabel: 'WITA' });
    expect(byId.jayapura.nextDraw).toMatchObject({ closesAt: '2026-11-30T10:00:00.000Z', zoneLabel: 'WIT' });
    expect(byId.jayapura.nextDraw.closesAtLocal).toContain('19:00');
    expect(byId['jakarta-selatan'].dailyQuota).toBe(200);
  });
  it('after a close the next draw moves on', async () => {
    sys.clock.now = new Date('2026-11-30T10:00:01Z');
    const res = await call(sys, 'GET', '/api/offices/jayapura');
    expect(res.body.office.nextDraw.drawDate).toBe('2026-12-01');
    sys.clock.now = new Date('2026-11-30T08:00:00Z');
  });
  it('unknown office is 404', async () => {
    expect((await call(sys, 'GET', '/api/offices/atlantis')).status).toBe(404);
  });
  it('seeding twice does nothing', async () => {
    expect(await seedDemoOffices(sys.redis.client, sys.deps.offices)).toBe(0);
  });
});

describe('admin authentication and roles', () => {
  it('401 without credentials, 403 for an officer', async () => {
    expect((await call(sys, 'GET', '/api/admin/offices')).status).toBe(401);
    const res = await call(sys, 'GET', '/api/admin/offices', undefined, officer);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
  it('CSRF token required for cookie writes', async () => {
    const { cookie } = admin;
    const res = await call(sys, 'PUT', '/api/admin/offices/medan/rules', {}, { cookie: cookie! });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
  });
  it('bearer tokens work for scripts without CSRF', async () => {
    const token = await sys.deps.users.createToken('ayu', 'test');
    const res = await call(sys, 'GET', '/api/admin/offices', undefined, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const bad = await call(sys, 'GET', '/api/admin/offices', undefined, { authorization: 'Bearer fst_nope' });
    expect(bad.status).toBe(401);
  });
  it('wrong password, unknown user and locked user look the same; failures lock', async () => {
    await sys.deps.users.create({ username: 'citra', role: 'admin', officeId: null }, 'a very good password');
    const attempt = (username: string, password: string) =>
      call(sys, 'POST', '/api/staff/login', { username, password }, { 'x-test-ip': `ip-${username}` });
    const wrong = await attempt('citra', 'nope nope nope');
    const unknown = await attempt('nobody', 'nope nope nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    for (let i = 0; i < 5; i++) await attempt('citra', 'nope nope nope');
    const locked = await attempt('citra', 'a very good password');
    expect(locked.status).toBe(401);
    expect(locked.body).toEqual(wrong.body);
  });
  it('sign-in rotates the session id', async () => {
    const first = await call(sys, 'POST', '/api/staff/login', {
      username: 'ayu',
      password: 'correct horse battery staple',
    });
    const again = await call(
      sys,
      'POST',
      '/api/staff/login',
      { username: 'ayu', password: 'correct horse battery staple' },
      { cookie: first.headers.get('set-cookie')!.split(';')[0]! },
    );
    const a = first.headers.get('set-cookie')!.split(';')[0];
    const b = again.headers.get('set-cookie')!.split(';')[0];
    expect(a).not.toBe(b);
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(first.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    // the old session is gone
    expect((await call(sys, 'GET', '/api/staff/me', undefined, { cookie: a! })).status).toBe(401);
  });
});

describe('versioned rules', () => {
  it('an update creates a new version with a diff, kept in history', async () => {
    const cur = await call(sys, 'GET', '/api/admin/offices/medan/rules', undefined, admin);
    expect(cur.body.version).toBe(1);
    const rules = { ...cur.body.rules, confirmationWindowHours: 8, householdLimit: 4 };
    const res = await call(
      sys,
      'PUT',
      '/api/admin/offices/medan/rules',
      { expectedVersion: 1, rules, note: 'shorter' },
      admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.version).toBe(2);
    expect(res.body.createdBy).toBe('ayu');
    expect(res.body.changes).toEqual([
      { path: 'confirmationWindowHours', from: 12, to: 8 },
      { path: 'householdLimit', from: 5, to: 4 },
    ]);
    const hist = await call(sys, 'GET', '/api/admin/offices/medan/rules/history', undefined, admin);
    expect(hist.body.versions.map((v: any) => v.version)).toEqual([1, 2]);
    const stale = await call(
      sys,
      'PUT',
      '/api/admin/offices/medan/rules',
      { expectedVersion: 1, rules },
      admin,
    );
    expect(stale.status).toBe(409);
  });
  it('bad rules are a 400 naming each bad field, and nothing changes', async () => {
    const cur = await call(sys, 'GET', '/api/admin/offices/surabaya/rules', undefined, admin);
    const rules = {
      ...cur.body.rules,
      drawTime: '25:00',
      sessions: [{ id: 'a', start: '10:00', end: '09:00', capacity: -1 }],
    };
    const res = await call(
      sys,
      'PUT',
      '/api/admin/offices/surabaya/rules',
      { expectedVersion: 1, rules },
      admin,
    );
    expect(res.status).toBe(400);
    const paths = res.body.error.fields.map((f: any) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['rules.drawTime', 'rules.sessions.0.capacity', 'rules.sessions.0.end']),
    );
    const after = await call(sys, 'GET', '/api/admin/offices/surabaya/rules', undefined, admin);
    expect(after.body.version).toBe(1);
  });
  it('wrong JSON, wrong types, huge bodies and unknown offices are 4xx', async () => {
    const bad = await call(sys, 'PUT', '/api/admin/offices/surabaya/rules', '{"expectedVersion":', admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_json');
    const types = await call(
      sys,
      'PUT',
      '/api/admin/offices/surabaya/rules',
      { expectedVersion: 'one', rules: 5 },
      admin,
    );
    expect(types.status).toBe(400);
    const huge = await call(
      sys,
      'PUT',
      '/api/admin/offices/surabaya/rules',
      { note: 'x'.repeat(200_000) },
      admin,
    );
    expect(huge.status).toBe(413);
    const unknown = await call(
      sys,
      'PUT',
      '/api/admin/offices/atlantis/rules',
      { expectedVersion: 1 },
      admin,
    );
    expect(unknown.status).toBe(404);
    const wrongType = await call(sys, 'PUT', '/api/admin/offices/surabaya/rules', 'x', {
      ...admin,
      'content-type': 'text/plain',
    });
    expect(wrongType.status).toBe(415);
    const after = await call(sys, 'GET', '/api/admin/offices/surabaya/rules', undefined, admin);
    expect(after.body.version).toBe(1);
  });
  it('admins create offices; duplicates are 409', async () => {
    const office = {
      id: 'batam',
      name: 'Kantor Imigrasi Batam',
      address: 'Batam Centre',
      tz: 'Asia/Jakarta',
    };
    expect((await call(sys, 'POST', '/api/admin/offices', { office }, admin)).status).toBe(201);
    expect((await call(sys, 'POST', '/api/admin/offices', { office }, admin)).status).toBe(409);
    const badTz = await call(
      sys,
      'POST',
      '/api/admin/offices',
      { office: { ...office, id: 'x2', tz: 'Mars/Base' } },
      admin,
    );
    expect(badTz.status).toBe(400);
    expect(badTz.body.error.fields[0].path).toBe('office.tz');
  });
});

describe('metrics', () => {
  it('/metrics needs an admin and exposes joins, rejects, queues', async () => {
    expect((await call(sys, 'GET', '/metrics')).status).toBe(401);
    expect((await call(sys, 'GET', '/metrics', undefined, officer)).status).toBe(403);
    await call(sys, 'GET', '/api/offices/atlantis');
    const res = await sys.app.request('/metrics', { headers: admin });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('fairslot_rejects_total{code="not_found"}');
    expect(text).toContain('fairslot_joins_total');
    expect(text).toContain('fairslot_draw_duration_seconds');
  });
});

describe('API description', () => {
  it('serves OpenAPI built from the route schemas and Swagger UI locally', async () => {
    const doc = await call(sys, 'GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const join = doc.body.paths['/api/me/entries'].post.requestBody.content['application/json'].schema;
    expect(join.required).toEqual(expect.arrayContaining(['officeId', 'prefs']));
    // One person (personId) or a group (personIds): the body names either, checked by the route.
    expect(Object.keys(join.properties)).toEqual(expect.arrayContaining(['personId', 'personIds']));
    const ui = await sys.app.request('/api/docs');
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('/api/docs/swagger-ui-bundle.js');
    const js = await sys.app.request('/api/docs/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    const init = await sys.app.request('/api/docs/init.js');
    expect([init.status, init.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await init.text()).toContain("SwaggerUIBundle({ url: '/api/openapi.json'");
    expect((await call(sys, 'GET', '/api/docs/..%2F..%2Fpackage.json')).status).toBe(404);
  });
});
