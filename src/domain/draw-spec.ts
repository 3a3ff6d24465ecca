// The byte-level definitions of docs/draw-spec.md that are not the ranking itself: the spec version, the
// beacon anchor and its text, the commitment, the effective seed, drand round arithmetic and the weight
// of an entry from its published parts. Pure and browser-safe: the public page and the CLI run it.
import { bytesToHex } from '@noble/hashes/utils.js';
import { defaultHash, entryWeight, groupWeight, type HashFn } from './lottery.ts';

/** Carried in every published record; a verifier refuses a version it does not implement. */
export const SPEC_VERSION = 2;

/** The drand chain a draw is anchored to, and the round fixed for it when the draw opened. */
export interface BeaconAnchor {
  chainHash: string;
  /** The chain's BLS public key (G2, compressed, hex). */
  publicKey: string;
  period: number;
  genesisTime: number;
  groupHash: string;
  beaconId: string;
  scheme: string;
  round: number;
}

/** A round's output as the beacon published it. */
export interface BeaconOutput {
  round: number;
  /** G1 signature (compressed, hex). */
  signature: string;
  /** SHA-256 of the signature bytes (hex). */
  randomness: string;
}

/** The only scheme this spec accepts: drand quicknet's unchained G1 signatures (RFC 9380 hashing). */
export const BEACON_SCHEME = 'bls-unchained-g1-rfc9380';

const encoder = new TextEncoder();
const sha256Hex = (text: string, hash: HashFn) => bytesToHex(hash(encoder.encode(text)));

/** "drand <chainHash> <round>", or "none" for an unanchored draw. */
export function anchorText(anchor: Pick<BeaconAnchor, 'chainHash' | 'round'> | null): string {
  return anchor ? `drand ${anchor.chainHash} ${anchor.round}` : 'none';
}

/**
 * SHA-256 of "fairslot-draw/<SPEC_VERSION>\n" drawId "\n" seed "\n" anchorText. Fixed at open: the server seed, the draw
 * it belongs to and the beacon round that will complete it, all at once.
 */
export function commitmentFor(
  drawId: string,
  seed: string,
  anchor: Pick<BeaconAnchor, 'chainHash' | 'round'> | null,
  hash: HashFn = defaultHash,
): string {
  return sha256Hex(`fairslot-draw/${SPEC_VERSION}\n${drawId}\n${seed}\n${anchorText(anchor)}`, hash);
}

/** What a draw is opened with; only the commitment and the anchor are public before the draw. */
export interface DrawOpening {
  seed: string;
  commitment: string;
  /** The anchor as stored in the draw's meta hash: JSON, or '' for an unanchored draw. */
  anchor: string;
}

export const drawIdOf = (officeId: string, drawDate: string) => `${officeId}:${drawDate}`;

/** A fresh server seed (32 random bytes as hex) and its commitment for this draw and anchor. */
export function newOpening(
  drawId: string,
  anchor: BeaconAnchor | null,
  hash: HashFn = defaultHash,
): DrawOpening {
  const seed = bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  return {
    seed,
    commitment: commitmentFor(drawId, seed, anchor, hash),
    anchor: anchor ? JSON.stringify(anchor) : '',
  };
}

/** SHA-256 of seed "\n" beaconRandomness "\n" publicEntropy (missing parts as empty strings), as hex. */
export function effectiveSeedFor(
  seed: string,
  beaconRandomness: string | null,
  publicEntropy: string | null,
  hash: HashFn = defaultHash,
): string {
  return sha256Hex(`${seed}\n${beaconRandomness ?? ''}\n${publicEntropy ?? ''}`, hash);
}

/** Unix seconds at which a round is published: genesis + (round - 1) × period. */
export function roundTime(chain: Pick<BeaconAnchor, 'genesisTime' | 'period'>, round: number): number {
  return chain.genesisTime + (round - 1) * chain.period;
}

/** The first round published at or after `unixSeconds`. */
export function firstRoundAtOrAfter(
  chain: Pick<BeaconAnchor, 'genesisTime' | 'period'>,
  unixSeconds: number,
): number {
  if (unixSeconds <= chain.genesisTime) return 1;
  return Math.ceil((unixSeconds - chain.genesisTime) / chain.period) + 1;
}

/** drand's chain hash: SHA-256(period u32 BE ‖ genesis i64 BE ‖ public key ‖ group hash ‖ beacon id). */
export function chainHashOf(
  chain: Pick<BeaconAnchor, 'period' | 'genesisTime' | 'publicKey' | 'groupHash' | 'beaconId'>,
  hash: HashFn = defaultHash,
): string {
  const pk = hexToBytesStrict(chain.publicKey);
  const group = hexToBytesStrict(chain.groupHash);
  const id = chain.beaconId === 'default' ? new Uint8Array(0) : encoder.encode(chain.beaconId);
  const out = new Uint8Array(12 + pk.length + group.length + id.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, chain.period);
  view.setBigInt64(4, BigInt(chain.genesisTime));
  out.set(pk, 12);
  out.set(group, 12 + pk.length);
  out.set(id, 12 + pk.length + group.length);
  return bytesToHex(hash(out));
}

export function hexToBytesStrict(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new RangeError(`not lowercase hex: ${hex.slice(0, 20)}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The public part of an office's rules that weights depend on. */
export interface PublicWeightRules {
  version: number;
  categories: { id: string; weight: number }[];
  loserBonus: { perLoss: number; cap: number };
  penaltyFactor: number;
}

/** What an entry's weight is made of, published per ticket (no personal data). */
export interface WeightParts {
  /** Priority category id, or null for none. */
  category: string | null;
  losses: number;
  penalty: boolean;
}

/** The weight the rules give these parts: an unknown category counts as none (weight 1). */
export function weightFromParts(rules: Omit<PublicWeightRules, 'version'>, parts: WeightParts): number {
  const category =
    parts.category === null ? undefined : rules.categories.find((c) => c.id === parts.category);
  return entryWeight({
    categoryWeight: category?.weight ?? 1,
    consecutiveLosses: parts.losses,
    loserBonus: rules.loserBonus,
    penaltyFactor: parts.penalty ? rules.penaltyFactor : 1,
  });
}

/** A published entry's weight: its parts' weight, or for a group the mean of its members' (groupWeight). */
export function weightOfEntry(
  rules: Omit<PublicWeightRules, 'version'>,
  entry: WeightParts & { members?: readonly WeightParts[] },
): number {
  if (!entry.members) return weightFromParts(rules, entry);
  if (entry.members.length < 2 || entry.members.length > 20) {
    throw new RangeError(`a group has 2..20 members, got ${entry.members.length}`);
  }
  return groupWeight(entry.members.map((m) => weightFromParts(rules, m)));
}
