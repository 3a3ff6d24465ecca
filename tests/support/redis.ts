// Each test file gets its own redis-server on a free port, in a temp dir: tests never touch the
// machine's Redis on 6379, and files can run in parallel without sharing keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../src/redis/embedded.ts';

export interface TestRedis {
  url: string;
  server: EmbeddedRedis | null;
  client: RedisClient;
  dir: string;
  stop(): Promise<void>;
}

export async function startTestRedis(opts: { appendfsync?: 'always' | 'everysec' } = {}): Promise<TestRedis> {
  // TEST_REDIS_URL points the suite at an external server or cluster (npm run test:cluster).
  const external = process.env.TEST_REDIS_URL;
  const dir = mkdtempSync(path.join(tmpdir(), 'fairslot-test-'));
  const server = external ? null : await startEmbeddedRedis({ dataDir: dir, appendfsync: opts.appendfsync });
  const url = external ?? server!.url;
  const client = createRedis(url);
  return {
    url,
    server,
    client,
    dir,
    async stop() {
      client.disconnect();
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
