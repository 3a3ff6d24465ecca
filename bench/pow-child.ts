// Child process: creates `count` entry challenges with the server's secret and solves each with the
// browser's solver (solvePow), exactly what a client does per join. Run in children because altcha's
// WebCrypto calls cost ~0.4 ms per challenge and solution, far too slow for 100k+ fixtures on one thread.

import { ProofOfWork } from '../src/auth/pow.ts';
import { solvePow } from '../src/auth/pow-solve.ts';
import type { RedisClient } from '../src/redis/connection.ts';

interface Request {
  secret: string;
  cost: number;
  count: number;
  ttlSeconds: number;
}

process.once('message', async (msg: Request) => {
  // challenge() never touches Redis (only verify() does), so no connection is needed here.
  const pow = new ProofOfWork(null as unknown as RedisClient, {
    secret: msg.secret,
    cost: msg.cost,
    ttlSeconds: msg.ttlSeconds,
  });
  const out: string[] = [];
  const batch = 500;
  for (let i = 0; i < msg.count; i += batch) {
    const n = Math.min(batch, msg.count - i);
    const challenges = await Promise.all(Array.from({ length: n }, () => pow.challenge('entry')));
    out.push(...(await Promise.all(challenges.map((c) => solvePow(c, { timeoutMs: 30_000 })))));
  }
  process.send!({ payloads: out }, () => process.exit(0));
});
