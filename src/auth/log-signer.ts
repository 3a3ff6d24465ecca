// The transparency log's Ed25519 key: parsed once from LOG_SIGNING_KEY (PKCS#8 PEM or a 32-byte hex
// seed) and kept out of Redis, so whoever can write Redis still cannot sign a rewritten history.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { headSigningBytes, keyIdOf, type SignedTreeHead, type TreeHead } from '../domain/tree-head.ts';

/**
 * Used only when LOG_SIGNING_KEY is unset outside production (config.ts refuses that in production):
 * anyone can sign with it, so heads it signed prove nothing.
 */
// The ASCII text 'fairslot-dev-log-key-not-secret!'.
export const DEV_LOG_SIGNING_SEED = '66616972736c6f742d6465762d6c6f672d6b65792d6e6f742d73656372657421';

// RFC 8410 PKCS#8 prefix of an Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class LogKeyError extends Error {}

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

export function parseLogSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = /^[0-9a-fA-F]{64}$/.test(trimmed)
      ? createPrivateKey({
          key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(trimmed, 'hex')]),
          format: 'der',
          type: 'pkcs8',
        })
      : createPrivateKey({ key: trimmed.replace(/\\n/g, '\n'), format: 'pem' });
  } catch {
    throw new LogKeyError('must be an Ed25519 private key: PKCS#8 PEM or 64 hex digits');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new LogKeyError('must be an Ed25519 key');
  return key;
}

export class LogSigner {
  readonly publicKey: Uint8Array;
  readonly keyId: string;

  constructor(
    private readonly key: KeyObject,
    /** True for the built-in development key. */
    readonly development = false,
  ) {
    const jwk = createPublicKey(key).export({ format: 'jwk' });
    this.publicKey = new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
    this.keyId = keyIdOf(this.publicKey, sha256);
  }

  static fromConfig(logSigningKey: string | null | undefined): LogSigner {
    return logSigningKey
      ? new LogSigner(parseLogSigningKey(logSigningKey))
      : new LogSigner(parseLogSigningKey(DEV_LOG_SIGNING_SEED), true);
  }

  sign(head: Omit<TreeHead, 'keyId'>): SignedTreeHead {
    const full: TreeHead = { ...head, keyId: this.keyId };
    const signature = sign(null, headSigningBytes(full), this.key).toString('hex');
    return { ...full, signature };
  }

  get publicKeyPem(): string {
    return createPublicKey(this.key).export({ format: 'pem', type: 'spki' }).toString();
  }
}
