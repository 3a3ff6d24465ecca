// SHA-256 (FIPS 180-4) of one fixed prefix followed by each of many short suffixes: the prefix's full
// blocks are compressed once, and each suffix costs only its last one or two blocks. A draw hashes
// seed ‖ draw id ‖ ticket a million times; a library hasher object per call (or node:crypto's per-call
// overhead) costs several times the compression itself, and under the tsx loader @noble/hashes' classes
// run an order of magnitude slower than plain functions over typed arrays like these.
// Pure and browser-safe. tests/domain/lottery.test.ts pins it against node:crypto.

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/**
 * One compression of the 64-byte block at block[offset] into state; w is scratch of at least 16 words. The
 * message schedule lives in a 16-word ring and is extended inside the rounds: one pass instead of two.
 */
function compress(state: Int32Array, w: Int32Array, block: Uint8Array, offset: number): void {
  for (let j = 0; j < 16; j++) {
    const o = offset + 4 * j;
    w[j] = (block[o]! << 24) | (block[o + 1]! << 16) | (block[o + 2]! << 8) | block[o + 3]!;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let j = 0; j < 64; j++) {
    let wj: number;
    if (j < 16) wj = w[j]!;
    else {
      const x = w[(j - 15) & 15]!;
      const y = w[(j - 2) & 15]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      wj = (w[j & 15]! + s0 + w[(j - 7) & 15]! + s1) | 0;
      w[j & 15] = wj;
    }
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[j]! + wj) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

export class PrefixSha256 {
  /** The state after the prefix's full blocks. */
  private readonly mid = Int32Array.from(IV);
  /** The prefix's bytes after its last full block. */
  private readonly tail: Uint8Array;
  private readonly prefixLength: number;
  private readonly w = new Int32Array(64);
  private block = new Uint8Array(128);
  /** The digest of the last hash() as eight big-endian words (signed: read with >>> 0). */
  readonly state = new Int32Array(8);

  constructor(prefix: Uint8Array) {
    const full = prefix.length - (prefix.length % 64);
    for (let o = 0; o < full; o += 64) compress(this.mid, this.w, prefix, o);
    this.tail = prefix.slice(full);
    this.prefixLength = prefix.length;
  }

  /** SHA-256(prefix ‖ bytes[from, to)), left in `state`. */
  hash(bytes: Uint8Array, from: number, to: number): Int32Array {
    const tail = this.tail;
    const used = tail.length + (to - from);
    // The suffix, one 0x80 byte, zeros, and the message length in bits as 64 bits big-endian.
    const size = (used + 9 + 63) & ~63;
    if (size > this.block.length) this.block = new Uint8Array(size * 2);
    const block = this.block;
    let at = 0;
    for (; at < tail.length; at++) block[at] = tail[at]!;
    for (let k = from; k < to; k++) block[at++] = bytes[k]!;
    block[at++] = 0x80;
    while (at < size - 8) block[at++] = 0;
    const bits = (this.prefixLength + (to - from)) * 8;
    const high = Math.floor(bits / 0x100000000);
    block[at++] = high >>> 24;
    block[at++] = high >>> 16;
    block[at++] = high >>> 8;
    block[at++] = high;
    block[at++] = bits >>> 24;
    block[at++] = bits >>> 16;
    block[at++] = bits >>> 8;
    block[at++] = bits;
    const state = this.state;
    state.set(this.mid);
    for (let o = 0; o < size; o += 64) compress(state, this.w, block, o);
    return state;
  }
}
