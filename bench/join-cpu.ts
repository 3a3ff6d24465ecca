// `tsx bench/join-cpu.ts [joins per round]`: server CPU per join of fairslot's app against the floor's
// join (bench/floor: parse the body, one Lua script, answer 201), both served in this one process by
// @hono/node-server on one Redis, in interleaved rounds, loaded by autocannon in a child process with the
// same request bytes (CONNECTIONS at once, 100 unless set). Every fairslot join is an applicant's first entry with its own proof of work. What
// the join costs beyond the floor, isolated from the machine's other load: compare the ratio, and with
// PROFILE=1 see where fairslot's share goes (bench/profile.ts over its last round), and with PROFILE=1
// HEAP=1 which functions allocate how many bytes per join in that round (V8's sampling heap profiler,
// collected objects included: what the young generation has to sweep).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import { createLogger } from '../src/log.ts';
import { createRedis, waitReady } from '../src/redis/connection.ts';
import { freePort, startEmbeddedRedis } from '../src/redis/embedded.ts';
import type { LoadRaw, LoadRequest } from './cannon.ts';
import { createOffice } from './fill.ts';
import { Identities, joinPlan, writePlan } from './fixtures.ts';
import { FLOOR_KEYS } from './floor/keys.ts';
import { summarizeProfile } from './profile.ts';
import { REPO_ROOT } from './server.ts';

const perRound = Number(process.argv[2] ?? 4_000);
const rounds = Number(process.env.ROUNDS ?? 5);
const warmup = 1_000;
const connections = Number(process.env.CONNECTIONS ?? 100);

const cannon = fork(path.join(REPO_ROOT, 'bench/cannon.ts'), [], {
  cwd: REPO_ROOT,
  execArgv: ['--import', 'tsx'],
  serialization: 'advanced',
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});

function load(req: LoadRequest): Promise<LoadRaw> {
  return new Promise((resolve, reject) => {
    // Progress messages ({ started }) come before the run's record.
    const onMessage = (m: { raw?: LoadRaw; error?: string }) => {
      if (!m.raw && !m.error) return;
      cannon.off('message', onMessage);
      if (m.raw) resolve(m.raw);
      else reject(new Error(m.error));
    };
    cannon.on('message', onMessage);
    cannon.send(req);
  });
}

type Fetch = (r: Request, env?: unknown) => Response | Promise<Response>;

