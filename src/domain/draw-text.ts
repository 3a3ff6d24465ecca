// The two published texts of a draw, as UTF-8 bytes built and read without a string or an object per entry:
// the frozen entry list (`ticket\tweight\tprefs\tcategory\tlosses\tpenalty\n` per entry, prefs '*' = any
// session, else ids joined by ','; category '-' = none; penalty 1 or 0; a group entry gives each of the
// three parts per member, joined by ',') and the results (`rank\tticket\tsession\n` per rank, '-' = waitlisted). Byte for byte what
// entriesDigest and resultsDigest hash for the object forms. Pure and browser-safe.
import { type DrawColumns, partsText, type RankedDraw } from './draw-record.ts';
import type { TicketUniforms } from './lottery.ts';
import type { TicketBytes } from './ticket-bytes.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TAB = 0x09;
const NEWLINE = 0x0a;
const COMMA = 0x2c;

function grownBytes(old: Uint8Array, used: number, needed: number): Uint8Array {
  if (needed <= old.length) return old;
  const bigger = new Uint8Array(Math.max(needed, old.length * 2));
  bigger.set(old.subarray(0, used));
  return bigger;
}

function grownSizes(old: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(old.length * 2).fill(1);
  bigger.set(old);
  return bigger;
}

type WeightPartsLike = { category: string | null; losses: number; penalty: boolean };

function grown<T extends Uint32Array | Float64Array>(old: T, make: (n: number) => T): T {
  const bigger = make(old.length * 2);
  bigger.set(old);
  return bigger;
}

/**
 * The frozen list, line by line, with the columns the draw is computed from; with `uniforms`, also each
 * ticket's u, so the hashing is done while the entries are still coming in.
 */
export class FrozenListBuilder {
  private bytes: Uint8Array = new Uint8Array(1 << 16);
  private length = 0;
  private start = new Uint32Array(1024);
  private end = new Uint32Array(1024);
  private weights = new Float64Array(1024);
  private prefIdx = new Uint32Array(1024);
  private n = 0;
  private readonly prefsIndex = new Map<string, number>();
  private readonly prefsTable: (readonly string[] | null)[] = [];
  private readonly prefsBytes: Uint8Array[] = [];
  // A draw has a handful of distinct weights: String(weight) once per value, not once per entry.
  private readonly weightBytes = new Map<number, Uint8Array>();
  // Neighbours mostly share weight and preferences: a comparison instead of a hash lookup.
  private lastWeight = Number.NaN;
  private lastWeightBytes: Uint8Array | undefined;
  private lastPrefs = '';
  private lastPrefsIndex: number | undefined;
  // The weight's parts, "\tcategory\tlosses\tpenalty": as few distinct values as weights.
  private readonly partsBytes = new Map<string, Uint8Array>();
  /** Single entries' tails by category, then by losses × 2 + penalty. */
  private readonly singleTails = new Map<string | null, (Uint8Array | undefined)[]>();
  private us: Float64Array | null;
  // Persons per entry, allocated at the first group entry (most draws have none).
  private sizes: Uint8Array | null = null;

  constructor(private readonly uniforms: TicketUniforms | null = null) {
    this.us = uniforms ? new Float64Array(1024) : null;
  }

  get count(): number {
    return this.n;
  }

