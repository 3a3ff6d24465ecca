// A generated corpus for every request schema: for each body and query the API takes, fast-check builds
// valid requests (which the schema must accept) and near-valid ones (one field replaced by a hostile value,
// removed, retyped, or an unknown field added), sent as the caller the route expects, so they pass
// authentication and reach the handler and the store. Through app.request against a real Redis, with a
// fixed seed so a failure replays exactly.
//
// Invariants: never a 5xx or an exception; every refusal is the {error: {code, message}} shape; a valid
// request is never refused as invalid input; no plaintext NIK anywhere in Redis afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import {
  call,
  powFor,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';
import { type Identity, type Json, mutate, mutation, SESSIONS, TARGETS } from './corpus-targets.ts';

const SEED = 20_261_207;
const REQUESTS = Number(process.env.CORPUS_REQUESTS ?? 21_000);

let sys: TestSystem;
const identities: Record<Identity, Record<string, string>> = {
  none: {},
  applicant: {},
  admin: {},
  officer: {},
};
/** Registrations spread over several accounts, so most valid persons get past the household limit. */
const households: Record<string, string>[] = [];
const HOUSEHOLDS = 40;
const personIds: string[] = [];
/** Every NIK a request carried: none may be found in Redis in plain text afterwards. */
const niksSent = new Set<string>();

beforeAll(async () => {
  // Limits scaled out of the way so the corpus reaches the handlers instead of stopping at a 429.
  sys = await startTestSystem({ RATE_LIMIT_MULTIPLIER: '100000' });
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  identities.admin = await signInStaff(sys, { username: 'corpus-admin', role: 'admin' });
  identities.officer = await signInStaff(sys, {
    username: 'corpus-officer',
    role: 'officer',
    officeId: 'medan',
  });
  identities.applicant = await signInApplicant(sys, 'corpus@example.com');
  for (const [i, birthDate] of ['1980-01-01', '1990-02-02'].entries()) {
    const p = await call(
      sys,
      'POST',
      '/api/me/persons',
      { nik: exampleNik({ birthDate, sex: 'M', serial: 9000 + i }), name: 'Agus Salim', birthDate },
      identities.applicant,
    );
    expect(p.status).toBe(201);
    personIds.push(p.body.person.id);
  }
  for (let i = 0; i < HOUSEHOLDS; i++)
    households.push(await signInApplicant(sys, `household${i}@example.com`));
});
afterAll(() => sys.stop());

// ---- building and sending --------------------------------------------------------------------------

interface Planned {
  seq: number;
  target: number;
  valid: boolean;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
}

function plan(n: number, seed: number): Planned[] {
  const arb = fc
    .oneof(
      ...TARGETS.map((t, i) => ({
        weight: t.weight,
        arbitrary: fc.record({
          target: fc.constant(i),
          path: t.path,
          body: t.body ?? fc.constant(undefined),
          query: t.query ?? fc.constant(undefined),
          mutation,
          valid: fc.boolean(),
        }),
      })),
    )
    .map((g): Planned => {
      const t = TARGETS[g.target]!;
      const valid = g.valid && !t.neverValid;
      let body: unknown = g.body;
      let query = g.query as Record<string, string> | undefined;
      if (!valid) {
        if (body !== undefined) {
          body = mutate(body as Json, g.mutation);
          // A what-if never passes: days below its minimum, whatever the mutation left.
          if (t.neverValid && body && typeof body === 'object' && !Array.isArray(body)) {
            body = { ...(body as Json), days: 6 };
          }
        } else if (query) {
          query = mutate(query, g.mutation) as Record<string, string>;
        } else {
          return {
            seq: 0,
            target: g.target,
            valid: false,
            path: `${g.path}${encode(String(g.mutation.value)).slice(0, 200)}`,
          };
        }
      }
      return { seq: 0, target: g.target, valid, path: g.path, body, query };
    });
  return fc.sample(arb, { seed, numRuns: n }).map((p, seq) => ({ ...p, seq }));
}

function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

function queryString(q: Record<string, unknown> | null | undefined): string {
  if (!q || typeof q !== 'object' || Array.isArray(q))
    return q === undefined ? '' : `?q=${encode(String(q))}`;
  const parts = Object.entries(q).map(
    ([k, v]) => `${encode(k)}=${encode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`,
  );
  return parts.length ? `?${parts.join('&')}` : '';
}

interface Outcome {
  ms: number;
  schema: string;
  valid: boolean;
  status: number;
  code: string | null;
  detail: string;
}

function collectNiks(v: unknown): void {
  if (typeof v === 'string' && /^\d{16}$/.test(v)) niksSent.add(v);
  else if (v && typeof v === 'object') for (const c of Object.values(v)) collectNiks(c);
}