/** Server CPU µs per answered request over one plan file, and how many answers had `status`. */
async function cpuPerJoin(fetch: Fetch, planFile: string, amount: number, status: number) {
  const port = await freePort();
  const server = serve({ fetch, port, hostname: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const t0 = process.cpuUsage();
  const raw = await load({
    url,
    method: 'POST',
    path: '/api/me/entries',
    connections,
    amount,
    timeoutS: 30,
    planFile,
  });
  const d = process.cpuUsage(t0);
  await new Promise((r) => server.close(r));
  const ok = raw.status.filter((s) => s === status).length;
  return { us: (d.user + d.system) / raw.status.length, ok, n: raw.status.length };
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated per join by function (self), largest first. */
function allocationsPerJoin(head: HeapNode, joins: number, top = 30): string {
  const bytes = new Map<string, number>();
  const stack = [head];
  while (stack.length) {
    const n = stack.pop()!;
    const { functionName, url, lineNumber } = n.callFrame;
    const file = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? url.split('/').at(-1);
    const key = `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`;
    bytes.set(key, (bytes.get(key) ?? 0) + n.selfSize);
    stack.push(...n.children);
  }
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  const rows = [...bytes.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `allocated per join: ${(total / joins / 1024).toFixed(1)} KB`,
    ...rows.map(([k, b]) => `${String(Math.round(b / joins)).padStart(8)} B  ${k}`),
  ].join('\n');
}

let heapSummary = '';
const dir = mkdtempSync(path.join(tmpdir(), 'fairslot-join-cpu-'));
const redis = await startEmbeddedRedis({ dataDir: dir });
try {
  const client = createRedis(redis.url);
  await waitReady(client);
  const config = loadConfig({
    NODE_ENV: 'development',
    REDIS_URL: redis.url,
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    POW_COST: '0',
    RATE_LIMIT_MULTIPLIER: '100000',
    BEACON: 'off',
  });
  const deps = createDeps(config, client, createLogger('warn'));
  const app = createApp(deps);
  const officeId = 'join-cpu';
  await createOffice(deps, officeId);
  const total = warmup + perRound * rounds;
  const { plan } = await joinPlan(deps, new Identities(), total, officeId);
  const files: string[] = [];
  for (let r = 0; r <= rounds; r++) {
    const from = r === 0 ? 0 : warmup + (r - 1) * perRound;
    const file = path.join(dir, `plan-${r}.jsonl`);
    await writePlan(file, plan.slice(from, r === 0 ? warmup : from + perRound));
    files.push(file);
  }

  const sha = (await client.script(
    'LOAD',
    readFileSync(new URL('./floor/join.lua', import.meta.url), 'utf8'),
  )) as string;
  const floor = new Hono();
  floor.post('/api/me/entries', async (c) => {
    const body = await c.req.json<{ personId: string; officeId: string }>();
    const count = await client.evalsha(sha, 2, ...FLOOR_KEYS, body.personId, body.officeId);
    return c.json({ entry: { personId: body.personId, officeId: body.officeId }, entryCount: count }, 201);
  });

  await cpuPerJoin(floor.fetch, files[0]!, warmup, 201);
  const warm = await cpuPerJoin(app.fetch, files[0]!, warmup, 201);
  if (warm.ok !== warmup) throw new Error(`warm-up: ${warm.ok}/${warmup} joins answered 201`);

  const profile = process.env.PROFILE === '1' ? new Session() : null;
  if (profile) {
    profile.connect();
    await profile.post('Profiler.enable');
  }
  const results: { fairslot: number; floor: number }[] = [];
  for (let r = 1; r <= rounds; r++) {
    const fl = await cpuPerJoin(floor.fetch, files[r]!, perRound, 201);
    if (profile) await profile.post('Profiler.start');
    if (profile && process.env.HEAP === '1' && r === rounds)
      await profile.post('HeapProfiler.startSampling', {
        samplingInterval: 512,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    const fs = await cpuPerJoin(app.fetch, files[r]!, perRound, 201);
    if (profile) {
      if (process.env.HEAP === '1' && r === rounds) {
        const { profile: h } = await profile.post('HeapProfiler.stopSampling');
        heapSummary = allocationsPerJoin(h.head, perRound);
      }
      const { profile: p } = await profile.post('Profiler.stop');
      writeFileSync(path.join(dir, `round-${r}.cpuprofile`), JSON.stringify(p));
    }
    if (fs.ok !== perRound) throw new Error(`round ${r}: ${fs.ok}/${perRound} joins answered 201`);
    results.push({ fairslot: fs.us, floor: fl.us });
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const fairslotUs = median(results.map((r) => r.fairslot));
  const floorUs = median(results.map((r) => r.floor));
  console.log(
    JSON.stringify({
      fairslotUs: Math.round(fairslotUs * 10) / 10,
      floorUs: Math.round(floorUs * 10) / 10,
      joinOfFloorCpu: Math.round((floorUs / fairslotUs) * 1000) / 1000,
      rounds: results.map((r) => [Math.round(r.fairslot), Math.round(r.floor)]),
    }),
  );
  if (profile) console.log(summarizeProfile(path.join(dir, `round-${rounds}.cpuprofile`), 40));
  if (heapSummary) console.log(heapSummary);
  client.disconnect();
} finally {
  cannon.disconnect();
  await redis.stop();
  if (process.env.KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
