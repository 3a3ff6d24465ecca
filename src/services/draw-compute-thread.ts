// The draw thread's side: each draw job arrives with its own MessagePort and the weighing inputs, then
// its entries, and is answered in the order its requests came (draw-compute-client.ts keeps them apart).
// A job's entries come from the reader thread ('scan', draw-reader-thread.ts), which this thread starts and
// which reads them over its own Redis connection, so the HSCAN pages never wait behind HTTP requests on the
// main event loop, and decoding them runs beside the weighing and hashing here; a process without a Redis
// URL relays them ('page'). A failure is kept and answered at the job's next request, so a bad page cannot
// go unnoticed.
import { MessageChannel, type MessagePort, parentPort, Worker } from 'node:worker_threads';
import { DRAW_READER_URL } from '../runtime-files.ts';
import { DrawComputation, type DrawInput, type WeighInput } from './draw-compute.ts';
import type { ScanMessage, ScanSource, ScanStart } from './draw-reader-thread.ts';
import { type EndRequest, endThread } from './thread-end.ts';

export type { ScanSource } from './draw-reader-thread.ts';

export type JobRequest =
  | { op: 'page'; page: string; count: number }
  | { op: 'scan'; source: ScanSource }
  | { op: 'stored'; text: string }
  | { op: 'frozen' }
  | { op: 'draw'; input: DrawInput }
  | { op: 'preview'; input: Omit<DrawInput, 'waitlistDepth'> & { sample: number } };

export type JobReply = { ok: true; value: unknown } | { ok: false; name: string; message: string };

export interface JobStart {
  port: MessagePort;
  weigh: WeighInput;
}

let reader: Worker | null = null;
/** Scans under way, failed together if the reader thread goes away. */
const scans = new Set<(err: Error) => void>();

/** Resolves once the reader thread has loaded its module, or is gone. */
let readerReady: Promise<void> = Promise.resolve();

function readerThread(): Worker {
  if (reader) return reader;
  const w = new Worker(DRAW_READER_URL);
  readerReady = new Promise<void>((resolve) => {
    w.once('message', () => resolve());
    w.once('exit', () => resolve());
  });
  const lost = (err: Error) => {
    if (reader !== w) return;
    reader = null;
    for (const fail of scans) fail(err);
  };
  w.on('error', lost);
  w.on('exit', (code) => lost(new Error(`draw reader thread exited with code ${code}`)));
  reader = w;
  return w;
}

/** Feeds the job every entry of the draw, as the reader thread reads them; resolves after the last page. */
function scan(job: DrawComputation, source: ScanSource, ended: () => boolean): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  return new Promise<void>((resolve, reject) => {
    const finish = (err: Error | null) => {
      scans.delete(finish);
      port1.close();
      if (err) reject(err);
      else resolve();
    };
    scans.add(finish);
    port1.on('message', (msg: ScanMessage) => {
      try {
        if (msg.op === 'end') finish(null);
        else if (msg.op === 'error') finish(new Error(msg.message));
        // A closed job (failed or abandoned run) stops the reading: nobody will ask for its result.
        else if (ended()) finish(null);
        else job.addPage(msg.page, msg.count);
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      }
    });
    readerThread().postMessage({ port: port2, source } satisfies ScanStart, [port2]);
  });
}

/** Ends the reader thread after it closed its Redis connections (or after a grace period). */
async function endReader(): Promise<void> {
  const w = reader;
  reader = null;
  if (w) await endThread(w, 1_500);
}

function serve(port: MessagePort, weigh: WeighInput): void {
  const job = new DrawComputation(weigh);
  let failure: unknown = null;
  let closed = false;
  port.on('close', () => {
    closed = true;
  });
  const handle = async (req: JobRequest) => {
    try {
      if (failure !== null) throw failure;
      if (req.op === 'page') job.addPage(req.page, req.count);
      else if (req.op === 'scan') await scan(job, req.source, () => closed);
      else if (req.op === 'stored') job.useStored(req.text);
      else if (req.op === 'frozen') {
        const value = job.frozen();
        // Transferred, not copied: the frozen text of a million entries is ~25 MB.
        port.postMessage({ ok: true, value } satisfies JobReply, [value.text.buffer as ArrayBuffer]);
      } else if (req.op === 'draw') {
        const value = job.draw(req.input);
        port.postMessage({ ok: true, value } satisfies JobReply, [value.results.buffer as ArrayBuffer]);
      } else port.postMessage({ ok: true, value: job.preview(req.input) } satisfies JobReply);
    } catch (err) {
      failure = err;
      if (req.op === 'page' || req.op === 'scan' || req.op === 'stored') return;
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ ok: false, name: e.name, message: e.message } satisfies JobReply);
    }
  };
  // A scan is asynchronous: the requests after it (frozen, draw) must wait for the last of its pages.
  let chain = Promise.resolve();
  port.on('message', (req: JobRequest) => {
    chain = chain.then(() => handle(req));
  });
}

parentPort?.on('message', (msg: JobStart | EndRequest) => {
  if (msg === 'end') {
    void endReader().then(() => parentPort!.postMessage('ended'));
    return;
  }
  serve(msg.port, msg.weigh);
});
// The reader starts with this thread, so the first draw does not wait for it (its start-up takes as long
// as a draw of 100,000 entries); then a waiting warmDrawThread learns that start-up is over.
readerThread();
void readerReady.then(() => parentPort?.postMessage('ready'));