async function send(p: Planned): Promise<Outcome> {
  const t = TARGETS[p.target]!;
  const headers: Record<string, string> = {
    ...(t.schema === 'personSchema' ? households[p.seq % HOUSEHOLDS]! : identities[t.identity]),
  };
  let body = p.body;
  if (t.pow && body && typeof body === 'object' && !Array.isArray(body)) {
    body = { ...(body as Json), pow: await powFor(sys, t.pow) };
  }
  if (t.schema === 'joinSchema' && body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Json;
    if (b.personId === 'p0' || b.personId === 'p1') b.personId = personIds[b.personId === 'p0' ? 0 : 1];
    // Near-valid rules updates that stayed valid may have removed sessions: a valid join names sessions
    // the office has now (the generated names stand for positions in its list).
    if (p.valid && Array.isArray(b.prefs)) {
      const now = (await sys.deps.offices.rules(String(b.officeId)))?.rules.sessions.map((x) => x.id) ?? [];
      b.prefs = [...new Set((b.prefs as string[]).map((id) => now[SESSIONS.indexOf(id) % now.length]!))];
    }
  }
  collectNiks(body);
  const init: RequestInit = { method: t.method, headers };
  if (t.body) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body) ?? 'null';
  }
  const url = `${p.path}${queryString(p.query)}`;
  let res: Response;
  const t0 = performance.now();
  try {
    res = await sys.app.request(url, init);
  } catch (err) {
    return {
      ms: 0,
      schema: t.schema,
      valid: p.valid,
      status: 599,
      code: null,
      detail: `threw: ${(err as Error).message}`,
    };
  }
  const text = await res.text();
  let code: string | null = null;
  let shapeOk = res.status < 400;
  if (res.status >= 400) {
    try {
      const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      code = typeof parsed.error?.code === 'string' ? parsed.error.code : null;
      shapeOk = code !== null && typeof parsed.error?.message === 'string';
    } catch {}
  }
  return {
    ms: performance.now() - t0,
    schema: t.schema,
    valid: p.valid,
    status: shapeOk ? res.status : 598,
    code,
    detail: `${t.method} ${url.slice(0, 160)} ${JSON.stringify(body)?.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`,
  };
}

describe('a generated corpus for every request schema', () => {
  it(`${REQUESTS} valid and near-valid requests: no 5xx, one error shape, valid input accepted`, async () => {
    const failures: Outcome[] = [];
    const perSchema: Record<
      string,
      { sent: number; valid: number; accepted: number; ms: number; statuses: Record<number, number> }
    > = {};
    const started = Date.now();
    let sent = 0;
    const chunk = 1500;
    for (let k = 0; k * chunk < REQUESTS; k++) {
      const batch = plan(Math.min(chunk, REQUESTS - k * chunk), SEED + k);
      // 24 lanes, each taking the next request when its last one is answered: a slow request (a password
      // hash, a draw preview) holds up one lane, not a whole batch.
      let next = 0;
      const record = (o: Outcome) => {
        sent++;
        const s = perSchema[o.schema] ?? { sent: 0, valid: 0, accepted: 0, ms: 0, statuses: {} };
        perSchema[o.schema] = s;
        s.sent++;
        s.ms += Math.round(o.ms);
        s.statuses[o.status] = (s.statuses[o.status] ?? 0) + 1;
        if (o.valid) s.valid++;
        if (o.status < 300) s.accepted++;
        const refusedAsInvalid = o.valid && (o.code === 'invalid_input' || o.code === 'invalid_json');
        if ((o.status >= 500 || refusedAsInvalid) && failures.length < 30) failures.push(o);
      };
      await Promise.all(
        Array.from({ length: 24 }, async () => {
          while (next < batch.length) record(await send(batch[next++]!));
        }),
      );
      // The captured debug log would otherwise be what grows.
      const unhandled = sys.logLines.filter((l) => l.includes('unhandled error'));
      expect(unhandled.slice(0, 3)).toEqual([]);
      sys.logLines.length = 0;
    }
    const ms = Date.now() - started;
    console.info(`schema corpus ${JSON.stringify({ sent, ms, perSchema })}`);

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(20_000);
    // Every schema was exercised both ways, and its valid requests got through somewhere.
    for (const t of TARGETS) {
      const s = perSchema[t.schema];
      expect(s?.sent ?? 0, t.schema).toBeGreaterThan(100);
      if (!t.neverValid) expect(s!.valid, t.schema).toBeGreaterThan(20);
    }
    // No NIK a request carried is stored in plain text.
    const stored = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = (await (sys.redis.client as any).scan(cursor, 'COUNT', 1000)) as [
        string,
        string[],
      ];
      cursor = next;
      for (const key of batch) {
        const type = await sys.redis.client.type(key);
        const dump =
          type === 'hash'
            ? JSON.stringify(await sys.redis.client.hgetall(key))
            : type === 'string'
              ? ((await sys.redis.client.get(key)) ?? '')
              : '';
        for (const m of `${key} ${dump}`.match(/\d{16}/g) ?? []) stored.add(m);
      }
    } while (cursor !== '0');
    expect([...niksSent].filter((n) => stored.has(n))).toEqual([]);
    expect(niksSent.size).toBeGreaterThan(1000);
  }, 400_000);
});
