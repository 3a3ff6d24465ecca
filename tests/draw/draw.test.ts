import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawCloseInstant } from '../../src/domain/calendar.ts';
import { verifyPublishedDraw } from '../../src/domain/verify.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawRunner, type DrawStep } from '../../src/services/draw-runner.ts';
import { drawSchedulerId } from '../../workers/schedulers.ts';
import { fillDraw } from '../support/entries.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

const run = promisify(execFile);
let sys: TestSystem;
let admin: Record<string, string>;
const MONDAY = new Date('2026-11-30T01:00:00Z');

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  sys.clock.now = MONDAY;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  admin = await signInStaff(sys, { username: 'draw-admin', role: 'admin' });
});
afterAll(() => sys.stop());

describe('scheduling', () => {
  it('one job scheduler per office fires at the draw time in its own zone', async () => {
    const { syncAllSchedulers } = await import('../../workers/schedulers.ts');
    await syncAllSchedulers(sys.deps);
    const queue = sys.deps.queues!.draw;
    for (const [office, utcHour] of [
      ['jakarta-selatan', 12],
      ['denpasar', 11],
      ['jayapura', 10],
    ] as const) {
      const s = await queue.getJobScheduler(drawSchedulerId(office));
      expect(s?.tz).toBeTruthy();
      expect(s?.pattern).toBe('0 19 * * *');
      expect(new Date(s!.next!).getUTCHours()).toBe(utcHour);
    }
  });

  it('a rules change moves the scheduler', async () => {
    const { syncDrawScheduler } = await import('../../workers/schedulers.ts');
    const cur = (await sys.deps.offices.rules('ambon'))!;
    await sys.deps.offices.updateRules('ambon', { ...cur.rules, drawTime: '17:30' }, cur.version, 'test');
    await syncDrawScheduler(sys.deps, 'ambon');
    const s = await sys.deps.queues!.draw.getJobScheduler(drawSchedulerId('ambon'));
    expect(s?.pattern).toBe('30 17 * * *');
    expect(new Date(s!.next!).getUTCHours()).toBe(8); // 17:30 WIT
  });

  it('a tick on a draw day after the close enqueues that day’s draw under a deterministic id', async () => {
    await fillDraw(sys.deps, 'makassar', '2026-11-30', '2026-12-02', 30);
    sys.clock.now = new Date(
      drawCloseInstant(
        (await sys.deps.offices.rules('makassar'))!.rules,
        'Asia/Makassar',
        '2026-11-30',
      ).getTime() + 1000,
    );
    const { QueueEvents } = await import('bullmq');
    const events = new QueueEvents('draw', {
      connection: (sys.deps.queues!.draw.opts.connection as any).duplicate(),
      prefix: '{fsq}',
    });
    await events.waitUntilReady();
    // Listen first, then add: a job that finishes before the listener starts would never be heard.
    const job = await sys.deps.queues!.draw.add('tick', { officeId: 'makassar' });
    expect(await job.waitUntilFinished(events, 30_000)).toEqual({ enqueued: 'draw.makassar.2026-11-30' });
    const runJob = await sys.deps.queues!.draw.getJob('draw.makassar.2026-11-30');
    await runJob!.waitUntilFinished(events, 20_000);
    expect((await sys.deps.draws.meta('makassar', '2026-11-30'))?.state).toBe('drawn');
    // Saturday is no draw day when daysAhead = 2 (Monday is served by Saturday's draw; Sunday's target is Tuesday)
    sys.clock.now = new Date('2026-12-03T12:00:00Z'); // Thursday 20:00 WITA → target Saturday: no draw
    const tick = await sys.deps.queues!.draw.add('tick', { officeId: 'makassar' });
    expect(await tick.waitUntilFinished(events, 20_000)).toEqual({ skipped: 'not a draw day' });
    await events.close();
    sys.clock.now = MONDAY;
  });
});

