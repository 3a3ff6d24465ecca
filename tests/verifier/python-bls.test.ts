// The pure-Python BLS12-381 verifier (verifier/bls12_381.py) run from the suite: its own unit tests
// (RFC 9380 vectors, real quicknet rounds, malformed points), then a cross-check against @noble/curves:
// signatures made here with random keys must verify in Python, and every tampered one must be refused.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
const sigs = bls.shortSignatures;

function python(args: string[], input?: string) {
  const run = spawnSync('python3', args, { cwd: root, input, encoding: 'utf8', timeout: 240_000 });
  if (run.error) throw run.error;
  return run;
}

interface VerifyCase {
  name: string;
  publicKey: string;
  message: string;
  signature: string;
  dst: string;
  expect: boolean;
}

function flipBit(hex: string, bit: number): string {
  const bytes = Buffer.from(hex, 'hex');
  bytes.writeUInt8(bytes.readUInt8(bit >> 3) ^ (1 << (bit & 7)), bit >> 3);
  return bytes.toString('hex');
}

function askPython(request: { verify?: VerifyCase[]; hash?: { message: string; dst: string }[] }) {
  const run = python(['verifier/tests/check_cases.py'], JSON.stringify(request));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as {
    verify: { valid: boolean; error: string | null }[];
    hash: string[];
  };
}

describe('pure-Python BLS12-381 verifier', () => {
  it('passes its own unit tests', () => {
    const run = python(['-m', 'unittest', 'discover', '-s', 'verifier/tests']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^OK/m);
  }, 240_000);

  it('agrees with @noble/curves on signatures from random keys, and refuses tampered ones', () => {
    const cases: VerifyCase[] = [];
    const keys = [0, 1, 2].map(() => sigs.keygen());
    keys.forEach(({ secretKey, publicKey }, i) => {
      const otherKey = keys[(i + 1) % keys.length]?.publicKey;
      if (!otherKey) throw new Error('no second key');
      // A drand-style message (SHA-256 of an 8-byte round) and a raw one of random length.
      const round = Buffer.alloc(8);
      round.writeBigUInt64BE(BigInt(1 + Math.floor(Math.random() * 2 ** 40)));
      for (const msg of [sha256(round), randomBytes(1 + Math.floor(Math.random() * 100))]) {
        const point = sigs.sign(sigs.hash(msg, DST), secretKey);
        expect(sigs.verify(point, sigs.hash(msg, DST), publicKey)).toBe(true);
        const signature = point.toHex(true);
        const pk = publicKey.toHex(true);
        const message = bytesToHex(msg);
        const other = otherKey.toHex(true);
        cases.push(
          { name: `key ${i} valid`, publicKey: pk, message, signature, dst: DST, expect: true },
          {
            name: `key ${i} message changed`,
            publicKey: pk,
            message: flipBit(message, 3),
            signature,
            dst: DST,
            expect: false,
          },
          { name: `key ${i} other key`, publicKey: other, message, signature, dst: DST, expect: false },
          {
            name: `key ${i} negated signature`,
            publicKey: pk,
            message,
            signature: flipBit(signature, 5),
            dst: DST,
            expect: false,
          },
          {
            name: `key ${i} signature bit`,
            publicKey: pk,
            message,
            signature: flipBit(signature, 300),
            dst: DST,
            expect: false,
          },
          {
            name: `key ${i} other DST`,
            publicKey: pk,
            message,
            signature,
            dst: DST.replace('NUL', 'POP'),
            expect: false,
          },
        );
      }
    });
    const answers = askPython({ verify: cases });
    const got = cases.map((c, i) => ({ name: c.name, valid: answers.verify[i]?.valid }));
    expect(got).toEqual(cases.map((c) => ({ name: c.name, valid: c.expect })));
  }, 240_000);

  it('hashes to the same G1 points as @noble/curves', () => {
    const inputs = [0, 1, 2, 3].map((i) => ({
      message: bytesToHex(randomBytes(i * 40)),
      dst: i % 2 ? DST : `FAIRSLOT-TEST-${bytesToHex(randomBytes(4))}`,
    }));
    const answers = askPython({ hash: inputs });
    const expected = inputs.map(({ message, dst }) =>
      bls.G1.hashToCurve(Buffer.from(message, 'hex'), { DST: dst }).toHex(true),
    );
    expect(answers.hash).toEqual(expected);
  }, 240_000);
});
