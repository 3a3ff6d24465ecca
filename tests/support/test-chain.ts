// A drand-like chain for tests: a BLS key of our own (fixed, so records and vectors are reproducible),
// its chain info and hash computed the way drand computes them, and rounds signed on demand. Also the
// recorded real League of Entropy quicknet rounds from /work/shared (copied in tests/fixtures).
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { BEACON_DST, roundMessage } from '../../src/domain/beacon-verify.ts';
import { type BeaconAnchor, type BeaconOutput, chainHashOf } from '../../src/domain/draw-spec.ts';
import { defaultHash } from '../../src/domain/lottery.ts';
import type { ChainInfo } from '../../src/services/beacon.ts';
import quicknet from '../fixtures/drand-quicknet.json' with { type: 'json' };

const bls = bls12_381.shortSignatures;

export interface TestChain {
  info: ChainInfo;
  sign(round: number): BeaconOutput;
  anchor(round: number): BeaconAnchor;
}

/** A chain signed with a key derived from `label` (never a secret: tests only). */
export function testChain(opts: { label?: string; genesisTime?: number; period?: number } = {}): TestChain {
  const label = opts.label ?? 'fairslot test chain';
  const secretKey = defaultHash(new TextEncoder().encode(label));
  secretKey[0]! &= 0x3f; // below the group order
  const publicKey = bytesToHex(bls.getPublicKey(secretKey).toBytes(true));
  const base = {
    publicKey,
    period: opts.period ?? 3,
    genesisTime: opts.genesisTime ?? 1_700_000_000,
    groupHash: bytesToHex(defaultHash(new TextEncoder().encode(`${label} group`))),
    beaconId: 'fairslot-test',
    scheme: 'bls-unchained-g1-rfc9380',
  };
  const info: ChainInfo = { ...base, chainHash: chainHashOf(base) };
  return {
    info,
    sign(round) {
      const sig = bls.sign(bls.hash(roundMessage(round), BEACON_DST), secretKey).toBytes(true);
      return { round, signature: bytesToHex(sig), randomness: bytesToHex(defaultHash(sig)) };
    },
    anchor: (round) => ({ ...info, round }),
  };
}

/** The pinned quicknet facts and the real rounds recorded from it. */
export const QUICKNET_RECORDED = {
  info: {
    chainHash: quicknet.chain.hash,
    publicKey: quicknet.chain.public_key,
    period: quicknet.chain.period,
    genesisTime: quicknet.chain.genesis_time,
    groupHash: quicknet.chain.groupHash,
    beaconId: 'quicknet',
    scheme: quicknet.chain.schemeID,
  } satisfies ChainInfo,
  rounds: quicknet.rounds as BeaconOutput[],
};
