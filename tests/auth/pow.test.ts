import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costToWork, type PowPurpose, ProofOfWork } from '../../src/auth/pow.ts';
import { solvePow } from '../../src/auth/pow-solve.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

const SECRET = 'test-pow-secret';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  await redis?.stop();
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const decode = (payload: string) => JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
const encode = (value: unknown) => b64(JSON.stringify(value));

function pow(opts: { cost?: number; now?: () => Date; secret?: string } = {}) {
  return new ProofOfWork(redis.client, {
    secret: opts.secret ?? SECRET,
    cost: opts.cost ?? 0,
    now: opts.now,
  });
}

async function solved(p: ProofOfWork, purpose: PowPurpose = 'code') {
  return solvePow(await p.challenge(purpose));
}

/** PBKDF2 iterations the solver computed: tries × iterations per try. */
function workOf(payload: string): number {
  const { challenge, solution } = decode(payload);
  return (solution.counter + 1) * challenge.parameters.cost;
}

describe('ProofOfWork', () => {
  it('accepts a solved challenge once, then reports reuse', async () => {
    const p = pow();
    const payload = await solved(p, 'entry');
    expect(await p.verify(payload, 'entry')).toEqual({ ok: true });
    expect(await p.verify(payload, 'entry')).toMatchObject({ ok: false, code: 'pow_reused' });
  });

  it('keeps reuse state in Redis, so a second server instance also refuses the payload', async () => {
    const payload = await solved(pow());
    expect(await pow().verify(payload, 'code')).toEqual({ ok: true });
    expect(await pow().verify(payload, 'code')).toMatchObject({ code: 'pow_reused' });
  });

  it('rejects a challenge issued for another purpose', async () => {
    const p = pow();
    const payload = await solved(p, 'code');
    expect(await p.verify(payload, 'entry')).toMatchObject({ ok: false, code: 'pow_invalid' });
    // The failed attempt did not burn it: the right purpose still works.
    expect(await p.verify(payload, 'code')).toEqual({ ok: true });
  });

  it('rejects an expired challenge', async () => {
    let t = Date.now();
    const p = pow({ now: () => new Date(t) });
    const payload = await solved(p);
    t += 301_000;
    expect(await p.verify(payload, 'code')).toMatchObject({ ok: false, code: 'pow_expired' });
  });

  it('rejects a challenge signed with another secret', async () => {
    const payload = await solved(pow({ secret: 'other-secret' }));
    expect(await pow().verify(payload, 'code')).toMatchObject({ code: 'pow_invalid' });
  });

  it('rejects tampering with the signature, the cost, the purpose or the solution', async () => {
    const p = pow();
    const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    const tamper = async (edit: (v: ReturnType<typeof decode>) => void) => {
      const v = decode(await solved(p));
      edit(v);
      return p.verify(encode(v), 'code');
    };
    const cases = [
      (v: ReturnType<typeof decode>) => {
        v.challenge.signature = flip(v.challenge.signature);
      },
      (v: ReturnType<typeof decode>) => {
        v.challenge.parameters.cost += 1;
      },
      (v: ReturnType<typeof decode>) => {
        v.challenge.parameters.expiresAt += 3600;
      },
      (v: ReturnType<typeof decode>) => {
        v.challenge.parameters.data.purpose = 'entry';
      },
      (v: ReturnType<typeof decode>) => {
        v.solution.derivedKey = flip(v.solution.derivedKey);
      },
      (v: ReturnType<typeof decode>) => {
        v.challenge.parameters.algorithm = 'SHA-256';
      },
      (v: ReturnType<typeof decode>) => {
        v.challenge.parameters.extra = 1;
      },
    ];
    for (const edit of cases) {
      expect(await tamper(edit)).toMatchObject({ ok: false, code: 'pow_invalid' });
    }
    // Tampered with the purpose it is invalid for 'code'; verified as 'entry' the signature fails.
    const v = decode(await solved(p));
    v.challenge.parameters.data.purpose = 'entry';
    expect(await p.verify(encode(v), 'entry')).toMatchObject({ code: 'pow_invalid' });
  });

  it('answers garbage with an error code and never throws', async () => {
    const p = pow();
    let deep = '1';
    for (let i = 0; i < 1000; i++) deep = `[${deep}]`;
    const valid = decode(await solved(p));
    const inputs: Array<[unknown, string]> = [
      [undefined, 'pow_required'],
      [null, 'pow_required'],
      ['', 'pow_required'],
      [5, 'pow_invalid'],
      [{}, 'pow_invalid'],
      [['x'], 'pow_invalid'],
      ['x'.repeat(10_000), 'pow_invalid'],
      ['!!!', 'pow_invalid'],
      ['====', 'pow_invalid'],
      [b64('not json'), 'pow_invalid'],
      [b64('{}'), 'pow_invalid'],
      [b64('null'), 'pow_invalid'],
      [b64('"str"'), 'pow_invalid'],
      [b64(deep), 'pow_invalid'],
      [b64(`{"challenge":${deep}}`), 'pow_invalid'],
      [
        encode({
          challenge: { parameters: {}, signature: 'ab' },
          solution: { counter: 0, derivedKey: 'ab' },
        }),
        'pow_invalid',
      ],
      [encode({ ...valid, solution: { counter: -1, derivedKey: valid.solution.derivedKey } }), 'pow_invalid'],
      [
        encode({ ...valid, solution: { counter: 2 ** 40, derivedKey: valid.solution.derivedKey } }),
        'pow_invalid',
      ],
      [encode({ ...valid, solution: { counter: 0, derivedKey: 'XYZ' } }), 'pow_invalid'],
      [encode({ ...valid, solution: null }), 'pow_invalid'],
      [b64(`{"__proto__":{"polluted":1},"challenge":1,"solution":1}`), 'pow_invalid'],
    ];
    for (const [input, code] of inputs) {
      const r = await p.verify(input, 'code');
      expect(r, JSON.stringify(input)?.slice(0, 80)).toMatchObject({ ok: false, code });
      if (!r.ok) expect(r.message).toBeTruthy();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('makes cost 0 a single trivial try and cost > 0 real work', async () => {
    expect(costToWork(0)).toEqual({ iterationsPerTry: 1, maxCounter: 0 });
    const free = await solved(pow({ cost: 0 }));
    expect(workOf(free)).toBe(1);
    expect(await pow({ cost: 0 }).verify(free, 'code')).toEqual({ ok: true });

    const paid = await solved(pow({ cost: 20_000 }));
    expect(workOf(paid)).toBeGreaterThanOrEqual(2000);
    expect(await pow({ cost: 20_000 }).verify(paid, 'code')).toEqual({ ok: true });
  });

  it('maps cost to expected work monotonically and close to the configured value', () => {
    let previous = 0;
    for (const cost of [0, 1, 10, 500, 1999, 2000, 2001, 3000, 50_000, 123_457, 1_000_000, 10_000_000]) {
      const { iterationsPerTry, maxCounter } = costToWork(cost);
      const expected = iterationsPerTry * (maxCounter / 2 + 1);
      expect(expected).toBeGreaterThanOrEqual(previous);
      if (cost >= 1) expect(Math.abs(expected - cost) / cost).toBeLessThanOrEqual(0.34);
      previous = expected;
    }
  });

  it('refuses an unusable configuration up front', () => {
    expect(() => new ProofOfWork(redis.client, { secret: '', cost: 0 })).toThrow();
    expect(() => new ProofOfWork(redis.client, { secret: SECRET, cost: -1 })).toThrow();
    expect(() => new ProofOfWork(redis.client, { secret: SECRET, cost: 1.5 })).toThrow();
  });
});