describe('a real draw', () => {
  let published: any;

  it('admin "run now" closes the open draw, assigns slots by preference and publishes it', async () => {
    const sessions = ['pagi-1', 'pagi-2', 'siang-1', 'siang-2'];
    await fillDraw(sys.deps, 'jakarta-selatan', '2026-11-30', '2026-12-02', 500, {
      prefs: (i) => (i % 3 === 0 ? null : [sessions[i % 4]!, sessions[(i + 1) % 4]!]),
      category: (i) => (i % 10 === 0 ? 'lansia' : null),
    });
    const before = await call(sys, 'GET', '/api/draws/jakarta-selatan/2026-11-30');
    expect(before.body.status).toBe('open');
    expect(before.body.seed).toBeNull();
    expect(before.body.commitment).toMatch(/^[0-9a-f]{64}$/);

    const res = await call(
      sys,
      'POST',
      '/api/admin/draws/jakarta-selatan/run',
      { drawDate: '2026-11-30', early: true },
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'drawn', winners: 200, waitlisted: 300, entryCount: 500 });

    published = (await call(sys, 'GET', '/api/draws/jakarta-selatan/2026-11-30')).body;
    expect(published.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(published.entries).toHaveLength(500);
    expect(published.results).toHaveLength(500);
    // no personal data in the public record
    expect(JSON.stringify(published)).not.toMatch(/nh-|acct/);
    // lansia entries carry weight 2
    expect(new Set(published.entries.map((e: any) => e.weight))).toEqual(new Set([1, 2]));
    const perSession: Record<string, number> = {};
    for (const r of published.results)
      if (r.sessionId) perSession[r.sessionId] = (perSession[r.sessionId] ?? 0) + 1;
    expect(perSession).toEqual({ 'pagi-1': 50, 'pagi-2': 50, 'siang-1': 50, 'siang-2': 50 });
    expect(verifyPublishedDraw(published).match).toBe(true);
  });

  it('running again is a no-op with identical results', async () => {
    const digest = published.resultsDigest;
    await call(
      sys,
      'POST',
      '/api/admin/draws/jakarta-selatan/run',
      { drawDate: '2026-11-30', early: true },
      admin,
    );
    const again = (await call(sys, 'GET', '/api/draws/jakarta-selatan/2026-11-30')).body;
    expect(again.resultsDigest).toBe(digest);
    expect(again.results).toEqual(published.results);
  });

  it('no entry can join a closed draw; new entries go to the next one', async () => {
    const r = await sys.deps.entries.join({
      accountId: 'late',
      personId: 'p',
      nikHash: 'late-1',
      birthDate: '1980-01-01',
      category: null,
      officeId: 'jakarta-selatan',
      drawDate: '2026-11-30',
      targetDate: '2026-12-02',
      prefs: null,
    });
    expect(r).toEqual({ ok: false, reason: 'draw_closed' });
  });

  it('verify-draw prints MATCH against the server and a mismatch for an altered record', async () => {
    const server = serve({ fetch: sys.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as any).port;
    const cli = path.resolve('src/cli/verify-draw.ts');
    try {
      const ok = await run(process.execPath, [
        '--import',
        'tsx',
        cli,
        'jakarta-selatan',
        '2026-11-30',
        '--url',
        `http://127.0.0.1:${port}`,
      ]);
      expect(ok.stdout).toContain('MATCH');
      for (const alter of [
        (d: any) => (d.entries[3].weight = d.entries[3].weight + 1),
        (d: any) => (d.entries[7].ticket = 'ZZZZZZZZZZZZ'),
        (d: any) => (d.seed = `${d.seed.slice(0, 63)}${d.seed.at(-1) === '0' ? '1' : '0'}`),
      ]) {
        const copy = structuredClone(published);
        alter(copy);
        const file = path.join(sys.redis.dir, 'altered.json');
        writeFileSync(file, JSON.stringify(copy));
        const bad = await run(process.execPath, ['--import', 'tsx', cli, '--file', file]).catch((e) => e);
        expect(bad.code).toBe(1);
        expect(bad.stdout).toContain('MISMATCH');
      }
    } finally {
      server.close();
    }
  }, 120_000);

  it('admins can preview with a throwaway seed and export CSV', async () => {
    await fillDraw(sys.deps, 'medan', '2026-11-30', '2026-12-02', 50);
    const prev = await call(sys, 'POST', '/api/admin/draws/medan/preview', {}, admin);
    expect(prev.status).toBe(200);
    expect(prev.body).toMatchObject({ entries: 50, winners: 50, throwawaySeed: true });
    expect((await sys.deps.draws.meta('medan', '2026-11-30'))?.state).toBe('open');
    const csv = await sys.app.request('/api/admin/draws/jakarta-selatan/dates/2026-11-30/export.csv', {
      headers: admin,
    });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('rank,ticket,session,waitlist_position,nik_masked');
    expect(lines).toHaveLength(501);
    const notYet = await call(
      sys,
      'GET',
      '/api/admin/draws/medan/dates/2026-11-30/export.csv',
      undefined,
      admin,
    );
    expect(notYet.status).toBe(409);
    expect(
      (await call(sys, 'POST', '/api/admin/draws/medan/run', {}, { cookie: admin.cookie! })).status,
    ).toBe(403);
    expect((await call(sys, 'POST', '/api/admin/draws/medan/run', {})).status).toBe(401);
  });

  it('public entropy announced in advance is mixed into the seed', async () => {
    await fillDraw(sys.deps, 'surabaya', '2026-11-30', '2026-12-02', 20);
    const set = await call(
      sys,
      'POST',
      '/api/admin/draws/surabaya/dates/2026-11-30/entropy',
      { value: 'beacon:2026-11-30T12:00Z:abcdef' },
      admin,
    );
    expect(set.status).toBe(200);
    const again = await call(
      sys,
      'POST',
      '/api/admin/draws/surabaya/dates/2026-11-30/entropy',
      { value: 'a different value' },
      admin,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('entropy_already_set');
    await call(sys, 'POST', '/api/admin/draws/surabaya/run', { drawDate: '2026-11-30', early: true }, admin);
    const d = (await call(sys, 'GET', '/api/draws/surabaya/2026-11-30')).body;
    expect(d.publicEntropy).toBe('beacon:2026-11-30T12:00Z:abcdef');
    expect(verifyPublishedDraw(d).match).toBe(true);
    expect(verifyPublishedDraw({ ...d, publicEntropy: null }).match).toBe(false);
    const late = await call(
      sys,
      'POST',
      '/api/admin/draws/surabaya/dates/2026-11-30/entropy',
      { value: 'too late value' },
      admin,
    );
    expect(late.status).toBe(409);
  });
});

describe('exactly once under crashes', () => {
  for (const step of ['closed', 'frozen', 'computed', 'staged'] as DrawStep[]) {
    it(`a crash after "${step}" and a rerun give identical, verifiable results`, async () => {
      const office = 'denpasar';
      const date = `2026-12-${String(10 + ['closed', 'frozen', 'computed', 'staged'].indexOf(step)).padStart(2, '0')}`;
      await fillDraw(sys.deps, office, date, '2026-12-20', 300, { prefix: `crash-${step}` });
      let stagedBeforeCrash: string | null = null;
      const crashing = new DrawRunner(sys.deps, async (s) => {
        if (s === step) {
          stagedBeforeCrash = await sys.redis.client.get(keys.drawResultsStaging(office, date));
          throw new Error(`simulated crash after ${s}`);
        }
      });
      await expect(crashing.run(office, date)).rejects.toThrow(/simulated crash/);
      const frozenAfterCrash = await sys.deps.draws.frozen(office, date);
      // an entry arriving after the crash cannot change the frozen inputs
      const late = await fillDraw(sys.deps, office, date, '2026-12-20', 1, { prefix: `late-${step}` }).catch(
        (e) => e,
      );
      expect(late).toBeInstanceOf(Error);
      await new DrawRunner(sys.deps).run(office, date);
      const d = (await call(sys, 'GET', `/api/draws/${office}/${date}`)).body;
      expect(verifyPublishedDraw(d).match).toBe(true);
      if (frozenAfterCrash) expect(await sys.deps.draws.frozen(office, date)).toBe(frozenAfterCrash);
      if (stagedBeforeCrash) expect(await sys.deps.draws.results(office, date)).toBe(stagedBeforeCrash);
      // exactly one row per entry, one slot per winner, capacity respected
      expect(new Set(d.results.map((r: any) => r.ticket)).size).toBe(300);
      expect(d.results.filter((r: any) => r.sessionId).length).toBe(160);
      // staging keys are gone
      expect(await sys.redis.client.exists(keys.drawOutcomeStaging(office, date))).toBe(0);
    });
  }
});

describe('queue dashboard', () => {
  it('is mounted behind admin sign-in and lists the queues read-only', async () => {
    expect((await call(sys, 'GET', '/admin/queues')).status).toBe(401);
    const officer = await signInStaff(sys, { username: 'qb-officer', role: 'officer', officeId: 'medan' });
    expect((await call(sys, 'GET', '/admin/queues', undefined, officer)).status).toBe(403);
    const page = await sys.app.request('/admin/queues', { headers: admin });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('fairslot queues');
    const api = await call(sys, 'GET', '/admin/queues/api/queues', undefined, admin);
    expect(api.status).toBe(200);
    const names = api.body.queues.map((q: any) => q.name).sort();
    expect(names).toEqual(['draw', 'lifecycle', 'maintenance', 'notify']);
    expect(api.body.queues.every((q: any) => q.readOnlyMode === true)).toBe(true);
  });
});
