// Real processes for fault tests: a redis-server the test owns (so it can SIGKILL, SIGSTOP and restart it
// on the same port and data), and fairslot itself (`src/main.ts`) with a chosen ROLE.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/redis/embedded.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  probe: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  what: string,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const tempDir = (tag: string) => mkdtempSync(path.join(tmpdir(), `fairslot-${tag}-`));

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitOf(proc: ChildProcess): Promise<ExitInfo> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      resolve({ code: proc.exitCode, signal: proc.signalCode });
      return;
    }
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** PING over a raw socket: true once the server answers. */
export function redisAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
    sock.once('error', () => done(false));
  });
}

export interface RedisProcess {
  port: number;
  url: string;
  dir: string;
  proc: ChildProcess;
  exited: Promise<ExitInfo>;
  /** Sends a signal; for SIGKILL also waits until the process is gone. */
  signal(sig: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisProcessOptions {
  dir?: string;
  port?: number;
  appendfsync?: 'always' | 'everysec' | 'no';
  appendonly?: boolean;
  /** Shared object to LD_PRELOAD (the crash emulation in tests/reliability/fixtures). */
  preload?: string;
}

/**
 * A redis-server on 127.0.0.1 with AOF, data in `dir`. Unlike src/redis/embedded.ts this hands the test
 * the process, and restarting with the same dir and port is how a test brings Redis back.
 */
export async function startRedisProcess(opts: RedisProcessOptions = {}): Promise<RedisProcess> {
  const dir = opts.dir ?? tempDir('redis');
  const port = opts.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    opts.appendonly === false ? 'no' : 'yes',
    '--appendfsync',
    opts.appendfsync ?? 'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
  ];
  const env = opts.preload ? { ...process.env, LD_PRELOAD: opts.preload } : process.env;
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  const exited = exitOf(proc);
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  exited.then(() => process.off('exit', killOnExit));
  await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
      return redisAnswers(port);
    },
    'redis-server',
    15_000,
  );
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    proc,
    exited,
    async signal(sig) {
      proc.kill(sig);
      if (sig === 'SIGKILL') await exited;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGCONT');
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

export interface FairslotProcess {
  proc: ChildProcess;
  port: number;
  base: string;
  /** stdout and stderr lines (pino JSON at LOG_LEVEL, plus anything printed). */
  lines: string[];
  exited: Promise<ExitInfo>;
  kill(sig?: NodeJS.Signals): Promise<ExitInfo>;
}

export const TEST_SECRETS = {
  NIK_HASH_KEY: 'reliability-nik-hash-key-0123456789abcdef',
  APP_SECRET: 'reliability-app-secret-0123456789abcdef01',
};

const MAIN = path.resolve(new URL('../../src/main.ts', import.meta.url).pathname);

/**
 * `src/main.ts` in its own process (node --import tsx, the same as `npm start` without npx's start-up).
 * Waits for /healthz when the role serves HTTP; for ROLE=worker the caller watches its queues instead.
 */
export async function startFairslot(
  env: Record<string, string>,
  opts: { waitReady?: () => Promise<boolean> } = {},
): Promise<FairslotProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const lines: string[] = [];
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: path.resolve(path.dirname(MAIN), '..'),
    env: {
      ...process.env,
      POW_COST: '0',
      RATE_LIMIT_MULTIPLIER: '100000',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      // Tests time real processes on a shared machine; a niced worker would only add noise there.
      WORKER_NICE: '0',
      ...TEST_SECRETS,
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = exitOf(proc);
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  exited.then(() => process.off('exit', killOnExit));
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let rest = '';
    stream.on('data', (d: Buffer) => {
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
  }
  const base = `http://127.0.0.1:${port}`;
  const role = env.ROLE ?? 'all';
  const ready =
    opts.waitReady ??
    (role === 'worker'
      ? null
      : async () => (await httpRequest(`${base}/healthz`).catch(() => null))?.status === 200);
  if (ready) {
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`fairslot exited early:\n${lines.join('\n')}`);
        return ready();
      },
      `fairslot ${role} to start`,
      60_000,
      100,
    );
  }
  return {
    proc,
    port,
    base,
    lines,
    exited,
    async kill(sig = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
      return exited;
    },
  };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

/** A keep-alive agent per test keeps 20,000 requests from opening 20,000 sockets. */
export const keepAlive = (maxSockets = 64) => new Agent({ keepAlive: true, maxSockets });

export function httpRequest(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    agent?: Agent;
    timeoutMs?: number;
  } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: init.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
      },
    );
    req.setTimeout(init.timeoutMs ?? 30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(init.body);
  });
}
