// Entry weights and the weighted random ranking of one draw (Efraimidis–Spirakis, "A-ES").
// Pure and browser-safe: the public verification page runs exactly this code, so no Node-only imports.
// Every random number is derived from SHA-256 of public inputs; there is no Math.random anywhere,
// which is what lets anyone holding the revealed seed recompute the ranking bit for bit.
import { sha256 } from '@noble/hashes/sha2.js';
import { PrefixSha256 } from './prefix-sha256.ts';
import { compareTicketsAt, type TicketBytes, ticketAt, ticketsFromStrings } from './ticket-bytes.ts';

export type HashFn = (data: Uint8Array) => Uint8Array;

/** noble's SHA-256: the same bytes as node:crypto, and it runs in the browser. */
export const defaultHash: HashFn = (data) => sha256(data);

export interface WeightInput {
  categoryWeight: number;
  consecutiveLosses: number;
  loserBonus: { perLoss: number; cap: number };
  penaltyFactor: number;
}

/**
 * categoryWeight × min(1 + perLoss × losses, cap) × penaltyFactor.
 * Rounded to 6 decimals so the published entry list (String(weight)) is short and canonical, and the
 * verifier recomputes from exactly the number that was drawn with.
 */
export function entryWeight({
  categoryWeight,
  consecutiveLosses,
  loserBonus,
  penaltyFactor,
}: WeightInput): number {
  if (!Number.isFinite(consecutiveLosses) || consecutiveLosses < 0) {
    throw new RangeError(`consecutiveLosses must be a finite number >= 0, got ${consecutiveLosses}`);
  }
  const multiplier = Math.min(1 + loserBonus.perLoss * consecutiveLosses, loserBonus.cap);
  const weight = Math.round(categoryWeight * multiplier * penaltyFactor * 1e6) / 1e6;
  if (!Number.isFinite(weight) || weight <= 0) {
    throw new RangeError(
      `entry weight must be finite and > 0, got ${weight} (category ${categoryWeight}, ` +
        `losses ${consecutiveLosses}, bonus ${loserBonus.perLoss}/${loserBonus.cap}, penalty ${penaltyFactor})`,
    );
  }
  return weight;
}

/**
 * The weight of a group entry: the mean of its members' entry weights, rounded like entryWeight.
 *
 * Why the mean and not the sum: an Efraimidis–Spirakis key −ln(u)/w is an exponential variable with rate w,
 * and a draw seats entries in key order until the places run out, at some key threshold t. An entry is
 * seated with probability ≈ 1 − e^(−w·t), whatever it costs in places; the threshold is set by places, and
 * a group of k takes k of them. So a group whose weight is its members' (equal) weight gives each member the
 * same chance as coming alone; the sum would give a family of four the chance of four tickets at once and
 * push everyone else back. With members of different weights the mean keeps the persons a group expects to
 * have served (k · w̄ · t for small t) equal to what its members would have had alone (Σ wᵢ · t).
 * docs/draw-spec.md states the rule; tests/domain/group-fairness.test.ts measures it.
 */
export function groupWeight(memberWeights: readonly number[]): number {
  if (memberWeights.length === 0) throw new RangeError('a group needs at least one member');
  let sum = 0;
  for (const w of memberWeights) {
    if (!(w > 0) || !Number.isFinite(w))
      throw new RangeError(`member weight must be finite and > 0, got ${w}`);
    sum += w;
  }
  const weight = Math.round((sum / memberWeights.length) * 1e6) / 1e6;
  if (!(weight > 0)) throw new RangeError(`group weight must be > 0, got ${weight}`);
  return weight;
}

const TWO_POW_52 = 2 ** 52;

/**
 * The first 52 bits of the digest as an integer m, then u = (m + 0.5) / 2^52. Every step is exact in
 * IEEE-754 doubles (m + 0.5 needs at most 53 bits), so any language reproduces u bit for bit, and u lies
 * strictly inside (0, 1): no -ln(0) = Infinity and no key of exactly 0.
 */
