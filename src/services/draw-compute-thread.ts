// The draw thread's side: each draw job arrives with its own MessagePort and the weighing inputs, then
// its entries, and is answered in the order its requests came (draw-compute-client.ts keeps them apart).
// A job reads its entries itself over its own Redis connection ('scan'), so the HSCAN pages never wait
// behind HTTP requests on the main event loop; a process without a Redis URL relays them ('page').
// A failure is kept and answered at the job's next request, so a bad page cannot go unnoticed.
import { type MessagePort, parentPort } from 'node:worker_threads';
import { createRedis, type RedisClient } from '../redis/connection.ts';
import { DrawStore } from '../store/draws.ts';
import { DrawComputation, type DrawInput, type WeighInput } from './draw-compute.ts';

/** Where a job reads its entries from. */
export interface ScanSource {
  redisUrl: string;
  officeId: string;
  drawDate: string;
  /**
   * The draw's commitment as the main thread read it, checked here first: entries read from another Redis
   * than the one the frozen list goes to would be frozen without complaint. Null for a preview.
   */
  commitment: string | null;
}

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

/** Sent by the main thread before it ends this one, answered with 'ended' once the connections are closed. */
export type ThreadControl = 'end';

/** One connection per Redis URL for the thread's life: a cluster client's start-up is several round trips. */
const stores = new Map<string, { client: RedisClient; store: DrawStore }>();

function storeFor(url: string): DrawStore {
  let s = stores.get(url);
  if (!s) {
    const client = createRedis(url);
    s = { client, store: new DrawStore(client) };
    stores.set(url, s);
  }
  return s.store;
}

async function scan(job: DrawComputation, src: ScanSource, ended: () => boolean): Promise<void> {
  const store = storeFor(src.redisUrl);
  if (src.commitment !== null) {
    const meta = await store.meta(src.officeId, src.drawDate);
    if (meta?.commitment !== src.commitment)
      throw new Error(`draw ${src.officeId} ${src.drawDate} reads differently from the draw thread's Redis`);
  }
  for await (const flat of store.scanEntries(src.officeId, src.drawDate)) {
    // A closed job (failed or abandoned run) stops reading: nobody will ask for its result.
    if (ended()) return;
    job.addEntries(flat);
  }
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

parentPort?.on('message', (msg: JobStart | ThreadControl) => {
  if (msg === 'end') {
    for (const { client } of stores.values()) client.disconnect();
    stores.clear();
    parentPort!.postMessage('ended');
    return;
  }
  serve(msg.port, msg.weigh);
});
// Tells a waiting warmDrawThread that start-up is over.
parentPort?.postMessage('ready');
