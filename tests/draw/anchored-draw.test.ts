// Draws anchored to a public beacon, end to end on real Redis and BullMQ with a local drand double:
// the round is fixed at open, closing and drawing are apart, a missing round is waited for visibly, and
// both verifiers (the TypeScript one and verifier/verify_draw.py) print MATCH on the published record.
// Also: an insider holding the server seed cannot compute the outcome before the round exists.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDraw } from '../../src/domain/draw-record.ts';
import { commitmentFor, effectiveSeedFor, roundTime } from '../../src/domain/draw-spec.ts';
import { decodeLogLeaf } from '../../src/domain/log-event.ts';
import { verifyPublishedDraw } from '../../src/domain/verify.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { openDraw } from '../../src/services/open-draw.ts';
import { publicDraw } from '../../src/services/published-draw.ts';
import { type BeaconDouble, startBeaconDouble } from '../support/beacon-double.ts';
import { fillDraw } from '../support/entries.ts';
import { call, startTestSystem, type TestSystem } from '../support/system.ts';

const root = path.resolve(import.meta.dirname, '../..');
const office = 'jakarta-selatan';
let sys: TestSystem;
let double: BeaconDouble;
/** The test's clock runs in real time from an offset, so BullMQ's delays and the clock agree. */
let offsetMs = 0;
const now = () => Date.now() + offsetMs;

beforeAll(async () => {
  double = await startBeaconDouble(now);
  sys = await startTestSystem(
    { BEACON_URLS: double.url, BEACON_CHAIN_HASH: double.chain.info.chainHash, BEACON_DELAY_S: '1' },
    { workers: true },
  );
  Object.defineProperty(sys.clock, 'now', { get: () => new Date(now()), set: () => {} });
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
}, 60_000);

afterAll(async () => {
  await sys?.stop();
  await double?.stop();
});