function uniformFromDigest(d: Uint8Array): number {
  const m =
    d[0]! * 2 ** 44 +
    d[1]! * 2 ** 36 +
    d[2]! * 2 ** 28 +
    d[3]! * 2 ** 20 +
    d[4]! * 2 ** 12 +
    d[5]! * 2 ** 4 +
    (d[6]! >>> 4);
  return (m + 0.5) / TWO_POW_52;
}

const encoder = new TextEncoder();

/** u for one ticket: SHA-256(utf8(seed + '\n' + drawId + '\n' + ticket)) mapped into (0, 1). */
export function uniformFor(seed: string, drawId: string, ticket: string, hash: HashFn = defaultHash): number {
  return uniformFromDigest(hash(encoder.encode(`${seed}\n${drawId}\n${ticket}`)));
}

/** The Efraimidis–Spirakis key: smaller is better; P(first) = w / Σw, and so on without replacement. */
export function keyFor(u: number, weight: number): number {
  // + 0 turns the -0 of u = 1 into +0: the radix sort below orders keys by their bit patterns.
  return -Math.log(u) / weight + 0;
}

export interface RankInput {
  ticket: string;
  weight: number;
}

/**
 * Indices of `entries` in rank order (index of the winner first): key ascending, exact key ties by ticket in
 * UTF-16 code-unit order (the same as byte order for ASCII tickets). Throws RangeError on a non-positive or
 * non-finite weight and on a duplicate ticket: a ticket listed twice would be a double chance, and two
 * identical (key, ticket) pairs would leave the order to the storage order.
 * Because (key, ticket) is then a total order, the result does not depend on the order of `entries`.
 */
export function rankEntries(
  seed: string,
  drawId: string,
  entries: readonly RankInput[],
  hash: HashFn = defaultHash,
): Uint32Array {
  const weights = new Float64Array(entries.length);
  for (let i = 0; i < entries.length; i++) weights[i] = entries[i]!.weight;
  return rankTickets(seed, drawId, ticketsFromStrings(entries.map((e) => e.ticket)), weights, hash);
}

/**
 * rankEntries over columns: ticket i is a byte range of `tickets`, its weight is weights[i]. `uniforms`, if
 * given, are the u of every ticket for this seed and draw id (TicketUniforms), computed ahead.
 */
export function rankTickets(
  seed: string,
  drawId: string,
  tickets: TicketBytes,
  weights: Float64Array,
  hash: HashFn = defaultHash,
  uniforms?: Float64Array,
): Uint32Array {
  const n = weights.length;
  for (let i = 0; i < n; i++) {
    const weight = weights[i]!;
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new RangeError(`weight of ticket ${ticketAt(tickets, i)} must be finite and > 0, got ${weight}`);
    }
  }
  const us =
    uniforms ??
    (hash === defaultHash
      ? uniformsMidstate(seed, drawId, tickets)
      : uniformsWith(seed, drawId, tickets, hash));
  rejectDuplicateTickets(us, tickets);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = keyFor(us[i]!, weights[i]!);
  if (n < RADIX_MIN) {
    const order = identity(n);
    return order.sort((a, b) => keys[a]! - keys[b]! || compareTicketsAt(tickets, a, b));
  }
  const order = radixOrder(keys);
  breakTiesByTicket(order, keys, tickets);
  return order;
}

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** Any HashFn: prefix encoded once, ticket bytes copied after it into one reused buffer. */
function uniformsWith(seed: string, drawId: string, tickets: TicketBytes, hash: HashFn): Float64Array {
  const prefix = encoder.encode(`${seed}\n${drawId}\n`);
  const { bytes, start, end } = tickets;
  const n = start.length;
  const us = new Float64Array(n);
  let buf = new Uint8Array(prefix.length + 64);
  buf.set(prefix);
  for (let i = 0; i < n; i++) {
    const ticket = bytes.subarray(start[i]!, end[i]!);
    if (prefix.length + ticket.length > buf.length) {
      const bigger = new Uint8Array(2 * (prefix.length + ticket.length));
      bigger.set(prefix);
      buf = bigger;
    }
    buf.set(ticket, prefix.length);
    us[i] = uniformFromDigest(hash(buf.subarray(0, prefix.length + ticket.length)));
  }
  return us;
}

