// Reads HTTP/1.1 answers off one keep-alive connection for the paced load generator (bench/paced.ts):
// the status of each answer, its body skipped. Bodies are framed by content-length or chunked encoding;
// an answer without either (framed by the connection's close) is not something the servers under test
// send, and counts as a protocol error.

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

type State =
  | { kind: 'head' }
  | { kind: 'body'; remaining: number; status: number }
  | { kind: 'chunk-size'; status: number }
  | { kind: 'chunk-data'; remaining: number; status: number }
  | { kind: 'trailer'; status: number };

export class ResponseReader {
  #buf: Buffer = Buffer.alloc(0);
  #state: State = { kind: 'head' };

  constructor(private readonly onResponse: (status: number) => void) {}

  /** Feeds bytes read from the socket; false when they are not HTTP/1.1 this reader can frame. */
  push(chunk: Buffer): boolean {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    for (;;) {
      const s = this.#state;
      if (s.kind === 'head') {
        const end = this.#buf.indexOf(HEADER_END);
        if (end < 0) return this.#buf.length < 64 * 1024;
        const head = this.#buf.toString('latin1', 0, end);
        this.#buf = this.#buf.subarray(end + 4);
        const m = STATUS_LINE.exec(head);
        if (!m) return false;
        const status = Number(m[1]);
        const framing = bodyFraming(head, status);
        if (framing === null) return false;
        this.#state =
          framing === 'chunked'
            ? { kind: 'chunk-size', status }
            : { kind: 'body', remaining: framing, status };
      } else if (s.kind === 'body') {
        const take = Math.min(s.remaining, this.#buf.length);
        this.#buf = this.#buf.subarray(take);
        s.remaining -= take;
        if (s.remaining > 0) return true;
        this.#state = { kind: 'head' };
        this.onResponse(s.status);
      } else if (s.kind === 'chunk-size') {
        const end = this.#buf.indexOf(CRLF);
        if (end < 0) return this.#buf.length < 1024;
        const size = Number.parseInt(this.#buf.toString('latin1', 0, end).split(';')[0]!, 16);
        if (!Number.isFinite(size) || size < 0) return false;
        this.#buf = this.#buf.subarray(end + 2);
        this.#state =
          size === 0
            ? { kind: 'trailer', status: s.status }
            : { kind: 'chunk-data', remaining: size + 2, status: s.status };
      } else if (s.kind === 'chunk-data') {
        const take = Math.min(s.remaining, this.#buf.length);
        this.#buf = this.#buf.subarray(take);
        s.remaining -= take;
        if (s.remaining > 0) return true;
        this.#state = { kind: 'chunk-size', status: s.status };
      } else {
        // Trailer lines until an empty one.
        const end = this.#buf.indexOf(CRLF);
        if (end < 0) return this.#buf.length < 64 * 1024;
        this.#buf = this.#buf.subarray(end + 2);
        if (end === 0) {
          this.#state = { kind: 'head' };
          this.onResponse(s.status);
        }
      }
      if (this.#buf.length === 0 && this.#state.kind !== 'body') return true;
    }
  }
}

/** Body length from the head's headers, 'chunked', or null when the answer is framed by neither. */
function bodyFraming(head: string, status: number): number | 'chunked' | null {
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return 0;
  let length: number | null = null;
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'transfer-encoding' && value.toLowerCase().includes('chunked')) return 'chunked';
    if (name === 'content-length') length = Number(value);
  }
  return length !== null && Number.isSafeInteger(length) && length >= 0 ? length : null;
}
