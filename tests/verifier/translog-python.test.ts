// The Python verifier of the transparency log (verifier/translog.py): its own unit tests, then a cross-check
// in which the TypeScript log on a real Redis produces heads, proofs and leaves — and tampered copies — and
// both implementations must accept exactly the genuine ones. Finally the Python CLI against a live server.
import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogSigner } from '../../src/auth/log-signer.ts';
import { auditLog, rootOfLeaves } from '../../src/domain/log-audit.ts';
import { decodeLogLeaf, encodeLogEvent } from '../../src/domain/log-event.ts';
import { type DrawLogEvidence, verifyDrawLog } from '../../src/domain/log-verify.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/domain/merkle.ts';
import {
  bytesToHex,
  hexToBytes,
  type SignedTreeHead,
  verifyHeadSignature,
} from '../../src/domain/tree-head.ts';
import { keys } from '../../src/redis/keys.ts';
import { TransparencyLog } from '../../src/store/translog.ts';
import { sampleEvents } from '../support/log-events.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

const run = promisify(execFile);
const VERIFIER = path.resolve('verifier');

function python(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { cwd: path.resolve('.') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** One byte of a hex string changed. */
const bend = (hex: string, at = 0) => `${hex.slice(0, at)}${hex[at] === '0' ? '1' : '0'}${hex.slice(at + 1)}`;

describe('verifier/translog.py', () => {
  it('passes its own unit tests (RFC 8032 and Certificate Transparency vectors)', async () => {
    const res = await run('python3', [
      '-m',
      'unittest',
      'discover',
      '-s',
      'verifier/tests',
      '-p',
      'test_translog.py',
    ]);
    expect(res.stderr).toMatch(/Ran \d+ tests[\s\S]*\nOK\s*$/);
  });
});

describe('Python and TypeScript agree on a log built in Redis', () => {
  let redis: TestRedis;
  const signer = new LogSigner(generateKeyPairSync('ed25519').privateKey);
  const other = new LogSigner(generateKeyPairSync('ed25519').privateKey);
  let log: TransparencyLog;
  const heads = new Map<number, SignedTreeHead>();
  let leaves: string[];

  beforeAll(async () => {
    redis = await startTestRedis();
    log = new TransparencyLog(redis.client, signer);
    const sizes = new Set([1, 5, 8, 16, 17, 31, 37]);
    for (let d = 0; d < 13; d++)
      for (const e of sampleEvents(`office-${d}:2026-12-${String(d + 1).padStart(2, '0')}`)) {
        if ((await log.size()) === 37) break;
        await log.append(e);
        const size = await log.size();
        if (sizes.has(size)) heads.set(size, await log.head());
      }
    leaves = await redis.client.lrange(keys.logLeaves(), 0, -1);
  });
  afterAll(() => redis?.stop());

  it('every genuine proof, head and leaf passes both; every tampered one fails both', async () => {
    type Case = Record<string, unknown> & { kind: string; expect: boolean; ts: boolean };
    const cases: Case[] = [];
    const pk = bytesToHex(signer.publicKey);
    for (const head of heads.values()) {
      const root = hexToBytes(head.rootHash);
      for (let i = 0; i < head.treeSize; i++) {
        const proof = await log.inclusionProof(i, head.treeSize);
        const add = (leaf: string, index: number, p: string[], expected: boolean) =>
          cases.push({
            kind: 'inclusion',
            leaf,
            index,
            treeSize: head.treeSize,
            path: p,
            rootHash: head.rootHash,
            expect: expected,
            ts: verifyInclusion(index, head.treeSize, leafHash(leaf), p.map(hexToBytes), root),
          });
        add(leaves[i]!, i, proof, true);
        if (head.treeSize > 1) {
          add(leaves[(i + 1) % head.treeSize]!, i, proof, false);
          add(
            leaves[i]!,
            i,
            proof.map((p, j) => (j === proof.length - 1 ? bend(p, 9) : p)),
            false,
          );
          add(leaves[i]!, (i + 1) % head.treeSize, proof, false);
        }
      }
      const add = (h: SignedTreeHead, key: string, expected: boolean) =>
        cases.push({
          kind: 'head',
          head: h,
          publicKey: key,
          expect: expected,
          ts: verifyHeadSignature(h, hexToBytes(key)).ok,
        });
      add(head, pk, true);
      add({ ...head, treeSize: head.treeSize + 1 }, pk, false);
      add({ ...head, rootHash: bend(head.rootHash, 63) }, pk, false);
      add({ ...head, timestamp: head.timestamp - 1 }, pk, false);
      add({ ...head, signature: bend(head.signature, 100) }, pk, false);
      add(head, bytesToHex(other.publicKey), false);
      add({ ...other.sign(head), keyId: head.keyId }, pk, false);
    }
    for (const a of heads.values())
      for (const b of heads.values()) {
        if (a.treeSize > b.treeSize) continue;
        const proof = await log.consistencyProof(a.treeSize, b.treeSize);
        const add = (p: string[], fromRoot: string, expected: boolean) =>
          cases.push({
            kind: 'consistency',
            from: a.treeSize,
            to: b.treeSize,
            fromRoot,
            toRoot: b.rootHash,
            proof: p,
            expect: expected,
            ts: verifyConsistency(
              a.treeSize,
              b.treeSize,
              hexToBytes(fromRoot),
              hexToBytes(b.rootHash),
              p.map(hexToBytes),
            ),
          });
        add(proof, a.rootHash, true);
        add(proof, bend(a.rootHash, 5), false);
        if (proof.length) add([bend(proof[0]!, 20), ...proof.slice(1)], a.rootHash, false);
      }
    for (const leaf of leaves) {
      const add = (text: string, hash: string, expected: boolean) =>
        cases.push({
          kind: 'leaf',
          leaf: text,
          leafHash: hash,
          expect: expected,
          ts: decodeLogLeaf(text) !== null && bytesToHex(leafHash(text)) === hash,
        });
      const hash = bytesToHex(leafHash(leaf));
      add(leaf, hash, true);
      add(JSON.stringify(JSON.parse(leaf), null, 1), hash, false);
      add(leaf.replace('"at":"2026', '"at":"2027'), hash, false);
    }
    const res = await python(
      [path.join(VERIFIER, 'tests', 'crosscheck_translog.py')],
      JSON.stringify({ cases }),
    );
    expect(res.stderr).toBe('');
    const py = JSON.parse(res.stdout) as boolean[];
    expect(py).toHaveLength(cases.length);
    const disagreements = cases
      .map((c, i) => ({ kind: c.kind, expect: c.expect, ts: c.ts, py: py[i] }))
      .filter((c) => c.ts !== c.expect || c.py !== c.expect);
    expect(disagreements).toEqual([]);
    expect(cases.length).toBeGreaterThan(600);
    expect(cases.filter((c) => !c.expect).length).toBeGreaterThan(350);
  });

  it("a draw's checks come out the same, line by line, genuine and tampered", async () => {
    const pk = bytesToHex(signer.publicKey);
    const head = heads.get(37)!;
    const old = heads.get(16)!;
    const drawId = 'office-6:2026-12-07';
    const found = await log.drawLeaves(drawId);
    const evidence: DrawLogEvidence = {
      publicKey: pk,
      head,
      leaves: await Promise.all(
        found.map(async (l) => ({
          index: l.index,
          leaf: l.leaf,
          path: await log.inclusionProof(l.index, 37),
        })),
      ),
      saved: { head: old, publicKey: pk, proof: await log.consistencyProof(16, 37) },
    };
    const [opened, closed, drawn] = found.map((l) => JSON.parse(l.leaf));
    const record = {
      status: 'drawn' as const,
      commitment: opened.commitment,
      entries: closed.entries,
      entriesDigest: closed.entriesDigest,
      resultsDigest: drawn.resultsDigest,
    };
    const variants: [string, DrawLogEvidence, typeof record][] = [
      [drawId, evidence, record],
      [drawId, evidence, { ...record, resultsDigest: bend(record.resultsDigest) }],
      [drawId, evidence, { ...record, entries: record.entries + 1 }],
      ['office-7:2026-12-08', evidence, record],
      [drawId, { ...evidence, leaves: evidence.leaves.slice(0, 2) }, record],
      [
        drawId,
        { ...evidence, saved: { ...evidence.saved!, head: { ...old, rootHash: bend(old.rootHash) } } },
        record,
      ],
      [drawId, { ...evidence, saved: { ...evidence.saved!, proof: evidence.saved!.proof.slice(1) } }, record],
      [drawId, { ...evidence, publicKey: bytesToHex(other.publicKey) }, record],
    ];
    const cases = variants.map(([id, ev, rec]) => ({ kind: 'draw', drawId: id, ...ev, record: rec }));
    const res = await python(
      [path.join(VERIFIER, 'tests', 'crosscheck_translog.py')],
      JSON.stringify({ cases }),
    );
    expect(res.stderr).toBe('');
    const py = JSON.parse(res.stdout) as [string, boolean][][];
    const ts = variants.map(([id, ev, rec]) => verifyDrawLog(id, ev, rec).map((c) => [c.name, c.ok]));
    expect(py).toEqual(ts);
    expect(ts[0]!.every(([, ok]) => ok)).toBe(true);
    for (const t of ts.slice(1)) expect(t.some(([, ok]) => !ok)).toBe(true);
  });
});

describe('Python and TypeScript audit the whole log alike', () => {
  it('agree on an honest log and on duplicates, disorder, bad leaves and wrong roots', async () => {
    const signer = new LogSigner(generateKeyPairSync('ed25519').privateKey);
    const honest = ['a-1:2026-12-01', 'b-2:2026-12-01', 'c-3:2026-12-02'].flatMap((id) =>
      sampleEvents(id).map(encodeLogEvent),
    );
    const [, closed, drawn] = sampleEvents('a-1:2026-12-01');
    const variants = [
      honest,
      [
        ...honest,
        encodeLogEvent({ ...drawn!, resultsDigest: '0'.repeat(64), at: '2026-12-03T00:00:00.000Z' }),
      ],
      [honest[1]!, honest[0]!, ...honest.slice(2)],
      [...honest, encodeLogEvent({ ...closed!, drawId: 'z-9:2026-12-01' })],
      [...honest, `${honest[0]} `],
    ];
    const cases = variants.flatMap((leaves) => {
      const head = signer.sign({ treeSize: leaves.length, rootHash: rootOfLeaves(leaves), timestamp: 1 });
      return [
        { kind: 'audit', leaves, head },
        { kind: 'audit', leaves, head: { ...head, rootHash: bend(head.rootHash) } },
        { kind: 'audit', leaves: leaves.slice(1), head },
      ];
    });
    const res = await python(
      [path.join(VERIFIER, 'tests', 'crosscheck_translog.py')],
      JSON.stringify({ cases }),
    );
    expect(res.stderr).toBe('');
    const ts = cases.map((c) => auditLog(c.leaves, c.head).map((a) => [a.name, a.ok]));
    expect(JSON.parse(res.stdout)).toEqual(ts);
    expect(ts[0]!.every(([, ok]) => ok)).toBe(true);
    expect(ts.slice(1).every((t) => t.some(([, ok]) => !ok))).toBe(true);
  });
});

describe('the Python CLI against a live server', () => {
  let sys: TestSystem;
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    sys = await startTestSystem({ LOG_SIGNING_KEY: '5e'.repeat(32) });
    for (const d of [1, 2])
      for (const e of sampleEvents(`medan:2026-12-0${d}`)) await sys.deps.translog.append(e);
    server = serve({ fetch: sys.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await sys?.stop();
  });

  it('prints MATCH, saves the head, and catches a history rewritten since', async () => {
    const saved = path.join(sys.redis.dir, 'py-head.json');
    const cli = path.join(VERIFIER, 'translog.py');
    const first = await python([cli, '--url', base, 'medan:2026-12-01', '--save-head', saved]);
    expect(first.stdout).toContain('ok   log leaf #2 (draw-drawn) included in the signed head');
    expect(first.stdout.trim().split('\n').at(-1)).toBe('MATCH');
    expect(first.code).toBe(0);
    expect(JSON.parse(readFileSync(saved, 'utf8')).head.treeSize).toBe(6);

    for (const e of sampleEvents('medan:2026-12-03')) await sys.deps.translog.append(e);
    const grown = await python([cli, '--url', base, 'medan:2026-12-01', '--since-head', saved]);
    expect(grown.stdout).toContain('ok   log only appended since the saved head (6 → 9 leaves)');
    expect(grown.code).toBe(0);

    // Rebuild the log with the first draw's results digest changed: same size, a new, validly signed head.
    const leaves = await sys.redis.client.lrange(keys.logLeaves(), 0, -1);
    await sys.redis.client.del(keys.logLeaves(), keys.logNodes(), keys.logIds());
    for (const leaf of leaves) {
      const e = decodeLogLeaf(leaf)!;
      await sys.deps.translog.append(
        e.type === 'draw-drawn' && e.drawId === 'medan:2026-12-01'
          ? { ...e, resultsDigest: '9'.repeat(64) }
          : e,
      );
    }
    const caught = await python([cli, '--url', base, 'medan:2026-12-01', '--since-head', saved]);
    expect(caught.stdout).toContain(
      'FAIL log only appended since the saved head (6 → 9 leaves): the consistency proof does not verify',
    );
    expect(caught.stdout.trim().split('\n').at(-1)).toBe(
      'MISMATCH: the transparency log does not confirm this draw',
    );
    expect(caught.code).toBe(1);
  });
});
