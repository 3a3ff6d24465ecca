// Who may call what, walked over the live route table (app.routes) rather than a hand-kept list, so a
// route added later is covered (or fails the "every write is accounted for" check) without editing this
// file. Also: CSRF on every cookie-authenticated write, session rotation, lockouts, enumeration, secure
// headers, and a scan of Redis and the log for plaintext secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { exampleNik } from '../../src/domain/nik.ts';
import { createQueues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { fillDraw } from '../support/entries.ts';
import { dumpRedis } from '../support/scan.ts';
import {
  call,
  outbox,
  powFor,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

let sys: TestSystem;
let app: ReturnType<typeof createApp>;
let queueConnection: RedisClient;
let admin: Record<string, string>;
let officer: Record<string, string>;
let officerToken: string;
let adminToken: string;
let applicant: Record<string, string>;
let applicantId: string;
let medanCode: string;
const STAFF_PASSWORD = 'correct horse battery staple';
const MONDAY = new Date('2026-11-30T01:00:00Z');

type Headers = Record<string, string>;
interface Res {
  status: number;
  body: any;
  headers: globalThis.Headers;
}

async function req(method: string, path: string, headers: Headers = {}, body?: unknown): Promise<Res> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    (init.headers as Headers)['content-type'] ??= 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await app.request(path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = MONDAY;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  // Queues make the app mount the admin queue board, so its routes are walked too.
  queueConnection = createRedis(sys.redis.url, { forBullmq: true });
  sys.deps.queues = createQueues(queueConnection);
  app = createApp(sys.deps);
  admin = await signInStaff(sys, { username: 'sec-admin', role: 'admin' });
  officer = await signInStaff(sys, { username: 'sec-officer', role: 'officer', officeId: 'jayapura' });
  adminToken = await sys.deps.users.createToken('sec-admin', 'test');
  officerToken = await sys.deps.users.createToken('sec-officer', 'test');
  applicant = await signInApplicant(sys, 'sec-applicant@example.com');
  applicantId = (await sys.deps.accounts.accountIdForContact('sec-applicant@example.com'))!;
  // An appointment at another office than the officer's, for the check-in rule.
  await fillDraw(sys.deps, 'medan', '2026-11-30', '2026-12-02', 3, { prefix: 'sec' });
  const queues = sys.deps.queues;
  sys.deps.queues = undefined; // inline draw and fan-out: no worker runs in this file
  await new DrawRunner(sys.deps).run('medan', '2026-11-30');
  await sys.deps.lifecycle.fanout('medan', '2026-11-30');
  sys.deps.queues = queues;
  medanCode = Object.values(
    await sys.redis.client.hgetall(keys.ticketAppointment('medan', '2026-11-30')),
  )[0]!;
});

afterAll(async () => {
  await sys.deps.queues?.close();
  sys.deps.queues = undefined;
  queueConnection?.disconnect();
  await sys.stop();
});

// ---- the route table -------------------------------------------------------------------------------

interface Route {
  method: string;
  path: string;
}

function routeTable(): Route[] {
  const seen = new Set<string>();
  const out: Route[] = [];
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // middleware
    const k = `${r.method} ${r.path}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

/** A concrete URL for a route pattern, with values that exist where that matters. */
function concrete(path: string): string {
  return path
    .replace(/:(\w+)(\{[^}]*\})?/g, (_m, name: string) => {
      if (name === 'office') return 'medan';
      if (name === 'id') return path.includes('/accounts/') ? applicantId : 'medan';
      if (name === 'date') return '2026-11-30';
      if (name === 'code') return medanCode;
      if (name === 'ticket') return 'AAAAAAAAAAAA';
      if (name === 'queueName') return 'draw';
      return 'x';
    })
    .replace(/\*/g, 'x');
}

// /admin itself is the public shell of the admin page (src/web/static.ts); its data comes from /api/admin.
const STAFF_AREA = /^\/(api\/admin|api\/officer|admin\/queues)(\/|$)/;
const isStaffArea = (p: string) => STAFF_AREA.test(p) || p === '/metrics';
const isOfficerRoute = (p: string) => p.startsWith('/api/officer');
const isStaffSelf = (p: string) => p === '/api/staff/me' || p === '/api/staff/logout';
const isApplicantArea = (p: string) => /^\/api\/me(\/|$)/.test(p) || p === '/api/auth/logout';
/** Writes anyone may send: they start a session, so there is none to protect with a CSRF token yet. */
const PUBLIC_WRITES = new Set(['POST /api/auth/code', 'POST /api/auth/verify', 'POST /api/staff/login']);
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * For each officer route, the request an officer of Jayapura would send to reach Medan's data. A new
 * officer route fails the walk until it is listed here.
 */
const FOREIGN_OFFICE: Record<string, () => { url: string; body?: unknown }> = {
  'GET /api/officer/day-sheet': () => ({ url: '/api/officer/day-sheet?office=medan&date=2026-12-02' }),
  'POST /api/officer/check-in': () => ({ url: '/api/officer/check-in', body: { code: medanCode } }),
  'POST /api/officer/check-in/lookup': () => ({
    url: '/api/officer/check-in/lookup',
    body: { code: medanCode },
  }),
  'POST /api/officer/check-in/undo': () => ({ url: '/api/officer/check-in/undo', body: { code: medanCode } }),
  'GET /api/officer/standby': () => ({ url: '/api/officer/standby?office=medan' }),
  'POST /api/officer/standby/arrive': () => ({
    url: '/api/officer/standby/arrive',
    body: { office: 'medan', ticket: '222222222222' },
  }),
  'POST /api/officer/standby/seat': () => ({
    url: '/api/officer/standby/seat',
    body: { office: 'medan', session: 'pagi-1' },
  }),
};
/**
 * Officer routes addressed by booking code: another office's code is refused with that office's name
 * (the holder of the code knows it anyway) and nothing else about the appointment.
 */
const BY_CODE = new Set([
  'POST /api/officer/check-in',
  'POST /api/officer/check-in/lookup',
  'POST /api/officer/check-in/undo',
]);
const UNKNOWN_CODE = 'ZZZZZZZZZZ';

/**
 * Every answer: no sniffing, no framing, no cross-origin reads, a CSP without eval. A page (HTML) also
 * carries the document headers and our policy; a JSON answer may carry the REST set only, whose policy
 * loads nothing (src/http/secure-headers.ts).
 */
function expectSecureHeaders(res: Res, where: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).not.toContain('unsafe-eval');
  expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(res.headers.get('x-frame-options'), where).toBe('DENY');
  expect(res.headers.get('cross-origin-resource-policy'), where).toBe('same-origin');
  if (res.headers.get('content-type')?.startsWith('text/html')) {
    expect(csp, where).toContain("default-src 'self'");
    expect(res.headers.get('referrer-policy'), where).toBeTruthy();
    expect(res.headers.get('permissions-policy'), where).toBeTruthy();
  } else {
    expect(csp, where).toMatch(/^default-src '(self|none)'/);
  }
  // Plain HTTP here: HSTS belongs to HTTPS answers only (tests/security/headers.test.ts).
  expect(res.headers.get('strict-transport-security'), where).toBeNull();
}

const counts = {
  routes: 0,
  staffRoutes: 0,
  adminOnly: 0,
  officerRoutes: 0,
  applicantRefused: 0,
  foreignOfficeRefused: 0,
  applicantRoutes: 0,
  csrfWrites: 0,
  boardWritesRefused: 0,
  headerChecked: 0,
};

describe('the route table', () => {
  afterAll(() => console.info(`security route walk ${JSON.stringify(counts)}`));

  it('every staff route (/api/admin, /api/officer, /admin/queues, /metrics) refuses the wrong caller', async () => {
    const routes = routeTable();
    counts.routes = routes.length;
    for (const r of routes.filter((r) => isStaffArea(r.path) || isStaffSelf(r.path))) {
      const url = concrete(r.path);
      const where = `${r.method} ${r.path}`;
      counts.staffRoutes++;
      const anon = await req(r.method, url, {}, SAFE.has(r.method) ? undefined : {});
      expect(anon.status, `${where} without credentials`).toBe(401);
      expectSecureHeaders(anon, where);
      // A valid applicant session is a credential of the wrong kind: the wrong role (403, like an officer
      // on an admin route), not "sign in" (401). A forged one is no credential at all.
      const asApplicant = await req(r.method, url, applicant, SAFE.has(r.method) ? undefined : {});
      expect(asApplicant.status, `${where} with an applicant session`).toBe(403);
      expect(asApplicant.body.error.code, where).toBe('forbidden');
      counts.applicantRefused++;
      const forgedApplicant = { cookie: 'fs_app=forged-session-id-000000000000' };
      expect(
        (await req(r.method, url, forgedApplicant, SAFE.has(r.method) ? undefined : {})).status,
        where,
      ).toBe(401);
      expect((await req(r.method, url, { authorization: 'Bearer fst_forged' })).status, where).toBe(401);
      if (isStaffSelf(r.path)) continue;
      if (!isOfficerRoute(r.path)) {
        counts.adminOnly++;
        const asOfficer = await req(r.method, url, officer, SAFE.has(r.method) ? undefined : {});
        expect(asOfficer.status, `${where} as an officer`).toBe(403);
        expect(asOfficer.body.error.code, where).toBe('forbidden');
        const officerBearer = await req(r.method, url, { authorization: `Bearer ${officerToken}` });
        expect(officerBearer.status, `${where} with an officer's API token`).toBe(403);
      } else {
        counts.officerRoutes++;
        const foreign = FOREIGN_OFFICE[where];
        expect(
          foreign,
          `${where}: add how an officer reaches another office to FOREIGN_OFFICE`,
        ).toBeDefined();
        const { url: foreignUrl, body } = foreign!();
        const asStranger = await req(r.method, foreignUrl, officer, body);
        if (BY_CODE.has(where)) {
          expect(asStranger.status, `${where} for another office's code`).toBe(409);
          expect(Object.keys(asStranger.body.error).sort(), where).toEqual(['code', 'message', 'officeName']);
          expect(asStranger.body.error.code, where).toBe('wrong_office');
        } else {
          expect(asStranger.status, `${where} for another office`).toBe(403);
          expect(asStranger.body.error.code, where).toBe('forbidden');
        }
        counts.foreignOfficeRefused++;
      }
      if (SAFE.has(r.method)) {
        // And the right caller gets past the gate (whatever the handler then says).
        const ok = await req(r.method, url, isOfficerRoute(r.path) ? officer : admin);
        expect([401, 403], `${where} for its own role`).not.toContain(ok.status);
      }
    }
    expect(counts.adminOnly).toBeGreaterThan(10);
    expect(counts.officerRoutes).toBeGreaterThanOrEqual(2);
    expect(counts.foreignOfficeRefused).toBe(counts.officerRoutes);
    expect(counts.applicantRefused).toBe(counts.staffRoutes);
  });

  it('every applicant route refuses callers without an applicant session', async () => {
    for (const r of routeTable().filter((r) => isApplicantArea(r.path))) {
      counts.applicantRoutes++;
      const url = concrete(r.path);
      const where = `${r.method} ${r.path}`;
      const body = SAFE.has(r.method) ? undefined : {};
      const anon = await req(r.method, url, {}, body);
      expect(anon.status, where).toBe(401);
      expectSecureHeaders(anon, where);
      expect((await req(r.method, url, admin, body)).status, `${where} with a staff session`).toBe(401);
      expect(
        (await req(r.method, url, { cookie: 'fs_app=forged-session-id-000000000000' }, body)).status,
      ).toBe(401);
    }
    expect(counts.applicantRoutes).toBeGreaterThan(8);
  });

  it('every write is either a public sign-in step or cookie-authenticated with CSRF enforced', async () => {
    for (const r of routeTable().filter((r) => !SAFE.has(r.method))) {
      const where = `${r.method} ${r.path}`;
      if (PUBLIC_WRITES.has(where)) continue;
      const url = concrete(r.path);
      const staff = isStaffArea(r.path) || isStaffSelf(r.path);
      expect(
        staff || isApplicantArea(r.path),
        `${where} is neither staff, applicant nor a known public write`,
      ).toBe(true);
      const session = staff ? (isOfficerRoute(r.path) ? officer : admin) : applicant;
      counts.csrfWrites++;
      for (const csrf of [undefined, 'wrong-token', '', `${session['x-csrf-token']}x`]) {
        const headers: Headers = { cookie: session.cookie! };
        if (csrf !== undefined) headers['x-csrf-token'] = csrf;
        const res = await req(r.method, url, headers, {});
        expect(res.status, `${where} with CSRF ${JSON.stringify(csrf)}`).toBe(403);
        expect(res.body.error.code, where).toBe('csrf_failed');
      }
    }
    // Nothing above logged anyone out or changed anything.
    expect((await req('GET', '/api/me', applicant)).status).toBe(200);
    expect((await req('GET', '/api/staff/me', admin)).status).toBe(200);
    expect(counts.csrfWrites).toBeGreaterThan(15);
  });

  it('the queue board is read-only even for an admin token (which needs no CSRF token)', async () => {
    const queues = sys.deps.queues!;
    await queues.draw.add('tick', { officeId: 'nowhere' }, { jobId: 'board-probe', delay: 3600_000 });
    const writes = routeTable().filter((r) => r.path.startsWith('/admin/queues') && !SAFE.has(r.method));
    for (const r of writes) {
      const res = await req(r.method, concrete(r.path), { authorization: `Bearer ${adminToken}` }, {});
      // Per-queue actions are refused (405 read-only, or 400 for a body it checks first); pause-all and
      // resume-all answer 200 and skip read-only queues. The state checks below are what matters.
      if (!/\/api\/queues\/(pause|resume)$/.test(r.path)) {
        expect([400, 405], `${r.method} ${r.path}`).toContain(res.status);
      }
    }
    for (const q of [queues.draw, queues.lifecycle, queues.notify, queues.maintenance]) {
      expect(await q.isPaused(), q.name).toBe(false);
    }
    expect(await (await queues.draw.getJob('board-probe'))?.getState()).toBe('delayed');
    await queues.draw.remove('board-probe');
    counts.boardWritesRefused = writes.length;
  });

  it('every answer of every route carries the secure headers, pages and errors included', async () => {
    const routes = routeTable();
    for (const r of routes) {
      const res = await req(r.method, concrete(r.path), {}, SAFE.has(r.method) ? undefined : '{');
      expectSecureHeaders(res, `${r.method} ${r.path} → ${res.status}`);
    }
    expectSecureHeaders(await req('GET', '/no/such/page'), 'a 404');
    expectSecureHeaders(await req('POST', '/api/auth/code', { 'content-type': 'text/plain' }, 'x'), 'a 415');
    counts.headerChecked = routes.length + 2;
  });

  it('an officer reaches only their own office', async () => {
    const sheet = await req('GET', '/api/officer/day-sheet?office=medan&date=2026-12-02', officer);
    expect(sheet.status).toBe(403);
    const own = await req('GET', '/api/officer/day-sheet?office=jayapura&date=2026-12-02', officer);
    expect(own.status).toBe(200);
    // Another office's code is refused with the name of its office, which its holder knows anyway, and
    // nothing about the appointment; a code nobody holds is unknown.
    const unknown = await req('POST', '/api/officer/check-in', officer, { code: UNKNOWN_CODE });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_code');
    const checkIn = await req('POST', '/api/officer/check-in', officer, { code: medanCode });
    expect(checkIn.status).toBe(409);
    expect(checkIn.body.error).toMatchObject({ code: 'wrong_office', officeName: expect.any(String) });
    const scanned = await req('POST', '/api/officer/check-in', officer, {
      code: `FAIRSLOT:${medanCode}:jayapura:2026-12-02`,
    });
    expect(scanned.body).toEqual(checkIn.body);
    expect(await sys.deps.appointments.byCode(medanCode)).toMatchObject({ state: 'offered' });
    // An admin sees every office, so for an admin the difference is no secret.
    const byAdmin = await req('POST', '/api/officer/check-in', admin, { code: medanCode });
    expect(byAdmin.body.error.code).not.toBe('unknown_code');
  });

  it('/metrics takes an admin token and nothing less', async () => {
    expect((await req('GET', '/metrics', { authorization: `Bearer ${adminToken}` })).status).toBe(200);
    expect((await req('GET', '/metrics', { authorization: `Bearer ${officerToken}` })).status).toBe(403);
    expect((await req('GET', '/metrics', { authorization: `Basic ${btoa('sec-admin:x')}` })).status).toBe(
      401,
    );
  });
});