  /**
   * One entry; its ticket is ticket[from, to) (a page of entries can arrive as one string), `prefs` as
   * published: '*' for any session, else session ids joined by ','; the weight's parts as published.
   */
  add(
    ticket: string,
    weight: number,
    prefs: string,
    parts: WeightPartsLike,
    from = 0,
    to = ticket.length,
    members?: readonly WeightPartsLike[],
  ): void {
    if (this.n === this.start.length) {
      this.start = grown(this.start, (n) => new Uint32Array(n));
      this.end = grown(this.end, (n) => new Uint32Array(n));
      this.weights = grown(this.weights, (n) => new Float64Array(n));
      this.prefIdx = grown(this.prefIdx, (n) => new Uint32Array(n));
      if (this.us) this.us = grown(this.us, (n) => new Float64Array(n));
      if (this.sizes) this.sizes = grownSizes(this.sizes);
    }
    let w = weight === this.lastWeight ? this.lastWeightBytes : this.weightBytes.get(weight);
    if (w === undefined) {
      w = encoder.encode(String(weight));
      this.weightBytes.set(weight, w);
    }
    this.lastWeight = weight;
    this.lastWeightBytes = w;
    let p = prefs === this.lastPrefs ? this.lastPrefsIndex : this.prefsIndex.get(prefs);
    if (p === undefined) {
      p = this.prefsTable.length;
      this.prefsIndex.set(prefs, p);
      this.prefsTable.push(prefs === '*' ? null : prefs.split(','));
      this.prefsBytes.push(encoder.encode(prefs));
    }
    this.lastPrefs = prefs;
    this.lastPrefsIndex = p;
    const pb = this.prefsBytes[p]!;
    const tail = members ? this.groupTail(parts, members) : this.tail(parts);
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const room = (to - from) * 3 + w.length + pb.length + tail.length + 3;
    this.bytes = grownBytes(this.bytes, this.length, this.length + room);
    const bytes = this.bytes;
    const lineStart = this.length;
    let at = lineStart;
    // Tickets are ASCII in practice; a plain loop beats a native encodeInto call per ticket.
    for (let k = from; k < to; k++) {
      const c = ticket.charCodeAt(k);
      if (c >= 0x80) {
        at = lineStart + encoder.encodeInto(ticket.slice(from, to), bytes.subarray(lineStart)).written;
        break;
      }
      bytes[at++] = c;
    }
    this.start[this.n] = lineStart;
    this.end[this.n] = at;
    // Byte loops, not Uint8Array#set: these pieces are a few bytes long, where set's call costs more.
    bytes[at++] = TAB;
    for (let k = 0; k < w.length; k++) bytes[at++] = w[k]!;
    bytes[at++] = TAB;
    for (let k = 0; k < pb.length; k++) bytes[at++] = pb[k]!;
    for (let k = 0; k < tail.length; k++) bytes[at++] = tail[k]!;
    bytes[at++] = NEWLINE;
    this.length = at;
    this.weights[this.n] = weight;
    this.prefIdx[this.n] = p;
    if (members && members.length > 1) {
      this.sizes ??= new Uint8Array(this.start.length).fill(1);
      this.sizes[this.n] = members.length;
    }
    if (this.us) this.us[this.n] = this.uniforms!.of(bytes, lineStart, this.end[this.n]!);
    this.n++;
  }

  /**
   * The weight parts of a single entry as bytes, found without building a string: nearly every entry
   * shares one of a few dozen tails, and a key string per entry was a tenth of a million-entry draw.
   */
  private tail(parts: WeightPartsLike): Uint8Array {
    let byLosses = this.singleTails.get(parts.category);
    if (byLosses === undefined) {
      byLosses = [];
      this.singleTails.set(parts.category, byLosses);
    }
    const slot = parts.losses * 2 + (parts.penalty ? 1 : 0);
    const cacheable = Number.isInteger(slot) && slot >= 0 && slot < 256;
    let tail = cacheable ? byLosses[slot] : undefined;
    if (tail === undefined) {
      tail = encoder.encode(`\t${parts.category ?? '-'}\t${parts.losses}\t${parts.penalty ? 1 : 0}`);
      if (cacheable) byLosses[slot] = tail;
    }
    return tail;
  }

  private groupTail(parts: WeightPartsLike, members: readonly WeightPartsLike[]): Uint8Array {
    const key = `\t${partsText({ ...parts, members })}`;
    let tail = this.partsBytes.get(key);
    if (tail === undefined) {
      tail = encoder.encode(key);
      this.partsBytes.set(key, tail);
    }
    return tail;
  }

