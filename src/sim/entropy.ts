// Reproducible runs of production code. Tickets (nanoid) and draw seeds (crypto.randomBytes) come from the
// process's CSPRNG, and a draw's ranking hashes both, so two runs of the same scenario would differ. For the
// duration of a run this swaps both sources for a stream seeded from the scenario seed, then puts the real
// ones back. Production code is unchanged; only where its entropy comes from is.
//
// Only for processes that do nothing but simulate (the CLI, tests): in a server, predictable tickets and
// session tokens would be a hole, which is why the admin what-if runs with the system's entropy.
import { createHash, webcrypto } from 'node:crypto';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { random as nanoidRandom } from 'nanoid';

const require = createRequire(import.meta.url);
const cryptoCjs = require('node:crypto') as typeof import('node:crypto');

type FillFn = <T extends ArrayBufferView | null>(array: T) => T;

/** SHA-256 in counter mode: a byte stream fully determined by the seed. */
function byteStream(seed: string): (n: number) => Buffer {
  let counter = 0;
  let block = Buffer.alloc(0);
  let offset = 0;
  return (n) => {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) {
      if (offset === block.length) {
        block = createHash('sha256').update(`${seed}\n${counter++}`).digest();
        offset = 0;
      }
      out[i] = block[offset++]!;
    }
    return out;
  };
}

let active = false;

/**
 * nanoid keeps a pool of random bytes across calls. Drawing 12 bytes at a time until it refills leaves the
 * pool freshly filled from whatever source is installed now, 12 bytes in, whatever happened before: a run
 * in a fresh worker thread and one after another run in the same thread start from the same state. (The
 * pool's size is fixed by the first nanoid call in a thread: 1,536 bytes when that call is this one or a
 * ticket, which holds for the CLI and the tests.)
 */
function realignNanoidPool(refills: () => number): void {
  const before = refills();
  for (let i = 0; i < 100_000 && refills() === before; i++) nanoidRandom(12);
}

export async function withSeededEntropy<T>(seed: string, fn: () => Promise<T>): Promise<T> {
  if (active) throw new Error('withSeededEntropy does not nest');
  active = true;
  // Two streams: nanoid's pool refills and randomBytes calls then cannot shift each other, so work that
  // only draws booking codes may run concurrently without moving the bytes later tickets and seeds get.
  const poolBytes = byteStream(`${seed}\nnanoid`);
  const bytes = byteStream(`${seed}\nrandomBytes`);
  const originalRandomBytes = cryptoCjs.randomBytes;
  const crypto = webcrypto as unknown as { getRandomValues: FillFn };
  let seededRefills = 0;
  const seededFill: FillFn = (array) => {
    if (array) {
      const view = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      view.set(poolBytes(view.length));
    }
    seededRefills++;
    return array;
  };
  crypto.getRandomValues = seededFill;
  (cryptoCjs as { randomBytes: unknown }).randomBytes = (
    size: number,
    cb?: (e: Error | null, b: Buffer) => void,
  ) => {
    const b = bytes(size);
    if (cb) {
      queueMicrotask(() => cb(null, b));
      return undefined;
    }
    return b;
  };
  syncBuiltinESMExports();
  try {
    realignNanoidPool(() => seededRefills);
    return await fn();
  } finally {
    // The instance property shadowed the prototype's method; deleting it restores the real one.
    delete (crypto as Partial<typeof crypto>).getRandomValues;
    (cryptoCjs as { randomBytes: unknown }).randomBytes = originalRandomBytes;
    syncBuiltinESMExports();
    let realRefills = 0;
    const real = webcrypto.getRandomValues.bind(webcrypto) as FillFn;
    crypto.getRandomValues = (array) => {
      realRefills++;
      return real(array);
    };
    realignNanoidPool(() => realRefills);
    delete (crypto as Partial<typeof crypto>).getRandomValues;
    active = false;
  }
}
