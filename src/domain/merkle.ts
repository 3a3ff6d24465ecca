// The Merkle tree of the transparency log, as RFC 9162 (Certificate Transparency 2.0) §2.1 defines it:
// leaf hash SHA-256(0x00 ‖ leaf), node hash SHA-256(0x01 ‖ left ‖ right), the tree of n leaves split at
// the largest power of two below n. Proof generation reads stored nodes through an accessor, so the same
// code serves Redis (src/store/translog.ts) and tests; verification needs only hashes. Pure and browser-safe.
//
// A stored node is a perfect, aligned subtree: (level h, index i) covers leaves [i·2^h, (i+1)·2^h). It
// never changes once its last leaf exists, so every subtree RFC 9162 asks for is a right fold of at most
// log2(n) of them.
import { defaultHash, type HashFn } from './lottery.ts';

export interface NodeId {
  level: number;
  index: number;
}
export type NodeAccessor = (level: number, index: number) => Uint8Array;

const utf8 = new TextEncoder();

export function leafHash(leaf: string | Uint8Array, hash: HashFn = defaultHash): Uint8Array {
  const bytes = typeof leaf === 'string' ? utf8.encode(leaf) : leaf;
  const input = new Uint8Array(bytes.length + 1);
  input[0] = 0;
  input.set(bytes, 1);
  return hash(input);
}

export function nodeHash(left: Uint8Array, right: Uint8Array, hash: HashFn = defaultHash): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash(input);
}

export const emptyRoot = (hash: HashFn = defaultHash): Uint8Array => hash(new Uint8Array(0));

/** Largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) when n is a power of two, else -1. Arithmetic, not bit operators: sizes may pass 2^31. */
function exactLog2(n: number): number {
  if (!(n >= 1)) return -1;
  let level = 0;
  while (n % 2 === 0) {
    n /= 2;
    level++;
  }
  return n === 1 ? level : -1;
}
const isPowerOfTwo = (n: number) => exactLog2(n) >= 0;

/**
 * MTH(D[a:b]) for a range RFC 9162's recursions produce: a is a multiple of the smallest power of two
 * ≥ b − a, so each perfect part is an aligned stored node.
 */
function subtreeHash(a: number, b: number, node: NodeAccessor, hash: HashFn): Uint8Array {
  const n = b - a;
  const level = exactLog2(n);
  if (level >= 0) return node(level, a / n);
  const k = splitPoint(n);
  return nodeHash(subtreeHash(a, a + k, node, hash), subtreeHash(a + k, b, node, hash), hash);
}

export function rootHash(treeSize: number, node: NodeAccessor, hash: HashFn = defaultHash): Uint8Array {
  return treeSize === 0 ? emptyRoot(hash) : subtreeHash(0, treeSize, node, hash);
}

/** RFC 9162 §2.1.3.1 PATH(m, D[0:treeSize]), leaf first. */
export function inclusionProof(
  index: number,
  treeSize: number,
  node: NodeAccessor,
  hash: HashFn = defaultHash,
): Uint8Array[] {
  if (!(index >= 0 && index < treeSize)) throw new RangeError('index must be below the tree size');
  const path = (m: number, a: number, b: number): Uint8Array[] => {
    if (b - a === 1) return [];
    const k = splitPoint(b - a);
    return m < a + k
      ? [...path(m, a, a + k), subtreeHash(a + k, b, node, hash)]
      : [...path(m, a + k, b), subtreeHash(a, a + k, node, hash)];
  };
  return path(index, 0, treeSize);
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]); empty when m is 0 or n. */
export function consistencyProof(
  m: number,
  n: number,
  node: NodeAccessor,
  hash: HashFn = defaultHash,
): Uint8Array[] {
  if (!(m >= 0 && m <= n)) throw new RangeError('the first size must not exceed the second');
  if (m === 0 || m === n) return [];
  const sub = (size: number, a: number, b: number, whole: boolean): Uint8Array[] => {
    if (size === b - a) return whole ? [] : [subtreeHash(a, b, node, hash)];
    const k = splitPoint(b - a);
    return size <= k
      ? [...sub(size, a, a + k, whole), subtreeHash(a + k, b, node, hash)]
      : [...sub(size - k, a + k, b, false), subtreeHash(a, a + k, node, hash)];
  };
  return sub(m, 0, n, true);
}

/**
 * The nodes that become complete when the leaf with this index is appended (the leaf itself first), each
 * from stored nodes: index 5 completes (0,5) and (1,2); index 7 completes (0,7), (1,3), (2,1), (3,0).
 */
export function nodesCompletedBy(
  index: number,
  leaf: Uint8Array,
  node: NodeAccessor,
  hash: HashFn = defaultHash,
): [NodeId, Uint8Array][] {
  const out: [NodeId, Uint8Array][] = [[{ level: 0, index }, leaf]];
  let current = leaf;
  let i = index;
  for (let level = 1; i % 2 === 1; level++) {
    const left = node(level - 1, i - 1);
    current = nodeHash(left, current, hash);
    i = (i - 1) / 2;
    out.push([{ level, index: i }, current]);
  }
  return out;
}

/**
 * Runs a computation twice: once to learn which stored nodes it reads, then with them fetched. The
 * recursions above depend only on sizes, never on hash values, so the first pass sees every read.
 */
export async function withNodes<T>(
  compute: (node: NodeAccessor) => T,
  fetch: (ids: NodeId[]) => Promise<Uint8Array[]>,
): Promise<T> {
  const wanted = new Map<string, NodeId>();
  const placeholder = new Uint8Array(32);
  compute((level, index) => {
    wanted.set(`${level}:${index}`, { level, index });
    return placeholder;
  });
  const ids = [...wanted.values()];
  const got = ids.length ? await fetch(ids) : [];
  const byKey = new Map(ids.map((id, i) => [`${id.level}:${id.index}`, got[i]!]));
  return compute((level, index) => {
    const h = byKey.get(`${level}:${index}`);
    if (!h) throw new Error(`Merkle node ${level}:${index} is missing`);
    return h;
  });
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** RFC 9162 §2.1.3.2: does the path prove the leaf hash at index in the tree of this size and root? */
export function verifyInclusion(
  index: number,
  treeSize: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
  hash: HashFn = defaultHash,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize)
    return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r, hash);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p, hash);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: is the tree (second, secondRoot) an append-only extension of (first, firstRoot)? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
  hash: HashFn = defaultHash,
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second)
    return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0 && equal(firstRoot, emptyRoot(hash));
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr, hash);
      sr = nodeHash(c, sr, hash);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c, hash);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
}