  /** The frozen text so far (a view: copy it before handing it elsewhere). */
  text(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  columns(): DrawColumns {
    return {
      tickets: {
        bytes: this.text(),
        start: this.start.subarray(0, this.n),
        end: this.end.subarray(0, this.n),
      },
      weights: this.weights.subarray(0, this.n),
      prefIdx: this.prefIdx.subarray(0, this.n),
      prefsTable: this.prefsTable,
      ...(this.sizes ? { sizes: this.sizes.subarray(0, this.n) } : {}),
      uniforms: this.us
        ? { seed: this.uniforms!.seed, drawId: this.uniforms!.drawId, values: this.us.subarray(0, this.n) }
        : undefined,
    };
  }
}

function fieldEnd(bytes: Uint8Array, from: number, lineEnd: number): number {
  const t = bytes.indexOf(TAB, from);
  return t < 0 || t > lineEnd ? lineEnd : t;
}

/**
 * Reads a frozen text as published (the inverse of FrozenListBuilder, and the same reading as the object
 * form: empty lines skipped, a missing weight is '' and a missing prefs field '*').
 */
export function parseFrozenList(bytes: Uint8Array): DrawColumns {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NEWLINE) lines++;
  lines++;
  const start = new Uint32Array(lines);
  const end = new Uint32Array(lines);
  const weights = new Float64Array(lines);
  const prefIdx = new Uint32Array(lines);
  const prefsIndex = new Map<string, number>();
  const prefsTable: (readonly string[] | null)[] = [];
  const field = (a: number, b: number) => decoder.decode(bytes.subarray(a, b));
  let n = 0;
  let lastWeightText = '';
  let lastWeight = Number('');
  let sizes: Uint8Array | null = null;
  let pos = 0;
  while (pos < bytes.length) {
    let lineEnd = bytes.indexOf(NEWLINE, pos);
    if (lineEnd < 0) lineEnd = bytes.length;
    if (lineEnd > pos) {
      const ticketEnd = fieldEnd(bytes, pos, lineEnd);
      start[n] = pos;
      end[n] = ticketEnd;
      let weightText = '';
      let prefs = '*';
      if (ticketEnd < lineEnd) {
        const weightEnd = fieldEnd(bytes, ticketEnd + 1, lineEnd);
        weightText = field(ticketEnd + 1, weightEnd);
        if (weightEnd < lineEnd) {
          const prefsEnd = fieldEnd(bytes, weightEnd + 1, lineEnd);
          prefs = field(weightEnd + 1, prefsEnd);
          // A group entry lists a category per member: its size is one more than the commas in that field.
          let size = 1;
          if (prefsEnd < lineEnd) {
            const categoryEnd = fieldEnd(bytes, prefsEnd + 1, lineEnd);
            for (let k = prefsEnd + 1; k < categoryEnd; k++) if (bytes[k] === COMMA) size++;
          }
          if (size > 1) {
            sizes ??= new Uint8Array(lines).fill(1);
            sizes[n] = Math.min(size, 255);
          }
        }
      }
      if (weightText !== lastWeightText) {
        lastWeightText = weightText;
        lastWeight = Number(weightText);
      }
      weights[n] = lastWeight;
      let p = prefsIndex.get(prefs);
      if (p === undefined) {
        p = prefsTable.length;
        prefsIndex.set(prefs, p);
        prefsTable.push(prefs === '*' ? null : prefs.split(','));
      }
      prefIdx[n] = p;
      n++;
    }
    pos = lineEnd + 1;
  }
  return {
    tickets: { bytes, start: start.subarray(0, n), end: end.subarray(0, n) },
    weights: weights.subarray(0, n),
    prefIdx: prefIdx.subarray(0, n),
    prefsTable,
    ...(sizes ? { sizes: sizes.subarray(0, n) } : {}),
  };
}

/** Number of decimal digits of all of 1..n together. */
function rankDigits(n: number): number {
  let total = 0;
  for (let low = 1, digits = 1; low <= n; low *= 10, digits++)
    total += (Math.min(n, low * 10 - 1) - low + 1) * digits;
  return total;
}

/** The results text of a ranked draw, built once: it is staged, published and digested as it is. */
export function resultsTextBytes(
  draw: RankedDraw,
  tickets: TicketBytes,
  sessions: readonly { id: string }[],
): Uint8Array {
  const { order, session } = draw;
  const n = order.length;
  const sessionBytes = sessions.map((s) => encoder.encode(s.id));
  // Sizes summed in storage order: visiting the tickets in rank order is a cache miss per entry.
  let size = rankDigits(n) + 3 * n;
  for (let i = 0; i < n; i++) size += tickets.end[i]! - tickets.start[i]!;
  for (let r = 0; r < n; r++) {
    const s = session[r]!;
    size += s < 0 ? 1 : sessionBytes[s]!.length;
  }
  // Where each ticket is, in rank order, gathered first in a loop of independent loads (the CPU keeps many
  // cache misses in flight); the copy below then misses once per ticket instead of three times.
  const from = new Uint32Array(n);
  const to = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    from[r] = tickets.start[i]!;
    to[r] = tickets.end[i]!;
  }
  const out = new Uint8Array(size);
  const src = tickets.bytes;
  // The rank as ASCII digits, counted up in place rather than formatted a million times.
  const digits = new Uint8Array(16).fill(0x30);
  let width = 1;
  let at = 0;
  for (let r = 0; r < n; r++) {
    let d = 15;
    while (digits[d] === 0x39) digits[d--] = 0x30;
    digits[d]!++;
    if (16 - d > width) width = 16 - d;
    for (let k = 16 - width; k < 16; k++) out[at++] = digits[k]!;
    out[at++] = TAB;
    for (let k = from[r]!, e = to[r]!; k < e; k++) out[at++] = src[k]!;
    out[at++] = TAB;
    const s = session[r]!;
    if (s < 0) {
      out[at++] = 0x2d; // '-'
    } else {
      out.set(sessionBytes[s]!, at);
      at += sessionBytes[s]!.length;
    }
    out[at++] = NEWLINE;
  }
  return out;
}
