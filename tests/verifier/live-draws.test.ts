// Both verifiers against draws produced by a live server: the app served over HTTP with its BullMQ workers
// on a test Redis, a draw per demo office through "run now", and for every draw the Python verifier
// (verifier/verify_draw.py, given only the URL: record and transparency log) and the TypeScript checks
// print MATCH. A consistently rewritten record the log does not hold, and a log rewritten to hold it,
// are refused by both.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDrawLog } from '../../src/cli/log-check.ts';
import { computeDraw, resultsDigest } from '../../src/domain/draw-record.ts';
import { commitmentFor, effectiveSeedFor } from '../../src/domain/draw-spec.ts';
import { decodeLogLeaf, type LogEvent } from '../../src/domain/log-event.ts';
import { recordFacts } from '../../src/domain/log-verify.ts';
import { type PublishedDraw, verifyPublishedDraw } from '../../src/domain/verify.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { openDraw } from '../../src/services/open-draw.ts';
import { fillDraw } from '../support/entries.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

const root = path.resolve(import.meta.dirname, '../..');
let sys: TestSystem;
let server: ServerType;
let base: string;
const draws: { office: string; date: string }[] = [];

/** Asynchronous: the server answering the verifier runs in this process's event loop. */
function python(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { cwd: root, timeout: 120_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function tsVerify(record: PublishedDraw, sinceHead?: string) {
  const report = verifyPublishedDraw(record);
  const log = await checkDrawLog({
    baseUrl: base,
    drawId: record.drawId,
    record: recordFacts(record),
    sinceHead,
  });
  return { report, log, ok: report.match && log.ok };
}

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  const admin = await signInStaff(sys, { username: 'verifier-admin', role: 'admin' });
  for (const office of await sys.deps.offices.list()) {
    const rules = (await sys.deps.offices.rules(office.id))!.rules;
    const next = (await openDraw(sys.deps, office.id, office.tz, rules, sys.clock.now))!;
    const cats = rules.priorityCategories.map((c) => c.id);
    await fillDraw(sys.deps, office.id, next.drawDate, next.targetDate, 60, {
      category: (i) => (i % 4 === 0 && cats.length ? cats[i % cats.length]! : null),
      prefs: (i) => (i % 3 === 0 ? null : [rules.sessions[(i * 7) % rules.sessions.length]!.id]),
    });
    const res = await call(
      sys,
      'POST',
      `/api/admin/draws/${office.id}/run`,
      // Before its announced close: an admin confirms the early close, as the console asks.
      { drawDate: next.drawDate, early: true },
      admin,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    draws.push({ office: office.id, date: next.drawDate });
  }
  server = serve({ fetch: sys.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server?.close();
  await sys?.stop();
});

const recordOf = async (d: { office: string; date: string }) =>
  (await call(sys, 'GET', `/api/draws/${d.office}/${d.date}`)).body as PublishedDraw;

/** An insider's rerun with a seed of their choosing, every digest and the commitment made to fit. */
function rewritten(record: PublishedDraw): PublishedDraw {
  const seed = 'ab'.repeat(32);
  const results = computeDraw({
    seed: effectiveSeedFor(seed, null, record.publicEntropy),
    drawId: record.drawId,
    entries: record.entries!,
    sessions: record.sessions,
  });
  const winners = results.filter((r) => r.sessionId !== null).length;
  const copy = {
    ...record,
    seed,
    commitment: commitmentFor(record.drawId, seed, record.anchor),
    results,
    resultsDigest: resultsDigest(results),
    winners,
    waitlisted: results.length - winners,
  };
  expect(verifyPublishedDraw(copy).match).toBe(true);
  return copy;
}

describe('every draw of a live server', () => {
  it('is MATCH for the Python verifier (record and log, from the URL alone) and the TypeScript checks', async () => {
    expect(draws.length).toBeGreaterThanOrEqual(3);
    for (const d of draws) {
      const url = `${base}/api/draws/${d.office}/${d.date}`;
      const py = await python(['verifier/verify_draw.py', url]);
      expect(py.err).toBe('');
      expect(py.out).toContain('[log] log agrees with the published record');
      expect(py.out, py.out).toMatch(/\nMATCH\n$/);
      expect(py.code).toBe(0);
      const record = await recordOf(d);
      const ts = await tsVerify(record);
      expect(ts.report.checks.filter((c) => !c.ok)).toEqual([]);
      // The rules every weight follows are public with the office too, category weights included.
      const office = (await call(sys, 'GET', `/api/offices/${d.office}`)).body.office;
      expect(office.weightRules).toEqual(record.rules);
      expect(record.rules!.categories.length).toBeGreaterThan(0);
      expect(ts.log.checks.filter((c) => !c.ok)).toEqual([]);
    }
  }, 180_000);

  it('refuses a consistently rewritten record that the log does not hold, in both languages', async () => {
    const forged = rewritten(await recordOf(draws[0]!));
    const file = path.join(sys.redis.dir, 'forged.json');
    writeFileSync(file, JSON.stringify(forged));
    const py = await python(['verifier/verify_draw.py', file, '--log', base]);
    expect(py.out).toMatch(/FAIL \[log\] log agrees with the published record: commitment: log/);
    expect(py.out).toMatch(/\nMISMATCH: log\n$/);
    expect(py.code).toBe(1);
    const ts = await tsVerify(forged);
    expect(ts.report.match).toBe(true);
    expect(ts.ok).toBe(false);
    expect(ts.log.checks.find((c) => c.id === 'record')!.detail).toMatch(/^commitment: log/);
  }, 60_000);

  it('refuses a log rewritten to hold that record, against a head saved before, in both languages', async () => {
    const d = draws[1]!;
    const saved = path.join(sys.redis.dir, 'head.json');
    const save = await python([
      'verifier/translog.py',
      `${d.office}:${d.date}`,
      '--url',
      base,
      '--save-head',
      saved,
    ]);
    expect(save.out).toContain(`saved the head to ${saved}`);
    const forged = rewritten(await recordOf(d));
    // The insider rebuilds the log with the draw's drawn event swapped, and the server signs the new head.
    const leaves = await sys.redis.client.lrange(keys.logLeaves(), 0, -1);
    await sys.redis.client.del(keys.logLeaves(), keys.logNodes(), keys.logIds());
    for (const leaf of leaves) {
      const e = decodeLogLeaf(leaf)!;
      const swapped: LogEvent =
        e.type === 'draw-opened' && e.drawId === forged.drawId
          ? { ...e, commitment: forged.commitment }
          : e.type === 'draw-drawn' && e.drawId === forged.drawId
            ? {
                ...e,
                seed: forged.seed!,
                resultsDigest: forged.resultsDigest!,
                winners: forged.winners!,
                waitlisted: forged.waitlisted!,
              }
            : e;
      await sys.deps.translog.append(swapped);
    }
    const file = path.join(sys.redis.dir, 'forged-2.json');
    writeFileSync(file, JSON.stringify(forged));
    // Without a saved head the forgery is self-consistent: that is what saved heads are for.
    expect((await python(['verifier/verify_draw.py', file, '--log', base])).out).toMatch(/\nMATCH\n$/);
    expect((await tsVerify(forged)).ok).toBe(true);
    const py = await python(['verifier/verify_draw.py', file, '--log', base, '--since-head', saved]);
    expect(py.out).toMatch(/FAIL \[log\] log only appended since the saved head .*history was rewritten/);
    expect(py.code).toBe(1);
    const ts = await tsVerify(forged, saved);
    expect(ts.ok).toBe(false);
    expect(ts.log.checks.find((c) => c.id === 'appendOnly')!.ok).toBe(false);
  }, 60_000);
});
