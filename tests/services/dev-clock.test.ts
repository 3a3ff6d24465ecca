// DEV_MODE and its virtual clock: refused in production, moved only forward and only by admins, and
// moving it runs what the new time makes due — delayed lifecycle jobs and each office's draw — so a demo
// can live through days. Real Redis and BullMQ workers.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createClock } from '../../src/clock.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { drawCloseInstant, nextDraw } from '../../src/domain/calendar.ts';
import { createLogger } from '../../src/log.ts';
import { createQueues } from '../../src/queues.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { fillDraw } from '../support/entries.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

describe('DEV_MODE configuration', () => {
  // Everything else production needs is set, so only DEV_MODE can be what is refused.
  const production = {
    NODE_ENV: 'production',
    NIK_HASH_KEY: 'q8Xz1Lr0vN4mB6tY2cW9eH5jK3pS7uA0dF1gJ2hL',
    APP_SECRET: 'Tn3Vb8Mx0Zq5Wk2Rj7Yp4Hs9Lc1Fd6Ga0Ue3Io8P',
    LOG_SIGNING_KEY: '5e'.repeat(32),
    BEACON: 'off',
  };
  it('is refused under NODE_ENV=production', () => {
    expect(loadConfig(production).DEV_MODE).toBe(false);
    expect(() => loadConfig({ ...production, DEV_MODE: 'true' })).toThrow(
      new ConfigError('invalid configuration: DEV_MODE: refused under NODE_ENV=production'),
    );
  });
  it('needs one process (the clock lives in it)', () => {
    const dev = { NODE_ENV: 'development', DEV_MODE: 'true' };
    expect(loadConfig(dev).DEV_MODE).toBe(true);
    expect(() => loadConfig({ ...dev, API_PROCESSES: '2' })).toThrow(/ROLE=all and API_PROCESSES=1/);
    expect(() => loadConfig({ ...dev, ROLE: 'api' })).toThrow(/DEV_MODE/);
  });
  it('makes the proof-of-work trivial unless POW_COST is set', () => {
    const env = { NODE_ENV: 'development' };
    expect(loadConfig({ ...env, DEV_MODE: 'true' }).POW_COST).toBe(0);
    expect(loadConfig({ ...env, DEV_MODE: 'true', POW_COST: '5000' }).POW_COST).toBe(5000);
    expect(loadConfig(env).POW_COST).toBe(200_000);
  });
});

