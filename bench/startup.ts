// Start-up time and memory of the development command against the build: `npm start` (npm → tsx → node)
// and `node dist/main.js`, alternately, each against the same private redis-server (flushed between runs).
// Measures process start → first /readyz 200, then the resident memory (RSS) of the server process and of
// all its processes three seconds later. Run `npm run build` first.
//
//   npx tsx bench/startup.ts [--rounds 5]
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRedis } from '../src/redis/connection.ts';
import { freePort, startEmbeddedRedis } from '../src/redis/embedded.ts';
import { REPO_ROOT } from './server.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(values.rounds);

const COMMANDS = {
  'npm start': { cmd: 'npm', args: ['start'], env: { NODE_ENV: 'development' } },
  'node dist/main.js': { cmd: process.execPath, args: ['dist/main.js'], env: { NODE_ENV: 'production' } },
} as const;
type Kind = keyof typeof COMMANDS;

interface Sample {
  readyS: number;
  serverMb: number;
  treeMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The process and its descendants, parents first: the last is the server itself. */
function tree(pid: number): number[] {
  return [pid, ...children(pid).flatMap(tree)];
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function ready(url: string): Promise<boolean> {
  return fetch(url)
    .then((r) => r.status === 200)
    .catch(() => false);
}

async function once(kind: Kind, redisUrl: string): Promise<Sample> {
  const port = await freePort();
  const { cmd, args, env } = COMMANDS[kind];
  const started = performance.now();
  const child: ChildProcess = spawn(cmd, args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: 'ignore',
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
      NIK_HASH_KEY: 'Kx8vQ2mZp9Lr4Tn7Wc1Yb6Hd3Fj5Gs0Ae8Ui2Oq4Pk6',
      APP_SECRET: 'Zr5Nt1Vy8Xb3Mc6Qw9Ed2Rf4Tg7Yh0Uj5Ik8Ol1Pz3',
      LOG_SIGNING_KEY: randomBytes(32).toString('hex'),
      BEACON: 'off',
    },
  });
  try {
    while (!(await ready(`http://127.0.0.1:${port}/readyz`))) {
      if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error(`${kind}: not ready after 60 s`);
      await sleep(20);
    }
    const readyS = (performance.now() - started) / 1000;
    await sleep(3_000);
    const pids = tree(child.pid!);
    return {
      readyS,
      serverMb: rssMb(pids[pids.length - 1]!),
      treeMb: pids.reduce((sum, p) => sum + rssMb(p), 0),
    };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fairslot-startup-'));
  const server = await startEmbeddedRedis({ dataDir: dir });
  const redis = createRedis(server.url);
  const samples: Record<Kind, Sample[]> = { 'npm start': [], 'node dist/main.js': [] };
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of Object.keys(COMMANDS) as Kind[]) {
        await redis.flushall();
        const s = await once(kind, server.url);
        samples[kind].push(s);
        console.log(
          `${kind.padEnd(18)} ready ${s.readyS.toFixed(2)} s  server ${s.serverMb.toFixed(0)} MB  all ${s.treeMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    redis.disconnect();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  for (const [kind, ss] of Object.entries(samples)) {
    const ready = ss.map((s) => s.readyS);
    console.log(
      `${kind.padEnd(18)} median ready ${median(ready).toFixed(1)} s (${Math.min(...ready).toFixed(1)}–${Math.max(...ready).toFixed(1)}), ` +
        `server ${median(ss.map((s) => s.serverMb)).toFixed(0)} MB, all ${median(ss.map((s) => s.treeMb)).toFixed(0)} MB`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
