// Pre-solved proof-of-work payloads for entry joins. With POW_COST=0 the work is one PBKDF2 iteration,
// but every join still needs its own signed, single-use challenge, so the bench makes one per request.
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './server.ts';
import { withTimeout } from './stats.ts';

// Long enough for the whole full run: the server checks expiry against the signed expiresAt.
const TTL_SECONDS = 6 * 3600;

function solveIn(child: number, secret: string, cost: number, count: number): Promise<string[]> {
  const proc = fork(path.join(REPO_ROOT, 'bench/pow-child.ts'), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = new Promise<string[]>((resolve, reject) => {
    proc.once('message', (m: { payloads: string[] }) => resolve(m.payloads));
    proc.once('error', reject);
    proc.once('exit', (code) => {
      if (code !== 0) reject(new Error(`pow child ${child} exited with ${code}`));
    });
  });
  proc.send({ secret, cost, count, ttlSeconds: TTL_SECONDS });
  // ~1 ms per payload per child is the slow end measured; generous bound, then the child is killed.
  return withTimeout(result, 60_000 + count * 5, `solving ${count} pow challenges`).finally(() => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  });
}

export async function solvePows(secret: string, cost: number, count: number): Promise<string[]> {
  if (count === 0) return [];
  const procs = Math.max(1, Math.min(cpus().length, 4, Math.ceil(count / 2000)));
  const per = Math.ceil(count / procs);
  const parts = await Promise.all(
    Array.from({ length: procs }, (_, i) =>
      solveIn(i, secret, cost, Math.max(0, Math.min(per, count - i * per))),
    ),
  );
  return parts.flat();
}