describe('sessions', () => {
  it('applicant sign-in rotates the session id and kills the old one', async () => {
    const first = await signInApplicant(sys, 'rotate@example.com', '10.1.1.1');
    sys.clock.now = new Date(MONDAY.getTime() + 61_000);
    await call(sys, 'POST', '/api/auth/code', {
      contact: 'rotate@example.com',
      pow: await powFor(sys, 'code'),
    });
    const code = /(\d{6})/.exec(
      outbox(sys)
        .filter((m) => m.to === 'rotate@example.com')
        .at(-1)!.text,
    )![1];
    const again = await call(
      sys,
      'POST',
      '/api/auth/verify',
      { contact: 'rotate@example.com', code },
      { cookie: first.cookie! },
    );
    sys.clock.now = MONDAY;
    expect(again.status).toBe(200);
    const second = again.headers.get('set-cookie')!.split(';')[0]!;
    expect(second).not.toBe(first.cookie);
    expect(again.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(again.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect((await req('GET', '/api/me', { cookie: first.cookie! })).status).toBe(401);
    expect((await req('GET', '/api/me', { cookie: second })).status).toBe(200);
  });

  it('staff sign-in rotates the session id and kills the old one', async () => {
    const login = (cookie?: string) =>
      call(
        sys,
        'POST',
        '/api/staff/login',
        { username: 'sec-admin', password: STAFF_PASSWORD },
        cookie ? { cookie } : {},
      );
    const a = (await login()).headers.get('set-cookie')!.split(';')[0]!;
    const b = (await login(a)).headers.get('set-cookie')!.split(';')[0]!;
    expect(b).not.toBe(a);
    expect((await req('GET', '/api/staff/me', { cookie: a })).status).toBe(401);
    expect((await req('GET', '/api/staff/me', { cookie: b })).status).toBe(200);
  });

  it('logout ends the session on the server, not just in the browser', async () => {
    const h = await signInApplicant(sys, 'logout@example.com', '10.1.1.2');
    expect((await req('POST', '/api/auth/logout', h)).status).toBe(200);
    expect((await req('GET', '/api/me', h)).status).toBe(401);
    const s = await signInStaff(sys, { username: 'sec-logout', role: 'officer', officeId: 'medan' });
    expect((await req('POST', '/api/staff/logout', s)).status).toBe(200);
    expect((await req('GET', '/api/staff/me', s)).status).toBe(401);
  });
});

describe('lockouts and enumeration', () => {
  it('staff: five wrong passwords lock that address out, not the user; unknown, wrong and locked look the same', async () => {
    await sys.deps.users.create({ username: 'sec-lock', role: 'admin', officeId: null }, STAFF_PASSWORD);
    const attempt = (username: string, password: string, ip = `lock-${username}`) =>
      call(sys, 'POST', '/api/staff/login', { username, password }, { 'x-test-ip': ip });
    const wrong = await attempt('sec-lock', 'not the password');
    const unknown = await attempt('sec-nobody', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    for (let i = 0; i < 4; i++) await attempt('sec-lock', 'not the password');
    const locked = await attempt('sec-lock', STAFF_PASSWORD);
    expect(locked.status).toBe(401);
    expect(locked.body).toEqual(wrong.body);
    expect(locked.headers.get('set-cookie')).toBeNull();
    // The real admin, elsewhere, is not locked out by someone else's guesses.
    expect((await attempt('sec-lock', STAFF_PASSWORD, 'lock-the-real-admin')).status).toBe(200);
  });

  it('applicant: five wrong codes burn the code, even against the right code', async () => {
    const contact = 'sec-codes@example.com';
    await call(sys, 'POST', '/api/auth/code', { contact, pow: await powFor(sys, 'code') });
    const right = /(\d{6})/.exec(
      outbox(sys)
        .filter((m) => m.to === contact)
        .at(-1)!.text,
    )![1]!;
    const wrongCode = right === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++) await call(sys, 'POST', '/api/auth/verify', { contact, code: wrongCode });
    const burned = await call(sys, 'POST', '/api/auth/verify', { contact, code: right });
    expect(burned.status).toBe(400);
    expect(burned.body.error).toMatchObject({ code: 'invalid_code', triesLeft: 0 });
    expect(burned.headers.get('set-cookie')).toBeNull();
  });

  it('asking for a code or trying one says nothing about whether an account exists', async () => {
    const known = 'sec-applicant@example.com';
    const unknown = 'nobody-here@example.com';
    sys.clock.now = new Date(MONDAY.getTime() + 3600_000);
    const a = await call(sys, 'POST', '/api/auth/code', { contact: known, pow: await powFor(sys, 'code') });
    const b = await call(sys, 'POST', '/api/auth/code', { contact: unknown, pow: await powFor(sys, 'code') });
    expect(a.status).toBe(202);
    expect(b.body).toEqual(a.body);
    // A verified account with no pending code and a contact never seen: the same refusal.
    const c = await call(sys, 'POST', '/api/auth/verify', { contact: 'logout@example.com', code: '123456' });
    const d = await call(sys, 'POST', '/api/auth/verify', {
      contact: 'never-seen@example.com',
      code: '123456',
    });
    sys.clock.now = MONDAY;
    expect(c.status).toBe(400);
    expect(d.body).toEqual(c.body);
  });
});

describe('rate limits', () => {
  let limited: TestSystem;
  beforeAll(async () => {
    limited = await startTestSystem({ RATE_LIMIT_MULTIPLIER: '1' });
    limited.clock.now = MONDAY;
    await seedDemoOffices(limited.redis.client, limited.deps.offices);
  });
  afterAll(() => limited.stop());

  async function until429(send: () => Promise<{ status: number; headers: globalThis.Headers; body: any }>) {
    for (let i = 1; i <= 1000; i++) {
      const res = await send();
      if (res.status === 429) return { n: i, res };
    }
    throw new Error('never limited');
  }

  it('each limit answers 429 rate_limited with Retry-After', async () => {
    const ip = (n: string) => ({ 'x-test-ip': `203.0.113.${n}` });
    const h = await signInApplicant(limited, 'limits@example.com', '203.0.113.200');
    const person = await call(
      limited,
      'POST',
      '/api/me/persons',
      {
        nik: exampleNik({ birthDate: '1990-03-15', sex: 'M', serial: 9 }),
        name: 'Ani',
        birthDate: '1990-03-15',
      },
      h,
    );
    expect(person.status).toBe(201);
    const cases: [string, number, () => Promise<any>][] = [
      ['pow-ip', 601, () => call(limited, 'GET', '/api/pow/challenge?purpose=code', undefined, ip('1'))],
      ['code-ip', 31, () => call(limited, 'POST', '/api/auth/code', { contact: 'x@example.com' }, ip('2'))],
      [
        'verify-ip',
        61,
        () => call(limited, 'POST', '/api/auth/verify', { contact: 'x', code: '1' }, ip('3')),
      ],
      [
        'staff-login',
        21,
        () => call(limited, 'POST', '/api/staff/login', { username: 'a', password: 'b' }, ip('4')),
      ],
      ['person-acct', 30, () => call(limited, 'POST', '/api/me/persons', {}, h)],
      ['join-acct', 31, () => call(limited, 'POST', '/api/me/entries', {}, h)],
      ['withdraw-ip', 601, () => call(limited, 'DELETE', '/api/me/entries/AAAAAAAAAAAA', undefined, h)],
      ['appt-ip', 601, () => call(limited, 'POST', '/api/me/appointments/ABCDEF/confirm', {}, h)],
    ];
    for (const [bucket, expected, send] of cases) {
      const { n, res } = await until429(send);
      expect(n, bucket).toBe(expected);
      expect(res.body.error.code, bucket).toBe('rate_limited');
      expect(Number(res.headers.get('retry-after')), bucket).toBeGreaterThan(0);
    }
    // Bad bodies and good ones count in the same window: a valid join is now refused too, and enters nothing.
    const join = await call(
      limited,
      'POST',
      '/api/me/entries',
      {
        personId: person.body.person.id,
        officeId: 'medan',
        prefs: 'any',
        pow: await powFor(limited, 'entry'),
      },
      h,
    );
    expect(join.status).toBe(429);
    expect((await call(limited, 'GET', '/api/me/entries', undefined, h)).body.entries).toEqual([]);
    // Per contact: five codes an hour, even spaced past the resend wait and from fresh IPs.
    const contact = 'often@example.com';
    const send = async (i: number) => {
      limited.clock.now = new Date(MONDAY.getTime() + i * 61_000);
      return call(
        limited,
        'POST',
        '/api/auth/code',
        { contact, pow: await powFor(limited, 'code') },
        ip(`${50 + i}`),
      );
    };
    for (let i = 0; i < 5; i++) expect((await send(i)).status).toBe(202);
    const sixth = await send(5);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    limited.clock.now = MONDAY;
  }, 120_000);
});

describe('secrets at rest and in the log', () => {
  it('no plaintext NIK, sign-in code, password, session id or API token in Redis or the log', async () => {
    const niks = [1, 2, 3].map((serial) => exampleNik({ birthDate: '1985-07-01', sex: 'F', serial }));
    for (const nik of niks) {
      const r = await req('POST', '/api/me/persons', applicant, {
        nik,
        name: 'Siti Aminah',
        birthDate: '1985-07-01',
      });
      expect(r.status).toBe(201);
    }
    const dump = await dumpRedis(sys.redis.client);
    const logs = sys.logLines.join('\n');
    const secrets: [string, string][] = [
      ...niks.map((n): [string, string] => ['NIK', n]),
      ['staff password', STAFF_PASSWORD],
      ['admin API token', adminToken],
      ['officer API token', officerToken],
      ['applicant session id', applicant.cookie!.split('=')[1]!],
      ['admin session id', admin.cookie!.split('=')[1]!],
    ];
    for (const [what, value] of secrets) {
      expect(dump.includes(value), `${what} in Redis`).toBe(false);
      expect(logs.includes(value), `${what} in the log`).toBe(false);
    }
    // Six-digit codes could occur by chance inside hashes and timestamps; look for them as values.
    const codes = outbox(sys)
      .filter((m) => m.template === 'signin_code')
      .map((m) => /(\d{6})/.exec(m.text)?.[1])
      .filter((c): c is string => !!c);
    expect(codes.length).toBeGreaterThan(5);
    for (const code of codes) {
      for (const shape of [`"${code}"`, `\n${code}\n`, `|${code}|`, `:${code}"`, `=${code}`]) {
        expect(dump.includes(shape), `sign-in code ${code} in Redis`).toBe(false);
      }
      expect(new RegExp(`(?<![0-9a-f])${code}(?![0-9a-f])`).test(logs), `sign-in code in the log`).toBe(
        false,
      );
    }
  });
});
