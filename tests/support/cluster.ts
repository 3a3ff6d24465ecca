// A private three-master Redis Cluster on loopback ports, for running the integration suite against the
// same code on a cluster (npm run test:cluster). Built from the same redis-server the embedded default uses.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../src/redis/embedded.ts';

const run = promisify(execFile);

export interface TestCluster {
  url: string;
  nodes: EmbeddedRedis[];
  stop(): Promise<void>;
}

async function clusterOk(port: number): Promise<boolean> {
  const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
  return stdout.includes('cluster_state:ok');
}

export async function startTestCluster(dir: string, masters = 3): Promise<TestCluster> {
  const nodes: EmbeddedRedis[] = [];
  for (let i = 0; i < masters; i++) {
    const nodeDir = path.join(dir, `node-${i}`);
    mkdirSync(nodeDir, { recursive: true });
    nodes.push(
      await startEmbeddedRedis({
        dataDir: nodeDir,
        extraArgs: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '5000',
        ],
      }),
    );
  }
  const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
  await run('redis-cli', ['--cluster', 'create', ...addrs, '--cluster-replicas', '0', '--cluster-yes']);
  const deadline = Date.now() + 20_000;
  for (const n of nodes) {
    while (!(await clusterOk(n.port))) {
      if (Date.now() > deadline) throw new Error('cluster did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: `redis+cluster://${addrs.join(',')}`,
    nodes,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
