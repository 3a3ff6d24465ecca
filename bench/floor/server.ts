// The floor of a join on this stack: the least any join must do, served the way fairslot serves (hono on
// @hono/node-server, one HTTP process per core sharing the port, ioredis with auto-pipelining): read a
// JSON body, parse it, one Lua script that writes the entry, answer 201 with JSON. No session, no
// validation, no proof of work, no limits. Its ratio to its own /healthz bounds what join_ratio can reach
// on the bench's machine; fairslot's join against it says how much of a join's cost is fairslot's own work.
// Started by bench/floor/floor.ts: FLOOR_PORT, REDIS_URL, FLOOR_PROCESSES.
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { FLOOR_KEYS } from './keys.ts';

const processes = Number(process.env.FLOOR_PROCESSES ?? 1);

if (cluster.isPrimary && processes > 1) {
  for (let i = 0; i < processes; i++) cluster.fork();
  cluster.on('exit', (_worker, code) => {
    if (code !== 0) process.exit(1);
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
  const sha = (await redis.script(
    'LOAD',
    readFileSync(new URL('./join.lua', import.meta.url), 'utf8'),
  )) as string;
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.post('/join', async (c) => {
    const body = await c.req.json<{ personId: string; officeId: string }>();
    const count = await redis.evalsha(sha, 2, ...FLOOR_KEYS, body.personId, body.officeId);
    return c.json({ entry: { personId: body.personId, officeId: body.officeId }, entryCount: count }, 201);
  });
  serve({ fetch: app.fetch, port: Number(process.env.FLOOR_PORT), hostname: '127.0.0.1' });
  process.on('SIGTERM', () => {
    redis.disconnect();
    process.exit(0);
  });
}
