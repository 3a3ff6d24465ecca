// What the outbox file already holds, for the one case the send record cannot decide: a try that claimed
// a message and died before recording the outcome. Its line may or may not have reached the file; the
// file is the truth. The ledger reads the file from its end back to the moment that try claimed the
// message (every line of it was written after its claim, and each line carries its `sentAt`), keeps the
// ids it saw, and from then on reads only what was appended since: a burst of such messages after a crash
// costs one read of the recent part of the file, not one per message.
import { open } from 'node:fs/promises';

/** Read backwards in pieces this big. */
const PIECE = 1 << 20;
/** Clocks of the processes sharing one DATA_DIR may differ this much (they share a host or a volume). */
export const LEDGER_CLOCK_MARGIN_MS = 60_000;
/** A ledger this much older than the claim asked about is rebuilt rather than kept growing. */
const LEDGER_MAX_SPAN_MS = 3600_000;

interface Line {
  id: string;
  sentAt: number;
}

function parse(line: string): Line | null {
  if (!line) return null;
  try {
    const m = JSON.parse(line) as { id?: unknown; sentAt?: unknown };
    if (typeof m.id !== 'string') return null;
    const t = typeof m.sentAt === 'string' ? Date.parse(m.sentAt) : Number.NaN;
    return { id: m.id, sentAt: Number.isNaN(t) ? 0 : t };
  } catch {
    // A line cut short by a crash or a full disk: no message was recorded as sent by it.
    return null;
  }
}

export class OutboxLedger {
  private ids = new Set<string>();
  /** Lines written at or after this instant are all in `ids` (as far as the file held them). */
  private coveredFrom = Number.POSITIVE_INFINITY;
  /** Bytes of the file already read forwards. */
  private end = 0;
  private ino = 0;
  /** The question being answered; the next waits for it. */
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Whether a line for message `id`, written by a try that claimed it at `claimedAt` or later, is in the file. */
  holds(id: string, claimedAt: number): Promise<boolean> {
    // One question at a time: a read back started while another is part-way through would replace the ids
    // that one collected, and it would answer "not in the file" for a line that is (a resent message).
    // After the first, a question costs one read of what was appended since, so queueing them is cheap.
    const answer = this.busy.then(() => this.answer(id, claimedAt));
    this.busy = answer.catch(() => {});
    return answer;
  }

  private async answer(id: string, claimedAt: number): Promise<boolean> {
    const since = claimedAt - LEDGER_CLOCK_MARGIN_MS;
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    try {
      const st = await handle.stat();
      const stale =
        st.ino !== this.ino ||
        st.size < this.end ||
        since < this.coveredFrom ||
        since - this.coveredFrom > LEDGER_MAX_SPAN_MS;
      if (stale) {
        await this.readBack(handle, st.size, since);
        this.ino = st.ino;
      } else if (st.size > this.end) {
        await this.readForward(handle, st.size);
      }
      return this.ids.has(id);
    } finally {
      await handle.close();
    }
  }

  /** From the end back to the first line written before `since`. */
  private async readBack(handle: Awaited<ReturnType<typeof open>>, size: number, since: number) {
    this.ids = new Set();
    this.coveredFrom = since;
    // Only whole lines: anything after the last newline is a line still being written (or cut by a crash).
    let pos = size;
    let carry = '';
    let endSet = false;
    for (;;) {
      const start = Math.max(0, pos - PIECE);
      const buf = Buffer.alloc(pos - start);
      await handle.read(buf, 0, buf.length, start);
      const text = buf.toString('utf8') + carry;
      const lines = text.split('\n');
      if (!endSet) {
        const tail = lines.pop() ?? '';
        this.end = size - Buffer.byteLength(tail);
        endSet = true;
      }
      // The first piece of a read that did not reach the start of the file begins mid-line.
      carry = start > 0 ? (lines.shift() ?? '') : '';
      let older = false;
      for (let i = lines.length - 1; i >= 0; i--) {
        const l = parse(lines[i]!);
        if (!l) continue;
        if (l.sentAt < since) {
          older = true;
          break;
        }
        this.ids.add(l.id);
      }
      if (older || start === 0) return;
      pos = start;
    }
  }

  private async readForward(handle: Awaited<ReturnType<typeof open>>, size: number) {
    const buf = Buffer.alloc(size - this.end);
    await handle.read(buf, 0, buf.length, this.end);
    const text = buf.toString('utf8');
    const last = text.lastIndexOf('\n');
    if (last < 0) return;
    for (const line of text.slice(0, last).split('\n')) {
      const l = parse(line);
      if (l) this.ids.add(l.id);
    }
    this.end += Buffer.byteLength(text.slice(0, last + 1));
  }
}
