// Finds the Redis a CLI should use: REDIS_URL, else the embedded server a running `npm start` recorded
// in DATA_DIR/redis.port, else a fresh embedded one on the same data (only when no server is running,
// since two redis-servers must never share one AOF).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Config } from '../config.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from './embedded.ts';

const portFile = (dataDir: string) => path.resolve(dataDir, 'redis.port');

export function recordEmbeddedPort(dataDir: string, port: number): void {
  writeFileSync(portFile(dataDir), String(port));
}

export function forgetEmbeddedPort(dataDir: string): void {
  rmSync(portFile(dataDir), { force: true });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setTimeout(1000);
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

export async function locateRedis(config: Config): Promise<{ url: string; embedded: EmbeddedRedis | null }> {
  if (config.REDIS_URL) return { url: config.REDIS_URL, embedded: null };
  try {
    const port = Number(readFileSync(portFile(config.DATA_DIR), 'utf8'));
    if (port > 0 && (await answers(port))) return { url: `redis://127.0.0.1:${port}`, embedded: null };
  } catch {
    // no running server recorded
  }
  const embedded = await startEmbeddedRedis({ dataDir: config.DATA_DIR, bin: config.REDIS_SERVER_BIN });
  return { url: embedded.url, embedded };
}
