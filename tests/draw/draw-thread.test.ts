// The CPU-bound part of a draw runs in the draw thread: errors there reach the run, a lost thread is
// replaced, the event loop keeps serving while a big draw runs, and "run now" answers 202 for a draw that
// outlasts its wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveSeedFor } from '../../src/domain/draw-spec.ts';
import { defaultRules } from '../../src/domain/rules.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawComputation } from '../../src/services/draw-compute.ts';
import { closeDrawThread, DrawJob } from '../../src/services/draw-compute-client.ts';
import { DrawRunner, drawIdOf, nodeHash } from '../../src/services/draw-runner.ts';
import { packEntry } from '../../src/store/entry-codec.ts';
import { bulkFillDraw } from '../support/bulk-entries.ts';
import { onCluster } from '../support/redis.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
});
afterAll(() => sys.stop());

const weigh = { rules: defaultRules, penalties: new Map<string, number>(), atMs: 0 };
const drawInput = { seed: 'a'.repeat(64), drawId: 'o:d', sessions: defaultRules.sessions, waitlistDepth: 10 };

describe('the draw thread', () => {
  it('reports an error of the computation to the run, and serves the next job', async () => {
    const job = new DrawJob(weigh);
    job.addPage(['T1', 'a|p|n1', 'T2', 'a|p|n2']);
    job.addPage(['T1', 'a|p|n3']);
    await expect(job.draw(drawInput)).rejects.toThrow(RangeError);
    await expect(job.draw(drawInput)).rejects.toThrow(/duplicate ticket T1/);
    job.close();

    const next = new DrawJob(weigh);
    next.addPage(['T1', 'a|p|n1', 'T2', 'a|p|n2|lansia||pagi-1']);
    const built = await next.frozen();
    expect(new TextDecoder().decode(built.text)).toBe('T1\t1\t*\t-\t0\t0\nT2\t2\tpagi-1\tlansia\t0\t0\n');
    const out = await next.draw(drawInput);
    expect(out).toMatchObject({ entries: 2, winners: 2 });
    expect(out.head.map((r) => r.rank)).toEqual([1, 2]);
    next.close();
  });

  it('fails the jobs of a thread that goes away, and starts a new one for the next', async () => {
    const job = new DrawJob(weigh);
    const failed = expect(job.frozen()).rejects.toThrow(/closed/);
    await closeDrawThread();
    await failed;
    job.close();
    const next = new DrawJob(weigh);
    next.addPage(['T9', 'a|p|n9']);
    expect((await next.frozen()).count).toBe(1);
    next.close();
  });

  it('keeps the event loop responsive during a big draw', async () => {
    const rules = (await sys.deps.offices.rules('medan'))!.rules;
    const n = 200_000;
    await bulkFillDraw(sys.deps, 'medan', '2026-12-01', '2026-12-03', n, {
      prefs: (i) => (i % 3 === 0 ? null : [rules.sessions[i % rules.sessions.length]!.id]),
    });
    // Done on the event loop, the weighing, ranking and texts of this many entries take over a second in one
    // piece. The bound leaves room for a loaded machine, where timers are late whatever the draw does.
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    try {
      const { meta } = await new DrawRunner(sys.deps).run('medan', '2026-12-01');
      expect(meta).toMatchObject({ state: 'drawn', entryCount: n });
    } finally {
      clearInterval(timer);
    }
    expect(longest).toBeLessThan(750);
  }, 120_000);
});

