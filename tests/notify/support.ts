// Real providers for notification tests: an SMTP server that parses what it receives, and an HTTP SMS
// gateway whose answer to each request the test scripts.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { QUEUE } from '../../src/queues.ts';

export async function waitFor(
  cond: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  what = 'condition',
) {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Completion {
  result: unknown;
  attemptsMade: number;
}

/**
 * What a worker returned for each job it completed, by job id (the last completion of an id wins). A
 * completed notify job is removed at once, so its outcome is seen here or nowhere; attach before enqueueing.
 */
export function recordCompletions(running: { workers: Worker[] } | null): Map<string, Completion> {
  const worker = running?.workers.find((w) => w.name === QUEUE.notify);
  if (!worker) throw new Error('no notify worker is running');
  const done = new Map<string, Completion>();
  worker.on('completed', (job, result) => {
    done.set(job.id!, { result, attemptsMade: job.attemptsMade });
  });
  return done;
}

export interface TestSmtp {
  url: string;
  mails: ParsedMail[];
  /** RCPT TO commands seen, accepted or not. */
  rcpts: string[];
  stop(): Promise<void>;
}

/** Recipients in `reject` get 550 at RCPT TO, as a server does for a mailbox that does not exist. */
export async function startSmtp(reject: string[] = []): Promise<TestSmtp> {
  const mails: ParsedMail[] = [];
  const rcpts: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      rcpts.push(address.address);
      if (reject.includes(address.address)) {
        cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream, { keepCidLinks: true }).then(
        (m) => {
          mails.push(m);
          cb();
        },
        (err) => cb(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    rcpts,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface GatewayRequest {
  body: { to: string; text: string; id: string };
  authorization: string | undefined;
  idempotencyKey: string | undefined;
}

/** What the gateway does with one request: answer now, answer when the promise settles, or never. */
export type GatewayAnswer =
  | { status: number; body?: unknown }
  | { hold: Promise<{ status: number; body?: unknown }> }
  | { hang: true };

export interface TestGateway {
  url: string;
  requests: GatewayRequest[];
  /** 2xx answers actually written to a client still listening: the SMS the gateway would send. */
  accepted: GatewayRequest[];
  /**
   * With `honourIdempotencyKey`, the SMS really sent: the first accepted request of each Idempotency-Key.
   * A repeat of a key already accepted is answered 200 again and sends nothing, as a deduplicating
   * provider does.
   */
  delivered: Map<string, GatewayRequest>;
  honourIdempotencyKey: boolean;
  script: (n: number, req: GatewayRequest) => GatewayAnswer;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startGateway(): Promise<TestGateway> {
  const gw: TestGateway = {
    url: '',
    requests: [],
    accepted: [],
    delivered: new Map(),
    honourIdempotencyKey: false,
    script: () => ({ status: 200, body: { messageId: 'gw-default' } }),
    stop: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const r: GatewayRequest = {
      body: JSON.parse(await readBody(req)),
      authorization: req.headers.authorization,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
    };
    gw.requests.push(r);
    const answer = gw.script(gw.requests.length, r);
    if ('hang' in answer) return;
    const { status, body } = 'hold' in answer ? await answer.hold : answer;
    if (res.destroyed || req.socket.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}), () => {
      if (status < 200 || status >= 300) return;
      gw.accepted.push(r);
      const key = r.idempotencyKey;
      if (gw.honourIdempotencyKey && key && !gw.delivered.has(key)) gw.delivered.set(key, r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  gw.url = `http://127.0.0.1:${port}/send`;
  gw.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gw;
}
