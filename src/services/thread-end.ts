// Ending a worker thread that holds connections: it is asked to close them first ('end', answered with
// 'ended'), and terminated once it has, or once the grace period is over, whichever comes first.
import type { Worker } from 'node:worker_threads';

/** The message a thread is asked to end with, and its answer once its connections are closed. */
export type EndRequest = 'end';

export async function endThread(w: Worker, graceMs: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    w.on('message', (m) => m === 'ended' && done());
    w.once('exit', done);
    w.postMessage('end' satisfies EndRequest);
  });
  await w.terminate();
}
