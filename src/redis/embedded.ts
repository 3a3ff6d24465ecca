// The embedded default: with no REDIS_URL, start a private redis-server so `npm start` works on a
// fresh machine. Data lives under DATA_DIR with AOF on, so a second start keeps the first one's data.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export class RedisServerMissingError extends Error {}

export interface EmbeddedRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedRedisOptions {
  dataDir: string;
  bin?: string;
  port?: number;
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Extra `--name value` arguments (tests use this for cluster mode). */
  extraArgs?: string[];
}

/**
 * Hashes stay listpacks (about half the memory of a hashtable) up to 4096 fields of up to 256 bytes: a
 * draw's entry buckets (~1000 entries each at a million entries, ~3000 at three million,
 * src/redis/keys.ts) and the account and person hashes that hold entry records and claims. A lookup in a
 * listpack of 3000 fields costs ~2 µs, in a hashtable ~1 µs; the hashtable doubles the memory of a bucket
 * and made a 3M-entry draw's HSCANs cost Redis twice the CPU per entry of a 1M draw's. Any Redis fairslot runs on needs the same settings
 * (docs/operations.md); with the defaults (128 fields, 64 bytes) everything works, with more memory.
 */
export const REDIS_MEMORY_ARGS = [
  '--hash-max-listpack-entries',
  '4096',
  '--hash-max-listpack-value',
  '256',
] as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ensureBinary(bin: string): void {
  const probe = spawnSync(bin, ['--version'], { stdio: 'ignore' });
  if (probe.error) {
    throw new RedisServerMissingError(
      `redis-server not found on PATH. Install it (Debian/Ubuntu: sudo apt-get install redis-server; ` +
        `macOS: brew install redis), set REDIS_URL to an existing Redis 7, or run: docker compose up`,
    );
  }
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.write('PING\r\n');
      });
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not answer in time');
}

export async function startEmbeddedRedis(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const bin = opts.bin ?? 'redis-server';
  ensureBinary(bin);
  const dir = path.resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    opts.appendfsync ?? 'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--protected-mode',
    'yes',
    ...REDIS_MEMORY_ARGS,
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  // If this process dies without running its handlers, do not leave the server behind.
  const killChild = () => child.kill('SIGTERM');
  process.once('exit', killChild);
  try {
    await waitForPort(port, child, 15_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', killChild);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGTERM makes redis flush the AOF and exit cleanly.
        child.kill('SIGTERM');
      }),
  };
}
