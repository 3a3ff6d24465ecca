// A whole fairslot system for a test: its own Redis, real stores, the real Hono app, a clock the test
// controls and a captured log the test can scan for personal data.
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.ts';
import { solvePow } from '../../src/auth/pow-solve.ts';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { normalizeContact } from '../../src/domain/contact.ts';
import { createLogger } from '../../src/log.ts';
import { createQueues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { startTestRedis, type TestRedis } from './redis.ts';

export interface TestSystem {
  redis: TestRedis;
  deps: Deps;
  app: ReturnType<typeof createApp>;
  logLines: string[];
  clock: { now: Date };
  /** The BullMQ workers, when started with { workers: true }. */
  workers: RunningWorkers | null;
  stop(): Promise<void>;
}

export async function startTestSystem(
  env: Record<string, string> = {},
  opts: { workers?: boolean } = {},
): Promise<TestSystem> {
  const redis = await startTestRedis();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  const config = loadConfig({
    LOG_LEVEL: 'debug',
    POW_COST: '0',
    NIK_HASH_KEY: 'test-nik-hash-key-0123456789abcdef0123',
    APP_SECRET: 'test-app-secret-0123456789abcdef012345',
    DATA_DIR: redis.dir,
    ...env,
  });
  const clock = { now: new Date() };
  const deps = createDeps(config, redis.client, createLogger('debug', sink), () => clock.now);
  await deps.beacon?.init();
  let workers: RunningWorkers | null = null;
  let queueConnection: RedisClient | null = null;
  if (opts.workers) {
    queueConnection = createRedis(redis.url, { forBullmq: true });
    deps.queues = createQueues(queueConnection);
    workers = await startWorkers(deps, redis.url);
  }
  const app = createApp(deps);
  return {
    redis,
    deps,
    app,
    logLines,
    clock,
    workers,
    async stop() {
      await workers?.close();
      await deps.drawControl.close();
      await deps.queues?.close();
      queueConnection?.disconnect();
      await redis.stop();
    },
  };
}

/** JSON request helper around app.request. */
export async function call(
  sys: TestSystem,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await sys.app.request(path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Creates a staff user and signs in; returns headers carrying the cookie and CSRF token. */
export async function signInStaff(
  sys: TestSystem,
  user: { username: string; role: 'admin' | 'officer'; officeId?: string | null },
): Promise<Record<string, string>> {
  const password = 'correct horse battery staple';
  await sys.deps.users.create(
    { username: user.username, role: user.role, officeId: user.officeId ?? null },
    password,
  );
  const res = await sys.app.request('/api/staff/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': body.csrfToken };
}

/** Reads the outbox the default channel writes, newest last. */
export function outbox(sys: TestSystem): Array<{ to: string; template: string; text: string; lang: string }> {
  const file = `${sys.redis.dir}/outbox.jsonl`;
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

export async function powFor(sys: TestSystem, purpose: 'code' | 'entry'): Promise<string> {
  return solvePow(await sys.deps.pow.challenge(purpose));
}

/** The whole sign-in: ask for a code, read it from the outbox, verify. Returns session headers. */
export async function signInApplicant(
  sys: TestSystem,
  contact: string,
  ip = '10.0.0.1',
): Promise<Record<string, string>> {
  const asked = await call(
    sys,
    'POST',
    '/api/auth/code',
    { contact, pow: await powFor(sys, 'code') },
    { 'x-test-ip': ip },
  );
  if (asked.status !== 202) throw new Error(`code request failed: ${JSON.stringify(asked.body)}`);
  const n = normalizeContact(contact);
  const normalized = n.ok ? n.value : contact;
  const msg = outbox(sys)
    .filter((m) => m.to === normalized && m.template === 'signin_code')
    .at(-1);
  const code = /(\d{6})/.exec(msg?.text ?? '')?.[1];
  if (!code) throw new Error('no code in outbox');
  const res = await sys.app.request('/api/auth/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-ip': ip },
    body: JSON.stringify({ contact, code }),
  });
  if (res.status !== 200) throw new Error(`verify failed: ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': body.csrfToken, 'x-test-ip': ip };
}
