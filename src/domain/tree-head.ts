// The signed head of the transparency log: size, root, time and key, signed with Ed25519 over a fixed
// text (docs/transparency-log.md, "Signed tree head"). Verification is pure and browser-safe; signing
// lives with the key (src/auth/log-signer.ts).
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { defaultHash, type HashFn } from './lottery.ts';

export interface TreeHead {
  treeSize: number;
  /** 64 lowercase hex digits. */
  rootHash: string;
  /** Milliseconds since the Unix epoch when the head was signed. */
  timestamp: number;
  /** First 16 hex digits of SHA-256 of the raw 32-byte public key. */
  keyId: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Ed25519 signature of headSigningBytes, 128 lowercase hex digits. */
  signature: string;
}

export const HEAD_CONTEXT = 'fairslot-log-head/v1';

const utf8 = new TextEncoder();
const HEX = (len: number) => new RegExp(`^[0-9a-f]{${len}}$`);

/** The exact bytes the head's signature covers: five lines, each ending in \n, ASCII. */
export function headSigningBytes(head: TreeHead): Uint8Array {
  return utf8.encode(
    `${HEAD_CONTEXT}\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}\n${head.keyId}\n`,
  );
}

export function keyIdOf(publicKey: Uint8Array, hash: HashFn = defaultHash): string {
  return bytesToHex(hash(publicKey)).slice(0, 16);
}

export type HeadCheck = { ok: true } | { ok: false; reason: string };

/** Shape, key id and signature of a head against a public key the verifier already trusts. */
export function verifyHeadSignature(
  head: SignedTreeHead,
  publicKey: Uint8Array,
  hash: HashFn = defaultHash,
): HeadCheck {
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0)
    return { ok: false, reason: 'bad tree size' };
  if (!Number.isSafeInteger(head.timestamp) || head.timestamp < 0)
    return { ok: false, reason: 'bad timestamp' };
  if (typeof head.rootHash !== 'string' || !HEX(64).test(head.rootHash))
    return { ok: false, reason: 'bad root hash' };
  if (typeof head.signature !== 'string' || !HEX(128).test(head.signature))
    return { ok: false, reason: 'bad signature encoding' };
  if (publicKey.length !== 32) return { ok: false, reason: 'the public key is not 32 bytes' };
  if (head.keyId !== keyIdOf(publicKey, hash)) return { ok: false, reason: 'signed by another key' };
  let valid = false;
  try {
    // zip215: false is RFC 8032's strict verification, which the Python verifier implements too.
    valid = ed25519.verify(hexToBytes(head.signature), headSigningBytes(head), publicKey, { zip215: false });
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: 'the signature does not verify' };
}

export { bytesToHex, hexToBytes };
