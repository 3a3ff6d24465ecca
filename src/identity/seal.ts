// The NIK of a provisionally bound person, sealed (AES-256-GCM) under a key held in the environment,
// never in Redis: what Redis holds for the re-check is ciphertext bound to the person (associated data),
// which expires with IDENTITY_SEAL_TTL_S. Whoever reads Redis alone learns nothing of the NIK.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

export class NikSeal {
  private readonly key: Buffer;

  /** keyHex: 64 hex digits (IDENTITY_SEAL_KEY); in development a key derived from the app secret. */
  constructor(keyHex: string | undefined, devFallback: string) {
    this.key = keyHex
      ? Buffer.from(keyHex, 'hex')
      : createHash('sha256').update(`identity-seal|${devFallback}`).digest();
  }

  seal(nik: string, personId: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(personId));
    const body = Buffer.concat([c.update(nik, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  /** null when the blob was not sealed for this person under this key. */
  open(sealed: string, personId: string): string | null {
    try {
      const raw = Buffer.from(sealed, 'base64');
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      d.setAAD(Buffer.from(personId));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** What the match cache keeps: a keyed fingerprint of NIK, name and birth date, never the NIK. */
  fingerprint(nik: string, name: string, birthDate: string): string {
    const who = `${nik}|${name.trim().toLowerCase().replace(/\s+/g, ' ')}|${birthDate}`;
    return createHmac('sha256', this.key).update(who).digest('base64url');
  }
}