/**
 * u of one ticket after another for one seed and draw id, several times faster than a hasher call per
 * ticket: the prefix (a 64-char seed, so more than one block) is compressed once and each ticket only its
 * last block, allocating nothing. Same digest as sha256(prefix + ticket); the tests pin this against the
 * generic path and node:crypto. A draw can compute these while its entries are still being read.
 */
export class TicketUniforms {
  private readonly hasher: PrefixSha256;

  constructor(
    readonly seed: string,
    readonly drawId: string,
  ) {
    this.hasher = new PrefixSha256(encoder.encode(`${seed}\n${drawId}\n`));
  }

  /** uniformFor the ticket whose UTF-8 bytes are bytes[from, to). */
  of(bytes: Uint8Array, from: number, to: number): number {
    const d = this.hasher.hash(bytes, from, to);
    // The first 52 bits as in uniformFromDigest: bytes 0-3 are word 0, bytes 4-6½ the top of word 1.
    return ((d[0]! >>> 0) * 2 ** 20 + (d[1]! >>> 12) + 0.5) / TWO_POW_52;
  }
}

function uniformsMidstate(seed: string, drawId: string, tickets: TicketBytes): Float64Array {
  const u = new TicketUniforms(seed, drawId);
  const { bytes, start, end } = tickets;
  const us = new Float64Array(start.length);
  for (let i = 0; i < start.length; i++) us[i] = u.of(bytes, start[i]!, end[i]!);
  return us;
}

/**
 * Equal tickets hash to equal u, so an open-addressing table of the u values finds every duplicate in one
 * pass (a sorted copy took a fifth of the ranking); the ticket comparison only runs for the rare equal u.
 */
function rejectDuplicateTickets(us: Float64Array, tickets: TicketBytes): void {
  const n = us.length;
  if (n < 2) return;
  let size = 1;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  // Slot → 1 + index of the u stored there (0 = empty). u's low mantissa bits are digest bits: uniform.
  const slots = new Int32Array(size);
  const words = new Uint32Array(us.buffer, us.byteOffset, 2 * n);
  let collided: Set<number> | null = null;
  for (let i = 0; i < n; i++) {
    let at = (words[2 * i]! ^ words[2 * i + 1]!) & mask;
    for (;;) {
      const held = slots[at]!;
      if (held === 0) {
        slots[at] = i + 1;
        break;
      }
      if (us[held - 1] === us[i]) {
        collided ??= new Set();
        collided.add(us[i]!);
        break;
      }
      at = (at + 1) & mask;
    }
  }
  if (collided === null) return;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!collided.has(us[i]!)) continue;
    const ticket = ticketAt(tickets, i);
    if (seen.has(ticket)) throw new RangeError(`duplicate ticket ${ticket}`);
    seen.add(ticket);
  }
}

/** Below this a comparator sort is cheaper than four passes over a 65,536-bucket histogram. */
const RADIX_MIN = 4096;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Stable LSD radix sort of indices by key, 16 bits per pass. Keys are +0, positive or +Infinity, never -0 or
 * NaN, and for those the IEEE-754 bit pattern read as an unsigned integer orders exactly like the number.
 * A million entries sort in a fraction of the time a comparator sort takes.
 */
function radixOrder(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const words = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  const lo = LITTLE_ENDIAN ? 0 : 1;
  const hi = 1 - lo;
  let src: Uint32Array = identity(n);
  let dst: Uint32Array = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(words[2 * i + word]! >>> shift) & 0xffff]!++;
    // A pass where every key has the same digit would only copy.
    if (count[(words[word]! >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const idx = src[i]!;
      dst[count[(words[2 * idx + word]! >>> shift) & 0xffff]!++] = idx;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

function breakTiesByTicket(order: Uint32Array, keys: Float64Array, tickets: TicketBytes): void {
  const n = order.length;
  let i = 0;
  while (i < n) {
    const k = keys[order[i]!]!;
    let j = i + 1;
    while (j < n && keys[order[j]!] === k) j++;
    if (j - i > 1) order.subarray(i, j).sort((a, b) => compareTicketsAt(tickets, a, b));
    i = j;
  }
}
