// The public transparency log over HTTP and `npm run verify-draw --log`: a real draw's events in the log,
// heads and proofs that verify, clear 400s, and the verifier refusing a consistently rewritten record that
// the log does not hold, or a log whose history was rewritten since a saved head.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { computeDraw, resultsDigest } from '../../src/domain/draw-record.ts';
import { commitmentFor, effectiveSeedFor } from '../../src/domain/draw-spec.ts';
import { decodeLogLeaf } from '../../src/domain/log-event.ts';
import { verifyDrawLog } from '../../src/domain/log-verify.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/domain/merkle.ts';
import { bytesToHex, hexToBytes, verifyHeadSignature } from '../../src/domain/tree-head.ts';
import { verifyPublishedDraw } from '../../src/domain/verify.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { fillDraw } from '../support/entries.ts';
import { drawEventsOf, sampleEvents } from '../support/log-events.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

const run = promisify(execFile);
const SIGNING_SEED = 'c0ffee'.repeat(11).slice(0, 64);
let sys: TestSystem;
let server: ServerType;
let base: string;
let published: any;

const eventsOf = drawEventsOf;

beforeAll(async () => {
  sys = await startTestSystem({ LOG_SIGNING_KEY: SIGNING_SEED });
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  const admin = await signInStaff(sys, { username: 'log-admin', role: 'admin' });
  // Two events of other draws first, so the draw's leaves are not at the start of the log.
  for (const e of sampleEvents('medan:2026-11-29').slice(0, 2)) await sys.deps.translog.append(e);
  await fillDraw(sys.deps, 'jakarta-selatan', '2026-11-30', '2026-12-02', 40);
  expect(
    (
      await call(
        sys,
        'POST',
        '/api/admin/draws/jakarta-selatan/run',
        { drawDate: '2026-11-30', early: true },
        admin,
      )
    ).status,
  ).toBe(200);
  published = (await call(sys, 'GET', '/api/draws/jakarta-selatan/2026-11-30')).body;
  for (const e of eventsOf(published)) await sys.deps.translog.append(e);
  server = serve({ fetch: sys.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await sys?.stop();
});

describe('configuration', () => {
  it('production refuses to start without LOG_SIGNING_KEY; a bad key is named', () => {
    // Generated-looking HMAC keys, which production also requires (tests/security/secrets.test.ts).
    const keys = {
      NIK_HASH_KEY: 'q8Xz1Lr0vN4mB6tY2cW9eH5jK3pS7uA0dF1gJ2hL',
      APP_SECRET: 'Tn3Vb8Mx0Zq5Wk2Rj7Yp4Hs9Lc1Fd6Ga0Ue3Io8P',
      BEACON: 'off',
    };
    expect(() => loadConfig({ NODE_ENV: 'production', ...keys })).toThrow(
      new ConfigError('invalid configuration: LOG_SIGNING_KEY: required in production (NODE_ENV=production)'),
    );
    expect(() => loadConfig({ LOG_SIGNING_KEY: 'abc' })).toThrow(/LOG_SIGNING_KEY: must be an Ed25519/);
    expect(
      loadConfig({ NODE_ENV: 'production', ...keys, LOG_SIGNING_KEY: SIGNING_SEED }).LOG_SIGNING_KEY,
    ).toBe(SIGNING_SEED);
  });
});

describe('GET /api/log/*', () => {
  it('publishes the key and a head it signed', async () => {
    const key = await call(sys, 'GET', '/api/log/key');
    expect(key.body).toMatchObject({ algorithm: 'Ed25519', development: false });
    expect(key.body.keyId).toMatch(/^[0-9a-f]{16}$/);
    const head = await call(sys, 'GET', '/api/log/head');
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toBe('no-cache');
    expect(head.body).toMatchObject({ treeSize: 5, keyId: key.body.keyId });
    expect(verifyHeadSignature(head.body, hexToBytes(key.body.publicKey))).toEqual({ ok: true });
  });

  it('pages the leaves, each with its hash; full pages are immutable', async () => {
    const first = await call(sys, 'GET', '/api/log?limit=2');
    expect(first.body).toMatchObject({ treeSize: 5, from: 0, next: 2 });
    expect(first.headers.get('cache-control')).toContain('immutable');
    const rest = await call(sys, 'GET', '/api/log?from=2&limit=10');
    expect(rest.body.next).toBeNull();
    expect(rest.headers.get('cache-control')).toBe('no-cache');
    const leaves = [...first.body.leaves, ...rest.body.leaves];
    expect(leaves.map((l: any) => l.index)).toEqual([0, 1, 2, 3, 4]);
    for (const l of leaves) {
      expect(l.leafHash).toBe(bytesToHex(leafHash(l.leaf)));
      expect(decodeLogLeaf(l.leaf)).not.toBeNull();
    }
    expect((await call(sys, 'GET', '/api/log?from=99')).body).toMatchObject({ leaves: [], next: null });
  });

  it("finds a draw's leaves and proves each into the head", async () => {
    const head = (await call(sys, 'GET', '/api/log/head')).body;
    const found = await call(sys, 'GET', `/api/log/draws/${encodeURIComponent(published.drawId)}`);
    expect(found.body.leaves.map((l: any) => l.index)).toEqual([2, 3, 4]);
    for (const l of found.body.leaves) {
      const proof = await call(
        sys,
        'GET',
        `/api/log/proof/inclusion?index=${l.index}&treeSize=${head.treeSize}`,
      );
      expect(proof.headers.get('cache-control')).toContain('immutable');
      expect(
        verifyInclusion(
          l.index,
          head.treeSize,
          leafHash(l.leaf),
          proof.body.path.map(hexToBytes),
          hexToBytes(head.rootHash),
        ),
      ).toBe(true);
    }
    const old = await sys.deps.translog.root(2);
    const cons = await call(sys, 'GET', `/api/log/proof/consistency?from=2&to=${head.treeSize}`);
    expect(
      verifyConsistency(
        2,
        head.treeSize,
        hexToBytes(old),
        hexToBytes(head.rootHash),
        cons.body.proof.map(hexToBytes),
      ),
    ).toBe(true);
  });

  it('answers bad parameters with a clear 400', async () => {
    const cases: [string, string, RegExp][] = [
      ['/api/log?limit=0', 'invalid_input', /limit must be 1\.\.1000/],
      ['/api/log?limit=1001', 'invalid_input', /limit/],
      ['/api/log?from=-1', 'invalid_input', /from must be a whole number/],
      ['/api/log?from=abc', 'invalid_input', /from/],
      ['/api/log/proof/inclusion?treeSize=3', 'invalid_input', /index/],
      ['/api/log/proof/inclusion?index=3&treeSize=3', 'out_of_range', /index must be below treeSize/],
      ['/api/log/proof/inclusion?index=0&treeSize=6', 'out_of_range', /5 leaves, fewer than 6/],
      ['/api/log/proof/consistency?from=4&to=2', 'out_of_range', /from must not exceed to/],
      ['/api/log/proof/consistency?from=1.5&to=2', 'invalid_input', /from/],
      ['/api/log/draws/not-a-draw', 'invalid_input', /drawId/],
    ];
    for (const [url, code, message] of cases) {
      const res = await call(sys, 'GET', url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.code, url).toBe(code);
      expect(res.body.error.message, url).toMatch(message);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await call(sys, 'GET', '/api/openapi.json')).body;
    for (const p of [
      '/api/log',
      '/api/log/head',
      '/api/log/key',
      '/api/log/proof/inclusion',
      '/api/log/proof/consistency',
    ])
      expect(doc.paths[p], p).toBeDefined();
  });
});

describe('npm run verify-draw --log', () => {
  const cli = path.resolve('src/cli/verify-draw.ts');
  const verify = (...args: string[]): Promise<{ code: number; stdout: string }> =>
    run(process.execPath, ['--import', 'tsx', cli, ...args]).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e) => e as { code: number; stdout: string },
    );

  /** The same draw rerun by an insider with another seed: a record that verifies on its own. */
  function rewrittenRecord(): any {
    const seed = 'ab'.repeat(32);
    const results = computeDraw({
      seed: effectiveSeedFor(seed, published.beacon?.randomness ?? null, published.publicEntropy),
      drawId: published.drawId,
      entries: published.entries,
      sessions: published.sessions,
    });
    const copy = {
      ...published,
      seed,
      commitment: commitmentFor(published.drawId, seed, published.anchor),
      results,
      resultsDigest: resultsDigest(results),
    };
    expect(verifyPublishedDraw(copy).match).toBe(true);
    return copy;
  }

  it('confirms the draw in the log and saves the head; later, that the log only grew', async () => {
    const saved = path.join(sys.redis.dir, 'head-1.json');
    const ok = await verify('jakarta-selatan', '2026-11-30', '--url', base, '--save-head', saved);
    expect(ok.stdout).toMatch(/ok {3}log leaf #4 \(draw-drawn\) included in the signed head/);
    expect(ok.stdout).toContain('ok   log agrees with the published record');
    expect(ok.stdout.trim().split('\n').at(-1)).toBe('MATCH');
    expect(JSON.parse(readFileSync(saved, 'utf8')).head.treeSize).toBe(5);

    for (const e of sampleEvents('medan:2026-11-30')) await sys.deps.translog.append(e);
    const later = await verify('jakarta-selatan', '2026-11-30', '--url', base, '--since-head', saved);
    expect(later.stdout).toContain('ok   log only appended since the saved head (5 → 8 leaves)');
    expect(later.stdout.trim().split('\n').at(-1)).toBe('MATCH');
  }, 60_000);

  it('refuses a consistently rewritten record that the log does not hold', async () => {
    const file = path.join(sys.redis.dir, 'rewritten.json');
    writeFileSync(file, JSON.stringify(rewrittenRecord()));
    const bad = await verify('--file', file, '--url', base, '--log');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /FAIL log agrees with the published record: commitment: log [0-9a-f]{64}, record/,
    );
    expect(bad.stdout).toContain('MISMATCH: the transparency log does not confirm this draw');
  }, 60_000);

  it('refuses a log rewritten to match that record, against a head saved before', async () => {
    const saved = path.join(sys.redis.dir, 'head-2.json');
    await verify('jakarta-selatan', '2026-11-30', '--url', base, '--save-head', saved);
    // The insider rebuilds the whole log (same size, the draw's events swapped for the rewritten record's)
    // and the server signs the new head with its real key.
    const forged = rewrittenRecord();
    const leaves = await sys.redis.client.lrange(keys.logLeaves(), 0, -1);
    await sys.redis.client.del(keys.logLeaves(), keys.logNodes(), keys.logIds());
    const replacement = new Map(eventsOf(forged).map((e) => [`${e.type}|${e.drawId}`, e]));
    for (const leaf of leaves) {
      const e = decodeLogLeaf(leaf)!;
      await sys.deps.translog.append(replacement.get(`${e.type}|${e.drawId}`) ?? e);
    }
    const file = path.join(sys.redis.dir, 'rewritten.json');
    writeFileSync(file, JSON.stringify(forged));
    // Without a saved head the forgery is self-consistent: that is what saved heads are for.
    const fresh = await verify('--file', file, '--url', base, '--log');
    expect(fresh.stdout.trim().split('\n').at(-1)).toBe('MATCH');
    const caught = await verify('--file', file, '--url', base, '--since-head', saved);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain(
      'FAIL log only appended since the saved head (8 → 8 leaves): the consistency proof does not verify',
    );
    const unchanged = JSON.parse(readFileSync(saved, 'utf8'));
    expect(unchanged.head.treeSize).toBe(8);
  }, 60_000);

  it('--audit-log finds a contradicting second event that a lookup by draw does not show', async () => {
    // The log now holds the rewritten record's events (the test before); that record is what it confirms.
    const file = path.join(sys.redis.dir, 'rewritten.json');
    writeFileSync(file, JSON.stringify(rewrittenRecord()));
    const found = await sys.deps.translog.drawLeaves(published.drawId);
    const drawn = found.find((l) => l.leaf.includes('"draw-drawn"'))!;
    // An insider appends another "drawn" event for the draw and points the lookup back at the first one.
    const id = `draw-drawn|${published.drawId}`;
    await sys.redis.client.hdel(keys.logIds(), id);
    const [, , other] = drawEventsOf(published);
    const extra = await sys.deps.translog.append({ ...other!, at: '2026-11-30T13:00:00.000Z' });
    await sys.redis.client.hset(keys.logIds(), id, drawn.index);
    const lookup = await verify('--file', file, '--url', base, '--log');
    expect(lookup.stdout.trim().split('\n').at(-1)).toBe('MATCH');
    const audited = await verify('--file', file, '--url', base, '--audit-log');
    expect(audited.code).toBe(1);
    expect(audited.stdout).toContain(
      `FAIL one event of each type per draw: #${drawn.index} and #${extra.index}: draw-drawn of ${published.drawId}`,
    );
    expect(audited.stdout).toContain('ok   the leaves hash to the signed root');
    const py = await run('python3', [
      'verifier/translog.py',
      '--url',
      base,
      published.drawId,
      '--audit',
    ]).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e) => e as { code: number; stdout: string },
    );
    expect(py.code).toBe(1);
    expect(py.stdout).toContain(`FAIL one event of each type per draw: #${drawn.index} and #${extra.index}`);
  }, 60_000);

  it('pure check: a shrunk log, a changed key and tampered proofs are refused', async () => {
    const key = (await call(sys, 'GET', '/api/log/key')).body.publicKey as string;
    const head = (await call(sys, 'GET', '/api/log/head')).body;
    const leaves = (await call(sys, 'GET', `/api/log/draws/${encodeURIComponent(published.drawId)}`)).body
      .leaves;
    const withPaths = await Promise.all(
      leaves.map(async (l: any) => ({
        ...l,
        path: (await call(sys, 'GET', `/api/log/proof/inclusion?index=${l.index}&treeSize=${head.treeSize}`))
          .body.path,
      })),
    );
    const good = verifyDrawLog(published.drawId, { publicKey: key, head, leaves: withPaths });
    expect(good.every((c) => c.ok)).toBe(true);
    const bent = withPaths.map((l: any, i: number) => (i === 1 ? { ...l, path: [...l.path].reverse() } : l));
    expect(
      verifyDrawLog(published.drawId, { publicKey: key, head, leaves: bent }).filter((c) => !c.ok),
    ).toHaveLength(1);
    const bigger = { ...head, treeSize: head.treeSize + 3 };
    const shrunk = verifyDrawLog(published.drawId, {
      publicKey: key,
      head,
      leaves: withPaths,
      saved: { head: bigger, publicKey: key, proof: [] },
    });
    expect(shrunk.find((c) => c.name.startsWith('saved head'))?.ok).toBe(false);
    expect(shrunk.find((c) => c.name.includes('only appended'))?.detail).toBe(
      'the log is shorter than the saved head',
    );
    const otherKey = verifyDrawLog(published.drawId, {
      publicKey: key,
      head,
      leaves: withPaths,
      saved: { head, publicKey: 'ee'.repeat(32), proof: [] },
    });
    expect(otherKey.find((c) => c.name.startsWith('log key unchanged'))?.ok).toBe(false);
  });
});