async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function pythonVerify(record: unknown, extra: string[] = []) {
  const file = path.join(sys.redis.dir, `record-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(record));
  const run = spawnSync(
    'python3',
    ['verifier/verify_draw.py', file, '--trust-chain', double.chain.info.chainHash, ...extra],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  );
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('a draw anchored to the beacon', () => {
  it('opens with its round, closes, waits visibly for the round, draws, and verifies in both languages', async () => {
    const rules = (await sys.deps.offices.rules(office))!.rules;
    const tz = (await sys.deps.offices.get(office))!.tz;
    const next = (await openDraw(sys.deps, office, tz, rules, new Date()))!;
    // Five seconds before the close; the round is the first at or after close + 1 s.
    offsetMs = Date.parse(next.closesAt) - 5_000 - Date.now();
    const { drawDate, targetDate } = next;
    await fillDraw(sys.deps, office, drawDate, targetDate, 120, {
      category: (i) => (i % 5 === 0 ? 'lansia' : null),
      prefs: (i) => (i % 3 === 0 ? null : [rules.sessions[i % rules.sessions.length]!.id]),
    });
    // Filling can take a while on a loaded machine: back to two seconds before the close.
    offsetMs = Date.parse(next.closesAt) - 2_000 - Date.now();

    // At open: the round and the commitment are public; the seed is not.
    const opened = (await call(sys, 'GET', `/api/draws/${office}/${drawDate}`)).body;
    expect(opened).toMatchObject({ status: 'open', seed: null, specVersion: 2 });
    expect(opened.anchor.chainHash).toBe(double.chain.info.chainHash);
    const round: number = opened.anchor.round;
    const roundAtMs = roundTime(opened.anchor, round) * 1000;
    expect(roundAtMs).toBeGreaterThanOrEqual(Date.parse(next.closesAt) + 1000);
    expect(roundAtMs - Date.parse(next.closesAt)).toBeLessThanOrEqual(1000 + 3000);
    expect(opened.log.opened).not.toBeNull();
    const openedLeaf = decodeLogLeaf((await sys.deps.translog.leaves(opened.log.opened, 1))[0]!.leaf);
    expect(openedLeaf).toMatchObject({
      type: 'draw-opened',
      commitment: opened.commitment,
      beaconRound: round,
    });

    // The insider reads the server seed from Redis while the draw is open.
    const seed = (await sys.deps.draws.meta(office, drawDate))!.seed;
    expect(commitmentFor(opened.drawId, seed, opened.anchor)).toBe(opened.commitment);

    // Run now: the draw closes and freezes, then waits for its round, and says so.
    const run = await sys.deps.drawControl.runNow(office, drawDate, 500);
    expect(run.done).toBe(false);
    const waiting = await until('the wait to show', async () => {
      const d = (await call(sys, 'GET', `/api/draws/${office}/${drawDate}`)).body;
      return d.status === 'closed' && d.beaconWait ? d : null;
    });
    expect(waiting.seed).toBeNull();
    expect(waiting.entriesDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(waiting.beaconWait.reason).toContain(`round ${round}`);
    expect(waiting.log.closed).not.toBeNull();
    expect(Date.parse(waiting.closedAt)).toBeLessThan(roundAtMs);
    // The beacon itself does not have the round yet: nobody can know its randomness.
    expect(now()).toBeLessThan(roundAtMs);
    expect(double.requests).not.toContain(`/${double.chain.info.chainHash}/public/${round}`);
    expect(pythonVerify(waiting).out).toMatch(/MISMATCH/);

    // What the insider could compute from the seed alone, before the round: none of it is the draw.
    const entries = waiting.entries;
    const guesses = [
      effectiveSeedFor(seed, null, null),
      effectiveSeedFor(seed, '', null),
      seed,
      ...[round - 2, round - 1].map((r) => effectiveSeedFor(seed, double.chain.sign(r).randomness, null)),
    ].map((s) => computeDraw({ seed: s, drawId: waiting.drawId, entries, sessions: waiting.sessions }));

    // Once the round is published the delayed job draws on its own.
    // Drawn, and its drawn event in the log (appended just after the commit).
    const drawn = await until('the draw', async () => {
      const d = (await call(sys, 'GET', `/api/draws/${office}/${drawDate}`)).body;
      return d.status === 'drawn' && d.log.drawn !== null ? d : null;
    });
    expect(drawn.beacon).toEqual(double.chain.sign(round));
    expect(drawn.beaconWait).toBeNull();
    expect(drawn.log.drawn).not.toBeNull();
    const winners = (rows: { ticket: string; sessionId: string | null }[]) =>
      rows.filter((r) => r.sessionId !== null).map((r) => r.ticket);
    for (const g of guesses) expect(winners(g)).not.toEqual(winners(drawn.results));
    expect(drawn.results.map((r: { ticket: string }) => r.ticket)).not.toEqual(
      guesses[0]!.map((r) => r.ticket),
    );

    // Both verifiers: MATCH.
    const ts = verifyPublishedDraw(drawn, { trustedChains: [double.chain.info.chainHash] });
    expect(ts.checks.filter((c) => !c.ok)).toEqual([]);
    const py = pythonVerify(drawn);
    expect(py.err).toBe('');
    expect(py.out).toMatch(/\nMATCH\n$/);
    expect(py.code).toBe(0);
    // ... and without trusting the test chain, both refuse it as not a public beacon.
    expect(verifyPublishedDraw(drawn).match).toBe(false);
  }, 90_000);

  it('a round the beacon does not serve is retried, visibly, until it comes', async () => {
    const office2 = 'surabaya';
    const rules = (await sys.deps.offices.rules(office2))!.rules;
    const tz = (await sys.deps.offices.get(office2))!.tz;
    const next = (await openDraw(sys.deps, office2, tz, rules, new Date(now())))!;
    offsetMs = Date.parse(next.closesAt) - 3_000 - Date.now();
    await fillDraw(sys.deps, office2, next.drawDate, next.targetDate, 20);
    offsetMs = Date.parse(next.closesAt) - 2_000 - Date.now();
    double.withhold = true;
    try {
      await sys.deps.drawControl.runNow(office2, next.drawDate, 200);
      const meta = (await sys.deps.draws.meta(office2, next.drawDate))!;
      const roundAtMs = roundTime(meta.anchor!, meta.anchor!.round) * 1000;
      const d = await until('an outage to show', async () => {
        const r = await publicDraw(sys.deps, office2, next.drawDate, { full: false });
        return now() > roundAtMs + 1500 && r?.beaconWait?.reason.includes('not available') ? r : null;
      });
      expect(d.status).toBe('closed');
      expect(d.beaconWait!.reason).toMatch(/404/);
      const admin = await sys.deps.draws.meta(office2, next.drawDate);
      expect(admin!.beacon).toBeNull();
    } finally {
      double.withhold = false;
    }
    // The next try (or an admin's run now) finds the round.
    await sys.deps.drawControl.runNow(office2, next.drawDate, 5_000);
    const drawn = await until('the draw', async () => {
      const m = await sys.deps.draws.meta(office2, next.drawDate);
      return m?.state === 'drawn' ? m : null;
    });
    expect(drawn.beacon!.round).toBe(drawn.anchor!.round);
    const record = await publicDraw(sys.deps, office2, next.drawDate);
    expect(verifyPublishedDraw(record!, { trustedChains: [double.chain.info.chainHash] }).match).toBe(true);
    expect(pythonVerify(record).out).toMatch(/\nMATCH\n$/);
  }, 90_000);
});
