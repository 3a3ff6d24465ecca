// The draw thread's side: each draw job arrives with its own MessagePort and the weighing inputs, then
// its HSCAN pages, and is answered in the order its requests came (draw-compute-client.ts keeps them
// apart). A failure is kept and answered at the job's next request, so a bad page cannot go unnoticed.
import { type MessagePort, parentPort } from 'node:worker_threads';
import { DrawComputation, type DrawInput, type WeighInput } from './draw-compute.ts';

export type JobRequest =
  | { op: 'page'; page: string; count: number }
  | { op: 'stored'; text: string }
  | { op: 'frozen' }
  | { op: 'draw'; input: DrawInput }
  | { op: 'preview'; input: Omit<DrawInput, 'waitlistDepth'> & { sample: number } };

export type JobReply = { ok: true; value: unknown } | { ok: false; name: string; message: string };

export interface JobStart {
  port: MessagePort;
  weigh: WeighInput;
}

function serve(port: MessagePort, weigh: WeighInput): void {
  const job = new DrawComputation(weigh);
  let failure: unknown = null;
  port.on('message', (req: JobRequest) => {
    try {
      if (failure !== null) throw failure;
      if (req.op === 'page') job.addPage(req.page, req.count);
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
      if (req.op === 'page' || req.op === 'stored') return;
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ ok: false, name: e.name, message: e.message } satisfies JobReply);
    }
  });
}

parentPort?.on('message', ({ port, weigh }: JobStart) => serve(port, weigh));
// Tells a waiting warmDrawThread that start-up is over.
parentPort?.postMessage('ready');