describe('the draw thread reading the entries itself', () => {
  const office = 'denpasar';
  const date = '2026-12-02';

  it('freezes and draws byte for byte what the relayed pages give', async () => {
    const rules = (await sys.deps.offices.rules(office))!.rules;
    const n = 30_000;
    await bulkFillDraw(sys.deps, office, date, '2026-12-04', n, {
      prefs: (i) => (i % 4 === 0 ? null : [rules.sessions[i % rules.sessions.length]!.id]),
      category: (i) => (i % 7 === 0 ? 'lansia' : null),
    });
    const { meta } = await new DrawRunner(sys.deps, undefined, { redisUrl: sys.redis.url }).run(office, date);
    expect(meta).toMatchObject({ state: 'drawn', entryCount: n });

    // The same draw again through the main thread's relay, from the same entries and the same seed.
    const drawing = {
      seed: effectiveSeedFor(meta.seed, null, meta.publicEntropy, nodeHash),
      drawId: drawIdOf(office, date),
    };
    const relayed = new DrawJob({
      rules,
      penalties: await sys.deps.draws.penalties(),
      atMs: meta.closedAt!,
      drawing,
    });
    try {
      for await (const flat of sys.deps.draws.scanEntries(office, date)) relayed.addPage(flat);
      const built = await relayed.frozen();
      expect(Buffer.from(built.text).toString('utf8')).toBe(await sys.deps.draws.frozen(office, date));
      expect(built.digest).toBe(meta.entriesDigest);
      const computed = await relayed.draw({
        ...drawing,
        sessions: rules.sessions,
        waitlistDepth: rules.sessions.reduce((n, s) => n + s.capacity, 0) * 10,
      });
      expect(computed.resultsDigest).toBe(meta.resultsDigest);
      expect(Buffer.from(computed.results).toString('utf8')).toBe(await sys.deps.draws.results(office, date));
    } finally {
      relayed.close();
    }
  }, 120_000);

  it("names each drawn group's other drawn members for the staged outcomes, not a held one", () => {
    const g = 'G0000000000';
    const entry = (nik: string, more: { group?: boolean; unverified?: boolean } = {}) =>
      packEntry({
        accountId: 'a',
        personId: nik,
        nikHash: nik,
        category: null,
        losses: 0,
        prefs: null,
        ...more,
      });
    const page = [
      ...[`${g}c`, entry('n3', { group: true, unverified: true })],
      ...[`${g}b`, entry('n2', { group: true })],
      ...['S1', entry('n4')],
      ...[`${g}a`, entry('n1', { group: true })],
      ...['H00000000000a', entry('n5', { group: true })],
    ];
    const read = new DrawComputation(weigh);
    read.addEntries(page);
    const computed = read.draw(drawInput);
    expect(computed.head.map((r) => r.ticket).sort()).toEqual([`${g}a`, 'H00000000000a', 'S1']);
    // The member awaiting the registry is not drawn, so the draw counted no place for it.
    expect(computed.headMembers).toEqual([[`${g}a`, [`${g}b`]]]);
    // A stored frozen list names a group by its first ticket only: the stage looks the members up.
    const stored = new DrawComputation(weigh);
    stored.useStored(new TextDecoder().decode(read.frozen().text));
    expect(stored.draw(drawInput).headMembers).toBeNull();
  });

  it('refuses an entry holding a line break, read in place as relayed', () => {
    for (const page of [
      ['T1', 'a|p|n1', 'T\n2', 'a|p|n2'],
      ['T1', 'a|p|n1\nT3', 'T2', 'a|p|n2'],
    ]) {
      expect(() => new DrawComputation(weigh).addEntries(page)).toThrow(/line break/);
      expect(() => new DrawComputation(weigh).addPage(page.join('\n'), page.length / 2)).toThrow(
        /line break/,
      );
    }
  });

  it('refuses to read a draw whose commitment its Redis does not hold', async () => {
    const job = new DrawJob(weigh);
    job.scan({ redisUrl: sys.redis.url, officeId: office, drawDate: date, commitment: 'not-the-commitment' });
    await expect(job.frozen()).rejects.toThrow(/differently/);
    job.close();
  });

  it.skipIf(onCluster)('closes its Redis connection when the thread ends', async () => {
    const clients = async () =>
      String(await sys.redis.client.client('LIST'))
        .trim()
        .split('\n').length;
    await closeDrawThread();
    const before = await clients();
    const job = new DrawJob(weigh);
    job.scan({ redisUrl: sys.redis.url, officeId: office, drawDate: date, commitment: null });
    expect((await job.frozen()).count).toBe(30_000);
    job.close();
    expect(await clients()).toBe(before + 1);
    await closeDrawThread();
    const deadline = Date.now() + 5_000;
    while ((await clients()) !== before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await clients()).toBe(before);
  });
});

describe('run now', () => {
  it('answers "running" with the job id when the draw outlasts the wait, and the job finishes', async () => {
    await bulkFillDraw(sys.deps, 'ambon', '2026-12-01', '2026-12-03', 20_000);
    const run = await sys.deps.drawControl.runNow('ambon', '2026-12-01', 0);
    expect(run).toEqual({ done: false, jobId: 'draw.ambon.2026-12-01' });
    // The job marks the draw drawn, then hands the results to the notifier, and only then completes; "run
    // now" says done once the whole job has, so wait on the job rather than on the draw's state.
    const job = await sys.deps.queues!.draw.getJob('draw.ambon.2026-12-01');
    const deadline = Date.now() + 60_000;
    while ((await job!.getState()) !== 'completed') {
      if (Date.now() > deadline) throw new Error('the draw job did not finish');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await sys.deps.draws.meta('ambon', '2026-12-01'))?.state).toBe('drawn');
    // Asked again once the job has completed: done at once, without drawing again.
    expect(await sys.deps.drawControl.runNow('ambon', '2026-12-01', 0)).toEqual({ done: true });
  }, 90_000);

  it('the admin route turns "running" into 202 with the job id', async () => {
    const admin = await signInStaff(sys, { username: 'thread-admin', role: 'admin' });
    const control = sys.deps.drawControl;
    const original = control.runNow.bind(control);
    control.runNow = async () => ({ done: false, jobId: 'draw.surabaya.2026-12-01' });
    // The morning of that draw: it is the office's current one.
    const clock = sys.clock.now;
    sys.clock.now = new Date('2026-12-01T01:00:00Z');
    try {
      const res = await call(
        sys,
        'POST',
        '/api/admin/draws/surabaya/run',
        { drawDate: '2026-12-01', early: true },
        admin,
      );
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        status: 'running',
        officeId: 'surabaya',
        drawDate: '2026-12-01',
        jobId: 'draw.surabaya.2026-12-01',
      });
    } finally {
      sys.clock.now = clock;
      control.runNow = original;
    }
  });
});
