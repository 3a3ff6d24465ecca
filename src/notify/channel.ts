// The notification-channel interface. The outbox is the default channel: one JSON line per message
// in DATA_DIR/outbox.jsonl, so a deployment with no SMS or SMTP contract still works end to end.
import { statSync, writeSync } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { OutboxLedger } from './outbox-ledger.ts';

export interface OutgoingMessage {
  /** Idempotency key: event + recipient + template. */
  id: string;
  channel: 'sms' | 'email';
  to: string;
  template: string;
  lang: 'id' | 'en';
  subject?: string;
  text: string;
  accountId?: string;
}

export interface Channel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ providerId: string | null }>;
}

/** The lines of one append and the promise every one of their sends returns. */
interface Batch {
  lines: string[];
  done: Promise<{ providerId: string | null }>;
  resolve: (r: { providerId: string | null }) => void;
  reject: (err: unknown) => void;
}

function newBatch(): Batch {
  let resolve!: Batch['resolve'];
  let reject!: Batch['reject'];
  const done = new Promise<{ providerId: string | null }>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { lines: [], done, resolve, reject };
}

/** The outbox has no provider id; one shared result, since no caller changes it. */
const NO_PROVIDER_ID: { providerId: string | null } = Object.freeze({ providerId: null });

/** An idle outbox gives its file descriptor back; the next message opens the file again. */
const OUTBOX_IDLE_CLOSE_MS = 2_000;

const NEWLINE = 0x0a;

/**
 * Keeps the file open between messages instead of mkdir + open + write + close for each one, and writes
 * the lines that arrive while a write is in flight together, in one append. A message counts as sent (its
 * send resolves) only once the write holding its line has returned, as with appendFile: the line is in
 * the kernel before the send record says 'sent', so a process crash loses no line that was recorded as
 * sent. Each batch is one write on an O_APPEND descriptor, so lines of other processes writing the same
 * file (API and worker roles on one DATA_DIR) never interleave within a line.
 */
export class OutboxChannel implements Channel {
  readonly name = 'outbox';
  readonly file: string;
  private handle: FileHandle | null = null;
  /** Identity of the open file, to notice that it was renamed or deleted under us. */
  private ino = 0;
  private dev = 0;
  /** A write failed: the file may end in a partial line, which the next open has to set apart. */
  private suspectTail = true;
  private pending: Batch | null = null;
  private flushing: Promise<void> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastWriteAt = 0;

  private ledger: OutboxLedger | null = null;

  constructor(dataDir: string) {
    this.file = path.resolve(dataDir, 'outbox.jsonl');
  }

  /**
   * Whether the file already holds message `id`, written by a try that claimed it at `claimedAt` or later:
   * how a message whose earlier try died before recording its outcome is settled without a second line.
   */
  async holds(id: string, claimedAt: number): Promise<boolean> {
    // Lines of this process still waiting for their write count too: they are on their way into the file.
    while (this.flushing) await this.flushing;
    this.ledger ??= new OutboxLedger(this.file);
    return this.ledger.holds(id, claimedAt);
  }

  send(message: OutgoingMessage): Promise<{ providerId: string | null }> {
    // The message's own fields, then sentAt: what JSON.stringify({ ...message, sentAt }) writes, without
    // copying the message first.
    const json = JSON.stringify(message);
    const line = `${json.slice(0, -1)},"sentAt":"${new Date().toISOString()}"}\n`;
    // Every send of one batch shares its promise: one per write instead of one per message.
    this.pending ??= newBatch();
    this.pending.lines.push(line);
    const { done } = this.pending;
    this.flushing ??= this.flush();
    return done;
  }

  /** Waits for the writes in flight and closes the file; a later send opens it again. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.clearIdleTimer();
    await this.release();
  }

  private async flush(): Promise<void> {
    try {
      // Sends come in bursts (one Redis reply wakes many jobs at once): wait for the rest of the burst so
      // that it takes one write, not one for its first line and one for all the others.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.pending) {
        const batch = this.pending;
        this.pending = null;
        try {
          await this.write(batch.lines.join(''));
        } catch (err) {
          this.suspectTail = true;
          await this.release();
          batch.reject(err);
          continue;
        }
        batch.resolve(NO_PROVIDER_ID);
      }
    } finally {
      this.flushing = null;
      this.lastWriteAt = Date.now();
      if (this.handle && !this.idleTimer) this.armIdleTimer(OUTBOX_IDLE_CLOSE_MS);
    }
  }

  /** One timer for the idle close, re-armed when it fires early, instead of a new timer per write. */
  private armIdleTimer(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.flushing || !this.handle) return;
      const idleFor = Date.now() - this.lastWriteAt;
      if (idleFor < OUTBOX_IDLE_CLOSE_MS) this.armIdleTimer(OUTBOX_IDLE_CLOSE_MS - idleFor);
      else void this.release();
    }, ms);
    // Never what keeps a process (or a test run) alive.
    this.idleTimer.unref();
  }

  private async write(text: string): Promise<void> {
    const handle = await this.current();
    if (this.suspectTail) {
      // After a crash or a failed write the file may end in half a line; without a newline first, the
      // next message would be glued to it and both lines lost to every reader.
      if (!(await endsWithNewline(handle))) text = `\n${text}`;
      this.suspectTail = false;
    }
    const buf = Buffer.from(text, 'utf8');
    // Synchronous, like pino's log lines: an append of a few kB lands in the page cache in microseconds,
    // while an async write costs a thread-pool round trip (futex wake, eventfd, one more loop turn) that
    // took more CPU than the write itself, once per batch.
    let offset = 0;
    while (offset < buf.length) offset += writeSync(handle.fd, buf, offset, buf.length - offset, null);
  }

  /**
   * The open file, reopened when the path no longer names it (rotated or deleted), so that lines never go
   * to a file nobody can read: one stat per batch instead of one open per line.
   */
  private async current(): Promise<FileHandle> {
    if (this.handle) {
      // Synchronous on purpose: a stat of a local path is a lookup in the kernel's caches, far cheaper
      // than the thread-pool round trip of an async stat, which cost as much as the write itself.
      const st = statSync(this.file, { throwIfNoEntry: false });
      if (st && st.ino === this.ino && st.dev === this.dev) return this.handle;
      await this.release();
    }
    await mkdir(path.dirname(this.file), { recursive: true });
    // 'a+': appends like 'a', and lets the tail check read the last byte.
    const handle = await open(this.file, 'a+');
    try {
      const st = await handle.stat();
      this.ino = st.ino;
      this.dev = st.dev;
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
    this.handle = handle;
    return handle;
  }

  private async release(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => {});
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

async function endsWithNewline(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return true;
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, size - 1);
  return byte[0] === NEWLINE;
}
