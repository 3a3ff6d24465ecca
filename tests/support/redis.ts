// Each test file gets its own redis-server on a free port, in a temp dir: tests never touch the
// machine's Redis on 6379, and files can run in parallel without sharing keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedis, type RedisClient, waitReady } from '../../src/redis/connection.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../src/redis/embedded.ts';
import { startTestCluster } from './cluster.ts';

export interface TestRedis {
  url: string;
  server: EmbeddedRedis | null;
  client: RedisClient;
  dir: string;
  stop(): Promise<void>;
}

/** True when the suite runs against a private Redis Cluster per test file (npm run test:cluster). */
export const onCluster = process.env.TEST_CLUSTER === '1';

export async function startTestRedis(opts: { appendfsync?: 'always' | 'everysec' } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fairslot-test-'));
  const cluster = onCluster ? await startTestCluster(dir) : null;
  const server = cluster ? null : await startEmbeddedRedis({ dataDir: dir, appendfsync: opts.appendfsync });
  const url = cluster?.url ?? server!.url;
  const client = createRedis(url);
  if (cluster) await waitReady(client);
  return {
    url,
    server,
    client,
    dir,
    async stop() {
      client.disconnect();
      await server?.stop();
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
