// Checks one drand round against its chain: the BLS signature over the round number, and that the
// randomness is the hash of that signature. Pure (noble) so the public page runs it too; the pairing
// takes tens of milliseconds, once per draw.
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { BEACON_SCHEME, type BeaconAnchor, type BeaconOutput, hexToBytesStrict } from './draw-spec.ts';
import { defaultHash, type HashFn } from './lottery.ts';

/** The hash-to-curve domain separation tag of drand's unchained G1 scheme. */
export const BEACON_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

/** The signed message of a round: SHA-256 of the round number as 8 bytes, big-endian. */
export function roundMessage(round: number, hash: HashFn = defaultHash): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(round));
  return hash(b);
}

export type BeaconCheck = { ok: true } | { ok: false; reason: string };

export function verifyBeaconOutput(
  chain: Pick<BeaconAnchor, 'publicKey' | 'scheme'>,
  out: BeaconOutput,
  hash: HashFn = defaultHash,
): BeaconCheck {
  if (chain.scheme !== BEACON_SCHEME) return { ok: false, reason: `unsupported scheme ${chain.scheme}` };
  let sig: Uint8Array;
  try {
    sig = hexToBytesStrict(out.signature);
  } catch {
    return { ok: false, reason: 'signature is not hex' };
  }
  if (bytesToHex(hash(sig)) !== out.randomness)
    return { ok: false, reason: 'randomness is not SHA-256 of the signature' };
  try {
    const bls = bls12_381.shortSignatures;
    const msg = bls.hash(roundMessage(out.round, hash), BEACON_DST);
    if (!bls.verify(sig, msg, hexToBytesStrict(chain.publicKey)))
      return { ok: false, reason: `signature does not verify for round ${out.round}` };
  } catch (err) {
    return { ok: false, reason: `signature cannot be read: ${(err as Error).message}` };
  }
  return { ok: true };
}