describe('the virtual clock', () => {
  let redis: TestRedis;
  let deps: Deps;
  let workers: RunningWorkers;
  let queueConnection: RedisClient;
  let app: ReturnType<typeof createApp>;
  const auth: Record<string, string> = {};
  const officerAuth: Record<string, string> = {};

  beforeAll(async () => {
    redis = await startTestRedis();
    const config = loadConfig({
      NODE_ENV: 'development',
      DEV_MODE: 'true',
      DATA_DIR: redis.dir,
      LOG_LEVEL: 'silent',
    });
    const clock = await createClock(true, redis.client);
    const log = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
    deps = createDeps(config, redis.client, log, clock.now);
    deps.clock = clock;
    queueConnection = createRedis(redis.url, { forBullmq: true });
    deps.queues = createQueues(queueConnection);
    await seedDemoOffices(redis.client, deps.offices);
    workers = await startWorkers(deps, redis.url);
    app = createApp(deps);
    await deps.users.create(
      { username: 'clock-admin', role: 'admin', officeId: null },
      'a long enough password',
    );
    auth.authorization = `Bearer ${await deps.users.createToken('clock-admin', 't')}`;
    await deps.users.create(
      { username: 'clock-officer', role: 'officer', officeId: 'jakarta-selatan' },
      'a long enough password',
    );
    officerAuth.authorization = `Bearer ${await deps.users.createToken('clock-officer', 't')}`;
  }, 60_000);
  afterAll(async () => {
    await workers?.close();
    await deps?.drawControl.close();
    await deps?.queues?.close();
    queueConnection?.disconnect();
    await redis?.stop();
  });

  const move = (body: unknown, headers = auth) =>
    app.request('/api/dev/clock', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('does not exist without DEV_MODE', async () => {
    const plain = createApp({ ...deps, clock: { now: () => new Date(), virtual: null } });
    expect((await plain.request('/api/dev/clock', { headers: auth })).status).toBe(404);
  });

  it('is for admins only, moves only forward and keeps its offset across restarts', async () => {
    expect((await move({ minutes: 5 }, officerAuth)).status).toBe(403);
    expect((await app.request('/api/dev/clock')).status).toBe(401);
    const before = deps.now().getTime();
    const back = await move({ to: new Date(before - 3600_000).toISOString() });
    expect(back.status).toBe(409);
    expect((await move({ minutes: 5, to: new Date().toISOString() })).status).toBe(400);
    const r = await move({ minutes: 90 });
    expect(r.status).toBe(200);
    expect(deps.now().getTime() - before).toBeGreaterThanOrEqual(90 * 60_000);
    expect(deps.now().getTime() - before).toBeLessThan(91 * 60_000);
    const again = await createClock(true, redis.client);
    expect(Math.abs(again.now().getTime() - deps.now().getTime())).toBeLessThan(1000);
  });

  it('brings delayed lifecycle jobs nearer by the time it moves, and runs those due', async () => {
    const q = deps.queues!.lifecycle;
    await q.add('sweep', {}, { jobId: 'later-sweep', delay: 2 * 3600_000 });
    expect((await move({ minutes: 60 })).status).toBe(200);
    expect(await (await q.getJob('later-sweep'))!.getState()).toBe('delayed');
    expect((await move({ minutes: 61 })).status).toBe(200);
    expect(await (await q.getJob('later-sweep'))!.getState()).toBe('completed');
  });

  it("runs each office's draw once the clock passes its close, as the scheduler would", async () => {
    const office = (await deps.offices.get('jakarta-selatan'))!;
    const rules = (await deps.offices.rules(office.id))!.rules;
    const next = nextDraw(rules, office.tz, deps.now())!;
    await fillDraw(deps, office.id, next.drawDate, next.targetDate, 20);
    const close = drawCloseInstant(rules, office.tz, next.drawDate);
    const r = await move({ to: new Date(close.getTime() + 60_000).toISOString() });
    expect(r.status).toBe(200);
    expect((await r.json()).ticked).toBeGreaterThan(0);
    const meta = await deps.draws.meta(office.id, next.drawDate);
    expect(meta?.state).toBe('drawn');
    expect(meta?.entryCount).toBe(20);
    // The fan-out ran too: the winners hold offers with a deadline in virtual time.
    const offered = await deps.appointments.forDay(office.id, next.targetDate);
    expect(offered.length).toBe(20);
  }, 60_000);

  it('stops at every instant on the way: two draws and the deadlines between them, in one move', async () => {
    const office = (await deps.offices.get('jakarta-selatan'))!;
    const rules = (await deps.offices.rules(office.id))!.rules;
    const first = nextDraw(rules, office.tz, deps.now())!;
    const second = nextDraw(rules, office.tz, new Date(Date.parse(first.closesAt)))!;
    await fillDraw(deps, office.id, first.drawDate, first.targetDate, 12, { prefix: 'first' });
    await fillDraw(deps, office.id, second.drawDate, second.targetDate, 7, { prefix: 'second' });
    const r = await move({ to: new Date(Date.parse(second.closesAt) + 3600_000).toISOString() });
    expect(r.status).toBe(200);
    expect((await deps.draws.meta(office.id, first.drawDate))?.state).toBe('drawn');
    expect((await deps.draws.meta(office.id, second.drawDate))?.state).toBe('drawn');
    // The first draw's winners never confirmed: their deadlines, between the two closes, passed on the way.
    const firstDay = await deps.appointments.forDay(office.id, first.targetDate);
    const fromFirst = firstDay.filter((a) => a.state !== 'confirmed');
    expect(fromFirst.length).toBeGreaterThan(0);
    expect(fromFirst.every((a) => a.state === 'forfeited')).toBe(true);
    const secondDay = await deps.appointments.forDay(office.id, second.targetDate);
    expect(secondDay.filter((a) => a.state === 'offered')).toHaveLength(7);
  }, 90_000);
});
