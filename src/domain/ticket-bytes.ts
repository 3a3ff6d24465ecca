// The tickets of a draw as UTF-8 byte ranges of one buffer. A million tickets as strings are a million
// heap objects that the garbage collector copies and marks again and again during a draw; as ranges they
// are three typed arrays. The bytes are exactly what gets hashed and published, so nothing is re-encoded.
// Pure and browser-safe.

export interface TicketBytes {
  /** UTF-8; ticket i is bytes[start[i], end[i]). */
  bytes: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function ticketsFromStrings(tickets: readonly string[]): TicketBytes {
  const n = tickets.length;
  let room = 0;
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  for (let i = 0; i < n; i++) room += tickets[i]!.length * 3;
  const bytes = new Uint8Array(room);
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    start[i] = at;
    at += encoder.encodeInto(tickets[i]!, bytes.subarray(at)).written;
    end[i] = at;
  }
  return { bytes: bytes.subarray(0, at), start, end };
}

export function ticketAt(t: TicketBytes, i: number): string {
  return decoder.decode(t.bytes.subarray(t.start[i]!, t.end[i]!));
}

/**
 * Tickets compare as strings, in UTF-16 code-unit order, which differs from UTF-8 byte order outside the
 * Basic Multilingual Plane. Only exact key ties and hash collisions get here, so decoding costs nothing.
 */
export function compareTicketsAt(t: TicketBytes, a: number, b: number): number {
  const x = ticketAt(t, a);
  const y = ticketAt(t, b);
  return x < y ? -1 : x > y ? 1 : 0;
}
