// The test vectors of docs/draw-spec.md: the committed files are what spec/make-vectors.ts writes, the
// TypeScript verifier and the independent Python verifier (verifier/verify_draw.py) both print MATCH for
// every honest vector and both refuse every tampered one for the reasons the vector names.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVectors, type Vector } from '../../spec/make-vectors.ts';
import { entriesDigest, resultsDigest } from '../../src/domain/draw-record.ts';
import { commitmentFor } from '../../src/domain/draw-spec.ts';
import { verifyPublishedDraw } from '../../src/domain/verify.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'spec/vectors');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const vectors = files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Vector);

function python(file: string) {
  const run = spawnSync('python3', ['verifier/verify_draw.py', '--vector', file], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  const failed = [...run.stdout.matchAll(/^ {2}FAIL \[(\w+)\]/gm)].map((m) => m[1]!);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, failed };
}

describe('spec vectors', () => {
  it('are what spec/make-vectors.ts writes (npx tsx spec/make-vectors.ts)', () => {
    const built = buildVectors();
    expect(files.sort()).toEqual(built.map((v) => `${v.name}.json`).sort());
    for (const v of built)
      expect(vectors.find((x) => x.name === v.name)).toEqual(JSON.parse(JSON.stringify(v)));
  });

  it('cover an unanchored draw, a real quicknet round, a test chain, and every kind of tampering', () => {
    const names = vectors.map((v) => v.name);
    for (const n of ['unanchored-small', 'quicknet-anchored', 'test-chain-300']) expect(names).toContain(n);
    for (const t of ['weight', 'result-line', 'entropy', 'draw-id', 'count', 'beacon-round', 'signature'])
      expect(names).toContain(`tampered-${t}`);
  });

  for (const v of vectors) {
    it(`${v.name}: the TypeScript verifier says ${v.expected.verdict}`, () => {
      const report = verifyPublishedDraw(v.record, { trustedChains: v.trustedChains });
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.id);
      if (v.expected.verdict === 'MATCH') {
        expect(failed).toEqual([]);
        const e = v.expected;
        expect(commitmentFor(v.record.drawId, v.record.seed!, v.record.anchor)).toBe(e.commitment);
        expect(entriesDigest(v.record.entries!)).toBe(e.entriesDigest);
        expect(resultsDigest(v.record.results!)).toBe(e.resultsDigest);
        expect(v.record.results!.map((r) => r.ticket)).toEqual(e.ranking.map((r) => r[0]));
      } else {
        expect(report.match).toBe(false);
        for (const id of v.expected.mustFail) expect(failed).toContain(id);
      }
    });

    it(`${v.name}: the Python verifier says ${v.expected.verdict === 'MATCH' ? 'MATCH' : 'MISMATCH'}`, () => {
      const run = python(path.join('spec/vectors', `${v.name}.json`));
      expect(run.stderr).toBe('');
      if (v.expected.verdict === 'MATCH') {
        expect(run.stdout).toMatch(/\nMATCH\n$/);
        expect(run.code).toBe(0);
      } else {
        expect(run.stdout).toMatch(/\nMISMATCH: /);
        expect(run.code).toBe(1);
        for (const id of v.expected.mustFail) expect(run.failed).toContain(id);
      }
    });
  }
});
