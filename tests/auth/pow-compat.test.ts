// ProofOfWork.verify checks altcha signatures with node:crypto instead of altcha's WebCrypto
// verifySolution. This holds the two to the same verdict on honest, tampered and foreign payloads.
import { createHmac } from 'node:crypto';
import { verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProofOfWork } from '../../src/auth/pow.ts';
import { solvePow } from '../../src/auth/pow-solve.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

const SECRET = 'compat-secret';
// The key-signature secret ProofOfWork derives from its one configured secret.
const KEY_SECRET = createHmac('sha256', SECRET).update('fairslot:pow:key-signature').digest('hex');

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const decode = (payload: string) => JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64');

async function altchaVerdict(payload: string): Promise<boolean> {
  const { challenge, solution } = decode(payload);
  const r = await verifySolution({
    challenge,
    solution,
    deriveKey,
    hmacSignatureSecret: SECRET,
    hmacKeySignatureSecret: KEY_SECRET,
  });
  return r.verified;
}

describe('ProofOfWork.verify agrees with altcha verifySolution', () => {
  const pow = () => new ProofOfWork(redis.client, { secret: SECRET, cost: 50 });

  it('both accept honest solutions', async () => {
    for (let i = 0; i < 5; i++) {
      const payload = await solvePow(await pow().challenge('entry'));
      expect(await altchaVerdict(payload)).toBe(true);
      expect(await pow().verify(payload, 'entry')).toEqual({ ok: true });
    }
  });

  it('both refuse tampered parameters, signatures and keys', async () => {
    const base = decode(await solvePow(await pow().challenge('entry')));
    const flipHex = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
    const variants = [
      { ...base, challenge: { ...base.challenge, signature: flipHex(base.challenge.signature) } },
      {
        ...base,
        challenge: {
          ...base.challenge,
          parameters: { ...base.challenge.parameters, cost: base.challenge.parameters.cost + 1 },
        },
      },
      {
        ...base,
        challenge: {
          ...base.challenge,
          parameters: { ...base.challenge.parameters, expiresAt: base.challenge.parameters.expiresAt + 60 },
        },
      },
      { ...base, solution: { ...base.solution, derivedKey: flipHex(base.solution.derivedKey) } },
    ];
    for (const v of variants) {
      const payload = encode(v);
      expect(await altchaVerdict(payload)).toBe(false);
      expect(await pow().verify(payload, 'entry')).toMatchObject({ ok: false, code: 'pow_invalid' });
    }
  });

  it('both refuse a challenge signed with another secret', async () => {
    const foreign = new ProofOfWork(redis.client, { secret: 'someone-else', cost: 50 });
    const payload = await solvePow(await foreign.challenge('entry'));
    expect(await altchaVerdict(payload)).toBe(false);
    expect(await pow().verify(payload, 'entry')).toMatchObject({ ok: false, code: 'pow_invalid' });
  });
});
