// The draw's reader thread: it reads a draw's entries from Redis and hands them, page by page, to the
// draw thread that weighs and hashes them. Decoding HSCAN replies (ioredis) takes as long as everything the
// draw thread does with them; in one thread the two took turns, here they run side by side, so a draw takes
// little longer than reading its entries. Started by the draw thread (draw-compute-thread.ts) as that
// starts; each scan brings its own MessagePort and gets the pages on it in HSCAN order, then 'end' or 'error'.
import { type MessagePort, parentPort } from 'node:worker_threads';
import { createRedis, type RedisClient } from '../redis/connection.ts';
import { DrawStore } from '../store/draws.ts';
import type { EndRequest } from './thread-end.ts';

/** Where a scan reads its entries from. */
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

export interface ScanStart {
  port: MessagePort;
  source: ScanSource;
}

/** One page is one string, ticket and packed entry alternating, joined by '\n': one copy into the message. */
export type ScanMessage =
  | { op: 'page'; page: string; count: number }
  | { op: 'end' }
  | { op: 'error'; message: string };

/** Entries gathered into one message to the draw thread. */
const MESSAGE_ENTRIES = 2048;

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

async function read({ port, source: src }: ScanStart): Promise<void> {
  // The draw thread closes its end when the job failed or was abandoned: nobody wants the rest.
  let closed = false;
  port.on('close', () => {
    closed = true;
  });
  const send = (msg: ScanMessage) => {
    if (!closed) port.postMessage(msg);
  };
  try {
    const store = storeFor(src.redisUrl);
    if (src.commitment !== null) {
      const meta = await store.meta(src.officeId, src.drawDate);
      if (meta?.commitment !== src.commitment)
        throw new Error(
          `draw ${src.officeId} ${src.drawDate} reads differently from the draw thread's Redis`,
        );
    }
    // A bucket of a small draw holds a handful of entries: sent one by one, the messages' own cost would
    // outweigh the reading. Pages are gathered to a couple of thousand entries a message,
    // few enough that the last message's weighing, which nothing overlaps, stays short.
    let parts: string[] = [];
    let count = 0;
    const flush = () => {
      if (count > 0) send({ op: 'page', page: parts.join('\n'), count });
      parts = [];
      count = 0;
    };
    for await (const flat of store.scanEntries(src.officeId, src.drawDate)) {
      if (closed) return;
      parts.push(flat.join('\n'));
      count += flat.length / 2;
      if (count >= MESSAGE_ENTRIES) flush();
    }
    flush();
    send({ op: 'end' });
  } catch (err) {
    send({ op: 'error', message: err instanceof Error ? err.message : String(err) });
  }
  // The draw thread closes the channel once it has the last message: closed here, that could be lost.
}

parentPort?.on('message', (msg: ScanStart | EndRequest) => {
  if (msg === 'end') {
    for (const { client } of stores.values()) client.disconnect();
    stores.clear();
    parentPort!.postMessage('ended');
    return;
  }
  void read(msg);
});
parentPort?.postMessage('ready');
