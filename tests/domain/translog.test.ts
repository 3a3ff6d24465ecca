// The transparency log's pure parts: RFC 9162 Merkle hashing and proofs (against Certificate
// Transparency's published roots and a from-scratch recursive tree), the signed head, and the leaf format.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEV_LOG_SIGNING_SEED, LogSigner, parseLogSigningKey } from '../../src/auth/log-signer.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import { auditLog, rootOfLeaves } from '../../src/domain/log-audit.ts';
import { decodeLogLeaf, encodeLogEvent, LogEventError } from '../../src/domain/log-event.ts';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  type NodeAccessor,
  nodeHash,
  nodesCompletedBy,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/domain/merkle.ts';
import {
  bytesToHex,
  headSigningBytes,
  hexToBytes,
  keyIdOf,
  type SignedTreeHead,
  verifyHeadSignature,
} from '../../src/domain/tree-head.ts';
import { sampleEvents } from '../support/log-events.ts';

/** A tree built the way RFC 9162 §2.1.1 defines MTH, with no stored nodes: the reference. */
function referenceRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return leafHash(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** Appends leaves as the store does, keeping only complete subtrees. */
function build(leaves: Uint8Array[]): { node: NodeAccessor; stored: number } {
  const nodes = new Map<string, Uint8Array>();
  const node: NodeAccessor = (level, index) => {
    const h = nodes.get(`${level}:${index}`);
    if (!h) throw new Error(`missing ${level}:${index}`);
    return h;
  };
  leaves.forEach((leaf, i) => {
    for (const [id, h] of nodesCompletedBy(i, leafHash(leaf), node)) nodes.set(`${id.level}:${id.index}`, h);
  });
  return { node, stored: nodes.size };
}

// Certificate Transparency's test leaves and the roots of their first 1..8 (RFC 6962 reference code).
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hexToBytes);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf ${i}`));

describe('Merkle tree (RFC 9162)', () => {
  it('gives Certificate Transparency’s roots for its test leaves', () => {
    const { node } = build(CT_LEAVES);
    expect(CT_ROOTS.map((_, i) => bytesToHex(rootHash(i + 1, node)))).toEqual(CT_ROOTS);
    expect(bytesToHex(rootHash(0, node))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('stored subtrees give the reference root at every size, about 2n nodes kept', () => {
    const leaves = leavesOf(70);
    const { node, stored } = build(leaves);
    for (let n = 0; n <= leaves.length; n++)
      expect(bytesToHex(rootHash(n, node))).toBe(bytesToHex(referenceRoot(leaves.slice(0, n))));
    expect(stored).toBeLessThan(2 * leaves.length);
  });

  it('every inclusion proof verifies, and fails for another leaf, index, size or root', () => {
    const leaves = leavesOf(33);
    const { node } = build(leaves);
    for (let n = 1; n <= leaves.length; n++) {
      const root = rootHash(n, node);
      for (let m = 0; m < n; m++) {
        const path = inclusionProof(m, n, node);
        expect(path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        const lh = leafHash(leaves[m]!);
        expect(verifyInclusion(m, n, lh, path, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(leaves[(m + 1) % n]!), path, root)).toBe(n === 1);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, lh, path, root)).toBe(false);
        // The size is bound by the signed head: a proof for n leaves does not pass against n + 1's root.
        if (n < leaves.length) expect(verifyInclusion(m, n + 1, lh, path, rootHash(n + 1, node))).toBe(false);
        expect(verifyInclusion(m, n, lh, path, rootHash(n === 1 ? 2 : n - 1, node))).toBe(false);
        if (path.length) {
          const bent = path.map((p, i) => (i === path.length - 1 ? leafHash(new Uint8Array([i])) : p));
          expect(verifyInclusion(m, n, lh, bent, root)).toBe(false);
          expect(verifyInclusion(m, n, lh, path.slice(0, -1), root)).toBe(false);
        }
        expect(verifyInclusion(m, n, lh, [...path, root], root)).toBe(false);
      }
    }
  });

  it('every consistency proof verifies, and fails for a rewritten history', () => {
    const leaves = leavesOf(33);
    const { node } = build(leaves);
    const rewritten = build(leaves.map((l, i) => (i === 4 ? new TextEncoder().encode('forged') : l)));
    for (let n = 1; n <= leaves.length; n++) {
      const rootN = rootHash(n, node);
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(m, n, node);
        const rootM = rootHash(m, node);
        expect(verifyConsistency(m, n, rootM, rootN, proof)).toBe(true);
        // The same sizes after leaf 4 was changed: an old head over leaf 4 cannot be extended.
        if (m > 4) {
          const forged = consistencyProof(m, n, rewritten.node);
          expect(verifyConsistency(m, n, rootM, rootHash(n, rewritten.node), forged)).toBe(false);
        }
        if (m > 0 && m < n) {
          expect(verifyConsistency(m, n, rootM, rootN, proof.slice(1))).toBe(false);
          expect(verifyConsistency(m, n, rootHash(m - 1, node), rootN, proof)).toBe(false);
          if (n < leaves.length)
            expect(verifyConsistency(m, n + 1, rootM, rootHash(n + 1, node), proof)).toBe(false);
        }
      }
      expect(verifyConsistency(n, n - 1, rootN, rootHash(n - 1, node), [])).toBe(false);
    }
  });
});

describe('signed tree head', () => {
  const signer = new LogSigner(generateKeyPairSync('ed25519').privateKey);
  const head = signer.sign({ treeSize: 7, rootHash: CT_ROOTS[6]!, timestamp: 1_765_000_000_000 });

  it('signs the documented five lines, and verifies with the published key', () => {
    expect(new TextDecoder().decode(headSigningBytes(head))).toBe(
      `fairslot-log-head/v1\n7\n${CT_ROOTS[6]}\n1765000000000\n${signer.keyId}\n`,
    );
    expect(signer.keyId).toBe(keyIdOf(signer.publicKey));
    expect(signer.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(verifyHeadSignature(head, signer.publicKey)).toEqual({ ok: true });
  });

  it('refuses a changed size, root, time, key id, signature or key', () => {
    const other = new LogSigner(generateKeyPairSync('ed25519').privateKey);
    const cases: [SignedTreeHead, Uint8Array][] = [
      [{ ...head, treeSize: 8 }, signer.publicKey],
      [{ ...head, rootHash: CT_ROOTS[5]! }, signer.publicKey],
      [{ ...head, timestamp: head.timestamp + 1 }, signer.publicKey],
      [{ ...head, keyId: other.keyId }, signer.publicKey],
      [
        { ...head, signature: `${head.signature[0] === '0' ? '1' : '0'}${head.signature.slice(1)}` },
        signer.publicKey,
      ],
      [head, other.publicKey],
      [{ ...other.sign(head), keyId: signer.keyId }, signer.publicKey],
    ];
    for (const [h, key] of cases) expect(verifyHeadSignature(h, key).ok).toBe(false);
  });

  it('takes the key as PKCS#8 PEM or a hex seed; RFC 8032 test 1 gives its public key', () => {
    const seed = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
    const fromSeed = new LogSigner(parseLogSigningKey(seed));
    expect(bytesToHex(fromSeed.publicKey)).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    const pem = createPrivateKey(parseLogSigningKey(seed).export({ format: 'pem', type: 'pkcs8' })).export({
      format: 'pem',
      type: 'pkcs8',
    }) as string;
    expect(new LogSigner(parseLogSigningKey(pem)).keyId).toBe(fromSeed.keyId);
    // RFC 8032 §7.1 test 1: the empty message.
    expect(sign(null, new Uint8Array(0), parseLogSigningKey(seed)).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    expect(() => parseLogSigningKey('00')).toThrow(/Ed25519/);
    expect(LogSigner.fromConfig(undefined).development).toBe(true);
    expect(LogSigner.fromConfig(undefined).keyId).toBe(
      new LogSigner(parseLogSigningKey(DEV_LOG_SIGNING_SEED)).keyId,
    );
  });
});

describe('leaf encoding', () => {
  it('canonical JSON: sorted keys, no whitespace, integers only', () => {
    expect(canonicalJson({ b: [1, 'é', null], a: { d: true, c: '"\n' } })).toBe(
      '{"a":{"c":"\\"\\n","d":true},"b":[1,"é",null]}',
    );
    expect(() => canonicalJson({ x: 1.5 })).toThrow(/integers/);
  });

  it('each event type encodes to canonical JSON of exactly its fields and decodes back', () => {
    for (const e of sampleEvents('jakarta-selatan:2026-12-01')) {
      const leaf = encodeLogEvent(e);
      expect(leaf).toBe(canonicalJson(e));
      expect(decodeLogLeaf(leaf)).toEqual(e);
      expect(decodeLogLeaf(JSON.stringify(e, null, 1))).toBeNull();
    }
    expect(encodeLogEvent(sampleEvents('x1:2026-12-01')[1])).toBe(
      `{"at":"2026-12-01T12:00:00.000Z","drawId":"x1:2026-12-01","entries":1200,"entriesDigest":"${'c'.repeat(64)}","type":"draw-closed"}`,
    );
  });

  it('refuses unknown fields, bad digests, half a beacon and malformed ids', () => {
    const [opened, closed, drawn] = sampleEvents('jakarta-selatan:2026-12-01');
    const bad = [
      { ...closed, extra: 1 },
      { ...closed, entriesDigest: 'C'.repeat(64) },
      { ...closed, entries: -1 },
      { ...closed, drawId: 'Jakarta:2026-12-01' },
      { ...closed, at: '2026-12-01T12:00:00Z' },
      { ...opened, beaconRound: null },
      { ...drawn, winners: 1.5 },
      { ...drawn, type: 'draw-redrawn' },
    ];
    for (const e of bad) expect(() => encodeLogEvent(e)).toThrow(LogEventError);
    expect(encodeLogEvent({ ...opened, beaconChain: null, beaconRound: null })).toContain(
      '"beaconRound":null',
    );
  });
});

describe('whole-log audit', () => {
  const signer = new LogSigner(generateKeyPairSync('ed25519').privateKey);
  const leaves = ['a-1:2026-12-01', 'b-2:2026-12-01'].flatMap((id) => sampleEvents(id).map(encodeLogEvent));
  const headOf = (ls: string[]) =>
    signer.sign({ treeSize: ls.length, rootHash: rootOfLeaves(ls), timestamp: 1 });
  const failing = (ls: string[], head = headOf(ls)) =>
    auditLog(ls, head)
      .filter((c) => !c.ok)
      .map((c) => c.id);

  it('passes an honest log; the root is the store’s', () => {
    expect(failing(leaves)).toEqual([]);
    const { node } = build(leaves.map((l) => new TextEncoder().encode(l)));
    expect(rootOfLeaves(leaves)).toBe(bytesToHex(rootHash(leaves.length, node)));
  });

  it('finds a second event for a draw, events out of order, a non-canonical leaf, a wrong root', () => {
    const [, closedA, drawnA] = sampleEvents('a-1:2026-12-01');
    const second = encodeLogEvent({
      ...drawnA!,
      resultsDigest: '0'.repeat(64),
      at: '2026-12-02T00:00:00.000Z',
    });
    expect(failing([...leaves, second])).toEqual(['unique', 'order']);
    expect(failing([leaves[1]!, leaves[0]!, ...leaves.slice(2)])).toEqual(['order']);
    expect(failing([...leaves, encodeLogEvent({ ...closedA!, drawId: 'c-3:2026-12-01' })])).toEqual([
      'order',
    ]);
    expect(failing([...leaves, `${leaves[0]} `])).toEqual(['canonical']);
    expect(failing(leaves, headOf(leaves.slice(1)))).toEqual(['size', 'root']);
    expect(failing(leaves, { ...headOf(leaves), rootHash: 'f'.repeat(64) })).toEqual(['root']);
  });
});
