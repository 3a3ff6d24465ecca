// An open-loop load generator: requests leave at evenly spaced moments (rate per second over the run),
// each on a free keep-alive connection of a fixed pool, whether or not earlier ones were answered.
// Latency counts from the moment a request was due, so time spent waiting for a free connection is
// counted too (no coordinated omission). autocannon's own rate option is not this: it lets each
// connection send its share of a second back to back at the start of every second, which measures a
// burst at saturation once a second, not a steady rate.
//
// Requests are written as bytes on plain sockets and answers read with a minimal HTTP/1.1 reader, as
// autocannon does: node:http's client cost about as much CPU per request as the server's /healthz, and
// on two cores the generator's CPU is taken from the server it measures.
import net from 'node:net';
import type { PlannedRequest } from './fixtures.ts';
import { ResponseReader } from './response-reader.ts';

export interface PacedOptions {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  connections: number;
  amount: number;
  ratePerSecond: number;
  timeoutS: number;
  plan: PlannedRequest[] | null;
}

export interface PacedResponse {
  /** ms since the run started at which the request was due, and its latency from then. */
  latencyMs: number;
  status: number;
}

const nowMs = () => performance.now();

/** One keep-alive connection and the request it carries (at most one: no pipelining). */
interface Connection {
  socket: net.Socket;
  reader: ResponseReader;
  /** When the request in flight was due, or null when the connection is free. */
  dueAt: number | null;
  sentAt: number;
  onAnswer: ((status: number) => void) | null;
}

export function runPaced(
  opts: PacedOptions,
  onResponse: (r: PacedResponse) => void,
): Promise<{ errors: number; timeouts: number }> {
  const target = new URL(opts.url);
  const host = target.hostname;
  const port = Number(target.port || 80);
  const hostHeader = `Host: ${target.host}\r\n`;
  const intervalMs = 1000 / opts.ratePerSecond;
  // fifo: the connection idle longest goes next, so the run cycles through the whole pool.
  const free: Connection[] = [];
  const all = new Set<Connection>();
  /** Requests due while every connection was busy, oldest first: [index, dueAt]. */
  const waiting: [number, number][] = [];
  let waitingHead = 0;
  let sent = 0;
  let settled = 0;
  let errors = 0;
  let timeouts = 0;
  let started = 0;
  let finished = false;
  let resolveRun: (r: { errors: number; timeouts: number }) => void = () => {};

  const requestBytes = (k: number): string => {
    const p = opts.plan?.[k];
    if (!p) return `${opts.method} ${opts.path} HTTP/1.1\r\n${hostHeader}\r\n`;
    const body = Buffer.byteLength(p.body);
    return (
      `${opts.method} ${opts.path} HTTP/1.1\r\n${hostHeader}cookie: ${p.cookie}\r\nx-csrf-token: ${p.csrf}\r\n` +
      `content-type: application/json\r\ncontent-length: ${body}\r\n\r\n${p.body}`
    );
  };

  const finish = () => {
    if (++settled === opts.amount && !finished) {
      finished = true;
      clearInterval(watchdog);
      for (const c of all) c.socket.destroy();
      resolveRun({ errors, timeouts });
    }
  };

  const dispatch = (c: Connection, k: number, dueAt: number) => {
    c.dueAt = dueAt;
    c.sentAt = nowMs();
    c.onAnswer = (status) => {
      onResponse({ latencyMs: nowMs() - dueAt, status });
      finish();
      release(c);
    };
    c.socket.write(requestBytes(k));
  };

  const release = (c: Connection) => {
    c.dueAt = null;
    c.onAnswer = null;
    if (finished) return;
    if (waitingHead < waiting.length) {
      const [k, dueAt] = waiting[waitingHead++]!;
      dispatch(c, k, dueAt);
    } else free.push(c);
  };

  /** A connection that failed or timed out: its request counts as settled, and a new one takes its place. */
  const lose = (c: Connection) => {
    if (!all.delete(c)) return;
    const i = free.indexOf(c);
    if (i >= 0) free.splice(i, 1);
    c.socket.destroy();
    const hadRequest = c.dueAt !== null;
    c.dueAt = null;
    if (hadRequest) finish();
    if (!finished) connect().then(release, () => {});
  };

  const connect = (): Promise<Connection> =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      const c: Connection = {
        socket,
        reader: new ResponseReader((status) => c.onAnswer?.(status)),
        dueAt: null,
        sentAt: 0,
        onAnswer: null,
      };
      socket.once('connect', () => {
        all.add(c);
        resolve(c);
      });
      socket.on('data', (chunk: Buffer) => {
        if (!c.reader.push(chunk)) {
          errors++;
          lose(c);
        }
      });
      socket.on('error', (err) => {
        if (!all.has(c)) return reject(err);
        if (c.dueAt !== null) errors++;
        lose(c);
      });
      socket.on('close', () => {
        if (c.dueAt !== null) errors++;
        lose(c);
      });
    });

  const watchdog = setInterval(() => {
    const limit = nowMs() - opts.timeoutS * 1000;
    for (const c of all) {
      if (c.dueAt !== null && c.sentAt < limit) {
        // lose() settles the request, so the socket's close does not count it again as an error.
        timeouts++;
        lose(c);
      }
    }
  }, 250);

  return openPool(connect, opts.connections, hostHeader).then(
    (pool) =>
      new Promise((resolve) => {
        resolveRun = resolve;
        free.push(...pool);
        started = nowMs();
        const send = (k: number) => {
          const dueAt = started + k * intervalMs;
          const c = free.shift();
          if (c) dispatch(c, k, dueAt);
          else waiting.push([k, dueAt]);
        };
        // Timers fire late by a millisecond or more; each tick sends every request that has come due, so
        // the schedule holds on average and no request is skipped.
        const tick = () => {
          const due = Math.min(opts.amount, Math.floor((nowMs() - started) / intervalMs) + 1);
          while (sent < due) send(sent++);
          if (sent < opts.amount) setTimeout(tick, Math.max(0, intervalMs - 1));
        };
        tick();
      }),
    (err: unknown) => {
      clearInterval(watchdog);
      for (const c of all) c.socket.destroy();
      throw err;
    },
  );
}

/**
 * Opens every connection of the pool before the run and sends a few GET /healthz on each, all at once:
 * the run then spreads over as many connections as it is said to use, and this freshly started process
 * has compiled its request path before the first timed request, so its own warm-up does not show up as
 * the server's latency.
 */
async function openPool(
  connect: () => Promise<Connection>,
  connections: number,
  hostHeader: string,
  rounds = 5,
) {
  const pool = await Promise.all(Array.from({ length: connections }, connect));
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      pool.map(
        (c) =>
          new Promise<void>((resolve, reject) => {
            c.onAnswer = (status) => (status === 200 ? resolve() : reject(new Error(`warm-up: ${status}`)));
            c.socket.write(`GET /healthz HTTP/1.1\r\n${hostHeader}\r\n`);
          }),
      ),
    );
  }
  for (const c of pool) c.onAnswer = null;
  return pool;
}
