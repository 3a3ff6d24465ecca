// The main-thread side of the draw thread: one worker thread per process, started on the first draw and
// ended after a minute without one, runs the CPU-bound part of every draw (draw-compute.ts). With
// ROLE=all the draw worker shares the process with the HTTP API; a million entries weighed, ranked and
// written out on the event loop stalled every request for seconds. The entries are read from Redis off
// the event loop too, by the thread's reader thread (draw-reader-thread.ts): relayed through the event
// loop, every HSCAN page waited its turn behind the API's requests and was copied once more into a
// message. The event loop only receives the finished texts; a process that knows no Redis URL still
// relays the pages (DrawRunner).
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { DRAW_THREAD_URL } from '../runtime-files.ts';
import type { DrawComputed, DrawInput, FrozenBuilt, PreviewComputed, WeighInput } from './draw-compute.ts';
import type { JobReply, JobRequest, JobStart, ScanSource } from './draw-compute-thread.ts';
import { endThread } from './thread-end.ts';

/** An idle thread holds the heap of its last draw; starting one loads its modules again. */
const IDLE_MS = 60_000;

/** How long an ending thread gets to close its Redis connections before it is terminated anyway. */
const END_GRACE_MS = 2_000;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

let thread: Worker | null = null;
/** Resolves once the thread has loaded its module (a failed start rejects every job anyway). */
let threadReady: Promise<void> = Promise.resolve();
let idleTimer: NodeJS.Timeout | null = null;
/** Set in a process that runs the draw worker: its thread stays up between draws. */
let keepWarm = false;
const live = new Set<DrawJob>();

function threadFailed(w: Worker, err: Error): void {
  if (thread !== w) return;
  thread = null;
  for (const job of live) job.fail(err);
}

function sharedThread(): Worker {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (thread) return thread;
  const w = new Worker(DRAW_THREAD_URL);
  // Jobs keep the process alive through their ports; the thread itself never does.
  w.unref();
  w.on('error', (err) => threadFailed(w, err));
  w.on('exit', (code) => threadFailed(w, new Error(`draw thread exited with code ${code}`)));
  threadReady = new Promise<void>((resolve) => {
    w.once('message', () => resolve());
    w.once('exit', () => resolve());
  });
  thread = w;
  return w;
}

function jobEnded(): void {
  if (live.size > 0 || !thread || keepWarm) return;
  idleTimer = setTimeout(() => void closeDrawThread(), IDLE_MS);
  idleTimer.unref();
}

/**
 * Starts the draw thread now and keeps it between draws, for a process that runs the draw worker: the
 * start-up is paid once, not at the beginning of every draw.
 */
export function warmDrawThread(): Promise<void> {
  keepWarm = true;
  sharedThread();
  return threadReady;
}

/** Ends the draw thread (shutdown, tests); the next draw starts a new one. */
export async function closeDrawThread(): Promise<void> {
  keepWarm = false;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const w = thread;
  thread = null;
  for (const job of live) job.fail(new Error('draw thread closed'));
  if (w) await endThread(w, END_GRACE_MS);
}

/** One draw's computation in the draw thread; close() it when done, whatever happened. */
export class DrawJob {
  private readonly port: MessagePort;
  private readonly pending: Pending[] = [];
  private failure: Error | null = null;

  constructor(weigh: WeighInput) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.on('message', (reply: JobReply) => {
      const p = this.pending.shift();
      if (!p) return;
      if (reply.ok) p.resolve(reply.value);
      else p.reject(reply.name === 'RangeError' ? new RangeError(reply.message) : new Error(reply.message));
    });
    live.add(this);
    sharedThread().postMessage({ port: port2, weigh } satisfies JobStart, [port2]);
  }

  fail(err: Error): void {
    this.failure = err;
    for (const p of this.pending.splice(0)) p.reject(err);
  }

  private send(req: JobRequest): void {
    if (!this.failure) this.port.postMessage(req);
  }

  private request<T>(req: JobRequest): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage(req);
    });
  }

  /** One HSCAN page, [ticket, packed entry, ...]; errors surface at the next request. */
  addPage(flat: readonly string[]): void {
    this.send({ op: 'page', page: flat.join('\n'), count: flat.length / 2 });
  }

  /** Let the thread read every entry of the draw itself; errors surface at the next request. */
  scan(source: ScanSource): void {
    this.send({ op: 'scan', source });
  }

  /** Compute from this frozen text (read back from Redis) rather than from the pages. */
  useStored(text: string): void {
    this.send({ op: 'stored', text });
  }

  frozen(): Promise<FrozenBuilt> {
    return this.request({ op: 'frozen' });
  }

  draw(input: DrawInput): Promise<DrawComputed> {
    return this.request({ op: 'draw', input });
  }

  preview(input: Omit<DrawInput, 'waitlistDepth'> & { sample: number }): Promise<PreviewComputed> {
    return this.request({ op: 'preview', input });
  }

  close(): void {
    this.fail(new Error('draw job closed'));
    this.port.close();
    live.delete(this);
    jobEnded();
  }
}
