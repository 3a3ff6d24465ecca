// Proof-of-work gate for requesting sign-in codes and entering a draw: each request must carry the
// solution of a fresh, signed, single-use altcha v2 challenge, so flooding these endpoints costs CPU.
//
// Algorithm: altcha v2 'PBKDF2/SHA-256' in deterministic mode. The server picks a secret counter,
// derives PBKDF2(nonce ‖ counter, salt, k iterations) once and publishes the first half of that key;
// the client tries counters 0, 1, 2, … until its derived key starts with that prefix. Why not plain
// 'SHA-256': each WebCrypto call costs ~25–80 µs of async overhead, which for a single-hash try is
// ~90% of the browser's time, while a bot with native SHA-256 pays none of it (measured in Node:
// 26 µs/try via WebCrypto vs 3 µs natively). PBKDF2 is still SHA-256, still WebCrypto, no WASM, but
// one deriveBits call runs k iterations natively, so the honest browser's work is real hashing that
// a bot cannot skip. Deterministic mode gives an exact, uniform amount of work and lets verification
// check a key signature (one HMAC) instead of re-deriving.
//
// Cost mapping: `cost` is the expected number of PBKDF2-HMAC-SHA256 iterations a client computes.
//   k (iterations per try) = clamp(cost, 1, 2000); m = max(0, round(cost / k) - 1);
//   counter uniform in [0, 2m] → expected tries m + 1 → expected work k·(m + 1) ≈ cost iterations.
// Uniform from 0 (not a narrow band) so no solver gains by starting its search anywhere but 0.
// cost 0 → one try of one iteration (trivial, yet challenge, signature and single use still apply).
// The server pays one try (k ≤ 2000 iterations ≈ 0.4 ms on the libuv pool) per challenge, so the
// unauthenticated challenge endpoint amplifies little. One iteration ≈ 0.18 µs in Node on a server
// core; a cheap phone is roughly 5× slower.
import { createHmac, randomInt as cryptoRandomInt, timingSafeEqual } from 'node:crypto';
import { type Challenge, createChallenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';

export type PowPurpose = 'code' | 'entry';

export interface PowOptions {
  secret: string;
  cost: number;
  ttlSeconds?: number;
  now?: () => Date;
}

export type PowChallenge = Challenge;

export type PowErrorCode = 'pow_required' | 'pow_invalid' | 'pow_expired' | 'pow_reused';

export type PowResult = { ok: true } | { ok: false; code: PowErrorCode; message: string };

const ALGORITHM = 'PBKDF2/SHA-256';
const MAX_ITERATIONS_PER_TRY = 2000;
const MAX_PAYLOAD_CHARS = 4096;
// Kept after expiry so a server whose clock lags a little still sees the challenge as used.
const USED_MARKER_SLACK_SECONDS = 60;
const PURPOSES: readonly PowPurpose[] = ['code', 'entry'];

/** How a configured cost becomes work; exported so tests and docs compute the same numbers. */
export function costToWork(cost: number): { iterationsPerTry: number; maxCounter: number } {
  const iterationsPerTry = Math.min(Math.max(cost, 1), MAX_ITERATIONS_PER_TRY);
  const m = Math.max(0, Math.round(cost / iterationsPerTry) - 1);
  return { iterationsPerTry, maxCounter: 2 * m };
}

export class ProofOfWork {
  readonly #redis: RedisClient;
  readonly #secret: string;
  readonly #keySecret: string;
  readonly #cost: number;
  readonly #ttlSeconds: number;
  readonly #now: () => Date;

  constructor(redis: RedisClient, opts: PowOptions) {
    if (typeof opts.secret !== 'string' || opts.secret === '') throw new Error('pow secret must be set');
    if (!Number.isInteger(opts.cost) || opts.cost < 0 || opts.cost > 2 ** 31) {
      throw new Error(`pow cost must be an integer from 0 to 2^31, got ${opts.cost}`);
    }
    const ttl = opts.ttlSeconds ?? 300;
    if (!Number.isInteger(ttl) || ttl < 1)
      throw new Error(`pow ttlSeconds must be a positive integer, got ${ttl}`);
    this.#redis = redis;
    this.#secret = opts.secret;
    // altcha wants a second secret for key signatures; derived so the config stays one value.
    this.#keySecret = createHmac('sha256', opts.secret).update('fairslot:pow:key-signature').digest('hex');
    this.#cost = opts.cost;
    this.#ttlSeconds = ttl;
    this.#now = opts.now ?? (() => new Date());
  }

  #hmacHex(secret: string, data: string | Buffer): string {
    return createHmac('sha256', secret).update(data).digest('hex');
  }

  /** A signed, expiring challenge bound to a purpose. JSON-serialisable; what the browser solves. */
  async challenge(purpose: PowPurpose): Promise<PowChallenge> {
    const { iterationsPerTry, maxCounter } = costToWork(this.#cost);
    return createChallenge({
      algorithm: ALGORITHM,
      cost: iterationsPerTry,
      counter: cryptoRandomInt(0, maxCounter + 1),
      deriveKey,
      data: { purpose },
      expiresAt: new Date(this.#now().getTime() + this.#ttlSeconds * 1000),
      hmacSignatureSecret: this.#secret,
      hmacKeySignatureSecret: this.#keySecret,
    });
  }

  /**
   * payload: base64 of the JSON altcha v2 Payload {challenge, solution} (see solvePow). Hostile input
   * never throws; only a Redis failure does (that is an outage, not a bad request).
   */
  async verify(payload: unknown, purpose: PowPurpose): Promise<PowResult> {
    const checked = this.check(payload, purpose);
    if (!checked.ok) return checked;
    return (await this.consume(checked.marker)) ? { ok: true } : POW_REUSED;
  }

  /**
   * Everything verify does but mark the proof used: signature, purpose, expiry, derived key. The caller
   * must then set the returned marker with SET NX (consume, or inside its own script) and refuse the
   * request with POW_REUSED when the marker already exists. A join does this in its one Lua script.
   */
  check(payload: unknown, purpose: PowPurpose): PowCheck {
    if (payload === undefined || payload === null || payload === '') {
      return fail('pow_required', 'A proof of work is required. Request a challenge and solve it.');
    }
    const parsed = parsePayload(payload);
    if (!parsed) return fail('pow_invalid', 'The proof of work is malformed.');
    const { challenge, solution } = parsed;
    if (challenge.parameters.data.purpose !== purpose) {
      return fail('pow_invalid', 'The proof of work was issued for a different action.');
    }
    const nowMs = this.#now().getTime();
    if (challenge.parameters.expiresAt * 1000 < nowMs) {
      return fail('pow_expired', 'The proof of work has expired. Request a new challenge.');
    }

    if (
      !safeEqualHex(challenge.signature, this.#hmacHex(this.#secret, canonicalJson(challenge.parameters)))
    ) {
      return fail('pow_invalid', 'The proof of work is not valid.');
    }
    const keySignature = this.#hmacHex(this.#keySecret, Buffer.from(solution.derivedKey, 'hex'));
    if (!safeEqualHex(challenge.parameters.keySignature, keySignature)) {
      return fail('pow_invalid', 'The proof of work is not valid.');
    }

    // The marker outlives the challenge a little, so a proof can never be replayed after it is forgotten.
    const remaining = Math.ceil(challenge.parameters.expiresAt - nowMs / 1000);
    const ttlSeconds = Math.max(1, remaining) + USED_MARKER_SLACK_SECONDS;
    return { ok: true, marker: { key: keys.powUsed(challenge.parameters.nonce), ttlSeconds } };
  }

  /** Marks a checked proof used; false when it already was. */
  async consume(marker: PowMarker): Promise<boolean> {
    return (await this.#redis.set(marker.key, '1', 'EX', marker.ttlSeconds, 'NX')) !== null;
  }
}

/** A used proof's marker: a key that must not exist yet, and how long it must then live. */
export interface PowMarker {
  key: string;
  ttlSeconds: number;
}

export type PowCheck = { ok: true; marker: PowMarker } | { ok: false; code: PowErrorCode; message: string };

export const POW_REUSED: PowResult = {
  ok: false,
  code: 'pow_reused',
  message: 'This proof of work was already used. Request a new challenge.',
};

function fail(code: PowErrorCode, message: string): { ok: false; code: PowErrorCode; message: string } {
  return { ok: false, code, message };
}

function safeEqualHex(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/**
 * altcha's canonical form of the signed parameters: JSON with keys sorted at every depth. parsePayload
 * admits exactly these keys, so the sorted object is written out in order rather than sorted per request.
 */
function canonicalJson(p: ParsedChallenge['parameters']): string {
  return JSON.stringify({
    algorithm: p.algorithm,
    cost: p.cost,
    data: { purpose: p.data.purpose },
    expiresAt: p.expiresAt,
    keyLength: p.keyLength,
    keyPrefix: p.keyPrefix,
    keySignature: p.keySignature,
    nonce: p.nonce,
    salt: p.salt,
  });
}

// The exact shape challenge() produces. Anything else is rejected before altcha sees it, so no
// attacker-controlled structure (deep nesting, huge numbers, prototype keys) reaches the library.
interface ParsedChallenge extends Challenge {
  parameters: Challenge['parameters'] & { expiresAt: number; data: { purpose: PowPurpose } };
  signature: string;
}

const HEX = /^[0-9a-f]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const PARAM_KEYS = [
  'algorithm',
  'cost',
  'data',
  'expiresAt',
  'keyLength',
  'keyPrefix',
  'keySignature',
  'nonce',
  'salt',
].sort();

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHex = (v: unknown, maxLength = 256): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= maxLength && v.length % 2 === 0 && HEX.test(v);
const isCount = (v: unknown, max: number): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
const hasOnlyKeys = (o: Json, allowed: readonly string[]) => Object.keys(o).every((k) => allowed.includes(k));

function parsePayload(payload: unknown): { challenge: ParsedChallenge; solution: Solution } | null {
  if (typeof payload !== 'string' || payload.length > MAX_PAYLOAD_CHARS || !BASE64.test(payload)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(value) || !hasOnlyKeys(value, ['challenge', 'solution'])) return null;
  const { challenge, solution } = value;
  if (!isObject(challenge) || !hasOnlyKeys(challenge, ['parameters', 'signature'])) return null;
  if (!isHex(challenge.signature, 128)) return null;
  const p = challenge.parameters;
  if (!isObject(p) || Object.keys(p).sort().join() !== PARAM_KEYS.join()) return null;
  if (p.algorithm !== ALGORITHM || !isCount(p.cost, MAX_ITERATIONS_PER_TRY) || p.cost === 0) return null;
  if (p.keyLength !== 32 || !isHex(p.keyPrefix, 64) || !isHex(p.keySignature, 128)) return null;
  if (!isHex(p.nonce, 64) || !isHex(p.salt, 64) || !isCount(p.expiresAt, Number.MAX_SAFE_INTEGER))
    return null;
  const data = p.data;
  if (!isObject(data) || !hasOnlyKeys(data, ['purpose'])) return null;
  if (!PURPOSES.includes(data.purpose as PowPurpose)) return null;
  if (!isObject(solution) || !hasOnlyKeys(solution, ['counter', 'derivedKey', 'time'])) return null;
  if (!isCount(solution.counter, 0xffffffff) || !isHex(solution.derivedKey, 128)) return null;
  if (solution.time !== undefined && (typeof solution.time !== 'number' || !Number.isFinite(solution.time))) {
    return null;
  }
  return {
    challenge: challenge as unknown as ParsedChallenge,
    solution: { counter: solution.counter, derivedKey: solution.derivedKey },
  };
}
